/**
 * The dialogue policy: a pure decision from what one turn learned. Rules, first match wins:
 *   1. explicit human request (pattern, or a human intent at/above the threshold) → handoff explicit_request
 *   2. a sensitive intent at/above the threshold                                  → handoff sensitive_intent
 *   3. negative sentiment at/above its threshold                                  → handoff negative_sentiment
 *   4. confident (or inherited) intent with a template                            → template (+ citations)
 *   5. otherwise the turn is "low confidence" unless the intent was confident; then
 *      a. low-confidence streak (this turn included) reached N                    → handoff low_confidence
 *      b. best passage at/above the retrieval minimum                             → retrieval
 *      c. nothing close enough                                                    → handoff no_answer
 * Citations are the best passages at/above the retrieval minimum, at most maxCitations.
 */
import type { ScoredPassage } from '../knowledge/article';
import type { SupportOptions } from '../config/support-options';
import type { HandoffReason } from '../templates/answer-templates';
import type { ResolvedIntent } from './follow-up';

export interface PolicyInput {
  readonly intent: ResolvedIntent;
  readonly humanRequested: boolean;
  /** Negative-sentiment probability, when a scorer answered in time. */
  readonly negativeSentiment?: number;
  /** Retrieved passages, best first. */
  readonly passages: readonly ScoredPassage[];
  readonly hasTemplate: (intent: string) => boolean;
  /** Low-confidence streak before this turn. */
  readonly lowConfidenceStreak: number;
}

export type PolicyDecision =
  | { readonly kind: 'template'; readonly citations: readonly ScoredPassage[]; readonly lowConfidenceStreak: number }
  | { readonly kind: 'retrieval'; readonly citations: readonly ScoredPassage[]; readonly lowConfidenceStreak: number }
  | { readonly kind: 'handoff'; readonly reason: HandoffReason; readonly citations: readonly ScoredPassage[]; readonly lowConfidenceStreak: number };

export type PolicyOptions = Pick<
  SupportOptions,
  'retrievalMinScore' | 'lowConfidenceHandoffCount' | 'sensitiveIntents' | 'humanIntents' | 'negativeSentimentThreshold' | 'maxCitations'
>;

export function decideTurn(input: PolicyInput, options: PolicyOptions): PolicyDecision {
  const { intent } = input;
  const sure = intent.confident || intent.inherited;
  const streak = sure ? 0 : input.lowConfidenceStreak + 1;
  const citations = input.passages.filter((p) => p.score >= options.retrievalMinScore).slice(0, options.maxCitations);
  const handoff = (reason: HandoffReason): PolicyDecision => ({ kind: 'handoff', reason, citations: [], lowConfidenceStreak: streak });

  if (input.humanRequested || (intent.confident && options.humanIntents.includes(intent.label))) return handoff('explicit_request');
  if (intent.confident && options.sensitiveIntents.includes(intent.label)) return handoff('sensitive_intent');
  if (input.negativeSentiment !== undefined && input.negativeSentiment >= options.negativeSentimentThreshold) return handoff('negative_sentiment');
  if (sure && input.hasTemplate(intent.label)) return { kind: 'template', citations, lowConfidenceStreak: streak };
  if (streak >= options.lowConfidenceHandoffCount) return handoff('low_confidence');
  if (citations.length > 0) return { kind: 'retrieval', citations, lowConfidenceStreak: streak };
  return handoff('no_answer');
}
