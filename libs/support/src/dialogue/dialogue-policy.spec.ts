import { DEFAULT_SUPPORT_OPTIONS } from '../config/support-options';
import type { ScoredPassage } from '../knowledge/article';
import { decideTurn, type PolicyInput } from './dialogue-policy';

const options = { ...DEFAULT_SUPPORT_OPTIONS, retrievalMinScore: 0.5, lowConfidenceHandoffCount: 3, negativeSentimentThreshold: 0.8, maxCitations: 2 };
const passage = (id: string, score: number): ScoredPassage => ({
  passage: { id, articleId: id.split('#')[0] as string, title: id, heading: '', text: id, embedText: id, intents: [] },
  score,
});
const intent = (label: string, confidence: number, inherited = false) => ({ label, confidence, confident: confidence >= 0.6, inherited });
const input = (over: Partial<PolicyInput> = {}): PolicyInput => ({
  intent: intent('refund_request', 0.9),
  humanRequested: false,
  passages: [passage('a#0', 0.7), passage('b#0', 0.55), passage('c#0', 0.5), passage('d#0', 0.3)],
  hasTemplate: () => true,
  lowConfidenceStreak: 0,
  ...over,
});

describe('dialogue policy', () => {
  it('answers a confident intent from its template, citing the best passages at/above the minimum', () => {
    const d = decideTurn(input(), options);
    expect(d.kind).toBe('template');
    expect(d.citations.map((c) => c.passage.id)).toEqual(['a#0', 'b#0']); // maxCitations 2
    expect(d.lowConfidenceStreak).toBe(0);
  });

  it.each([
    [0.6, 'template'],
    [0.5999, 'retrieval'],
  ])('confidence %s against a threshold of 0.6 → %s', (confidence, kind) => {
    expect(decideTurn(input({ intent: intent('refund_request', confidence) }), options).kind).toBe(kind);
  });

  it.each([
    [0.5, 'retrieval'],
    [0.4999, 'handoff'],
  ])('below the threshold, a best passage scoring %s (minimum 0.5) → %s', (score, kind) => {
    const d = decideTurn(input({ intent: intent('x', 0.2), passages: [passage('a#0', score)] }), options);
    expect(d.kind).toBe(kind);
    if (d.kind === 'handoff') expect(d.reason).toBe('no_answer');
  });

  it('answers an inherited intent from its template even with a low score, and resets the streak', () => {
    const d = decideTurn(input({ intent: intent('refund_request', 0.1, true), lowConfidenceStreak: 2 }), options);
    expect([d.kind, d.lowConfidenceStreak]).toEqual(['template', 0]);
  });

  it('falls back to retrieval for a confident intent without a template, without counting it as low confidence', () => {
    const d = decideTurn(input({ hasTemplate: () => false, lowConfidenceStreak: 2 }), options);
    expect([d.kind, d.lowConfidenceStreak]).toEqual(['retrieval', 0]);
  });

  it('hands off on the Nth consecutive low-confidence turn even when retrieval could answer', () => {
    const low = { intent: intent('x', 0.3) };
    expect(decideTurn(input({ ...low, lowConfidenceStreak: 1 }), options)).toMatchObject({ kind: 'retrieval', lowConfidenceStreak: 2 });
    expect(decideTurn(input({ ...low, lowConfidenceStreak: 2 }), options)).toMatchObject({ kind: 'handoff', reason: 'low_confidence', lowConfidenceStreak: 3 });
  });

  it.each([
    ['an explicit request pattern', { humanRequested: true }, 'explicit_request'],
    ['a confident human intent', { intent: intent('talk_to_human', 0.8) }, 'explicit_request'],
    ['a confident sensitive intent', { intent: intent('card_lost', 0.95) }, 'sensitive_intent'],
    ['negative sentiment at the threshold', { negativeSentiment: 0.8 }, 'negative_sentiment'],
  ])('hands off on %s', (_why, over, reason) => {
    const d = decideTurn(input(over), options);
    expect(d).toMatchObject({ kind: 'handoff', reason, citations: [] });
  });

  it('does not hand off on a sensitive or human intent below the threshold, or sentiment below its threshold', () => {
    expect(decideTurn(input({ intent: intent('card_lost', 0.4) }), options).kind).toBe('retrieval');
    expect(decideTurn(input({ intent: intent('talk_to_human', 0.4) }), options).kind).toBe('retrieval');
    expect(decideTurn(input({ negativeSentiment: 0.79 }), options).kind).toBe('template');
  });

  it('reports the explicit request first when several triggers fire', () => {
    const d = decideTurn(input({ humanRequested: true, intent: intent('card_lost', 0.9), negativeSentiment: 1 }), options);
    expect(d).toMatchObject({ kind: 'handoff', reason: 'explicit_request' });
  });

  it('honours configured sensitive intents', () => {
    const d = decideTurn(input({ intent: intent('close_account', 0.9) }), { ...options, sensitiveIntents: ['close_account'] });
    expect(d).toMatchObject({ kind: 'handoff', reason: 'sensitive_intent' });
  });
});
