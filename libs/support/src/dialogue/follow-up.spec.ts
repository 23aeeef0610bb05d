import { looksLikeFollowUp, resolveIntent, wordCount } from './follow-up';

const options = { confidenceThreshold: 0.6, followUpMaxWords: 8 };
const prediction = (label: string, confidence: number, extra: Record<string, number> = {}) => ({
  label,
  confidence,
  scores: { [label]: confidence, refund_request: 0.1, ...extra },
});

describe('follow-up rule', () => {
  it.each([
    ['and how long does that take?', true],
    ['what about a SEPA transfer', true],
    ['Also for my credit card?', true],
    ['does it cost anything', true],
    ['那要多久呢？', true],
    ['还有手续费吗', true],
    ['how long', false], // no cue: could be anything
    ['and could you please tell me in detail how long the whole refund process usually takes', false], // too long
    ['When will my new card arrive?', false],
  ])('"%s" looks like a follow-up: %s', (text, expected) => {
    expect(looksLikeFollowUp(text, 8)).toBe(expected);
  });

  it('counts CJK text at 2 characters a word', () => {
    expect(wordCount('那要多久呢')).toBe(3);
    expect(wordCount('and how long')).toBe(3);
  });

  it('inherits the last intent for a short low-confidence cue, with the classifier score for that intent', () => {
    const r = resolveIntent(prediction('exchange_rate', 0.3, { refund_request: 0.25 }), 'and how long does that take?', 'refund_request', options);
    expect(r).toEqual({ label: 'refund_request', confidence: 0.25, confident: false, inherited: true });
  });

  it('does not inherit when the classifier is confident, when there is no last intent, or without a cue', () => {
    expect(resolveIntent(prediction('card_arrival', 0.6), 'and where is my card?', 'refund_request', options)).toMatchObject({ label: 'card_arrival', inherited: false, confident: true });
    expect(resolveIntent(prediction('exchange_rate', 0.3), 'and how long does that take?', undefined, options)).toMatchObject({ label: 'exchange_rate', inherited: false, confident: false });
    expect(resolveIntent(prediction('exchange_rate', 0.3), 'how long', 'refund_request', options).inherited).toBe(false);
  });

  it('treats confidence just below the threshold as not confident', () => {
    expect(resolveIntent(prediction('card_arrival', 0.5999), 'and where is my card?', 'refund_request', options).inherited).toBe(true);
  });
});
