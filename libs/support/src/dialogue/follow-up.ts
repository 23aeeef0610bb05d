/**
 * Follow-up rule: a message inherits the session's last intent when ALL hold:
 *   1. the session has a last intent (one answered with confidence before);
 *   2. the message is short: at most `maxWords` words (CJK: 2 characters count as a word);
 *   3. it carries a follow-up cue: it starts with "and", "also", "what about", "how about",
 *      "then", "so", "but", or refers back ("that", "it", "this", "those"), or in Chinese
 *      starts with 那/还有/另外/那么/这个/那个 or ends with 呢;
 *   4. the classifier is not confident about a different intent (confidence below the
 *      threshold), so a clear new question always wins.
 * "and how long does that take?" after a refund answer is a refund question.
 */
import { isMostlyCjk } from '../language';
import type { IntentPrediction } from '../classification/intent-classifier';

const EN_START_CUES = /^(?:and|also|what about|how about|then|so|but|ok(?:ay)?,? and|what if)\b/i;
const EN_REFERENCE_CUES = /\b(?:that|it|this|those|these|them|there)\b/i;
const ZH_CUES = /^(?:那|还有|另外|那么|这个|那个|这样)|呢[?？]?$/;

export function wordCount(text: string): number {
  if (isMostlyCjk(text)) return Math.ceil(text.replace(/[\s\p{P}]/gu, '').length / 2);
  return text.split(/\s+/).filter(Boolean).length;
}

/** Conditions 2 and 3: the text alone looks like a follow-up. */
export function looksLikeFollowUp(text: string, maxWords: number): boolean {
  const t = text.trim();
  if (wordCount(t) > maxWords) return false;
  return EN_START_CUES.test(t) || EN_REFERENCE_CUES.test(t) || ZH_CUES.test(t);
}

export interface ResolvedIntent {
  readonly label: string;
  /** The classifier's probability for `label` (for an inherited intent: its score for that label). */
  readonly confidence: number;
  /** Whether the classifier was confident enough on its own. */
  readonly confident: boolean;
  /** Taken from the session by the follow-up rule. */
  readonly inherited: boolean;
}

export function resolveIntent(
  prediction: IntentPrediction,
  text: string,
  lastIntent: string | undefined,
  options: { readonly confidenceThreshold: number; readonly followUpMaxWords: number },
): ResolvedIntent {
  const confident = prediction.confidence >= options.confidenceThreshold;
  if (!confident && lastIntent && looksLikeFollowUp(text, options.followUpMaxWords)) {
    return { label: lastIntent, confidence: prediction.scores[lastIntent] ?? 0, confident: false, inherited: true };
  }
  return { label: prediction.label, confidence: prediction.confidence, confident, inherited: false };
}
