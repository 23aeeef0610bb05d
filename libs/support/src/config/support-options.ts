/**
 * Typed options of the support domain with their DEFAULT_* values. The app builds
 * them from the environment once at start-up and passes them down; a bad value throws
 * a RangeError/TypeError naming the field, so the process stops with a clear message.
 */

/** Intent confidence at or above which the intent's answer template is used. */
export const DEFAULT_CONFIDENCE_THRESHOLD = 0.6;
/**
 * Cosine score at or above which a passage may answer alone (below the threshold) or be
 * cited. Encoder-specific: on bge-small-en-v1.5 with the sample KB, off-topic questions
 * score at most ~0.53 and on-topic ones 0.70+ (test/sample-knowledge.int.spec.ts).
 * A language pack whose encoder scores differently sets its own (LanguagePack.retrievalMinScore).
 */
export const DEFAULT_RETRIEVAL_MIN_SCORE = 0.62;
/** Consecutive low-confidence turns (this one included) that trigger a handoff. */
export const DEFAULT_LOW_CONFIDENCE_HANDOFF_COUNT = 3;
/** Idle time after which a session is forgotten (sliding: every turn renews it). */
export const DEFAULT_SESSION_TTL_MS = 30 * 60_000;
/** User turns a session may have; the next one is rejected with RESOURCE_EXHAUSTED. */
export const DEFAULT_MAX_TURNS = 50;
/** Longest accepted message, in characters (UTF-16 code units, as the proto's clients count). */
export const DEFAULT_MAX_MESSAGE_CHARS = 2_000;
/** Longest accepted free-text handoff reason on EndSession (the proto says 500). */
export const DEFAULT_MAX_REASON_CHARS = 500;
/** Intents that always go to a human, however confident the classifier is. */
export const DEFAULT_SENSITIVE_INTENTS: readonly string[] = ['card_lost'];
/** Intents that mean "let me talk to a person" (besides the explicit-request patterns). */
export const DEFAULT_HUMAN_INTENTS: readonly string[] = ['talk_to_human'];
/** Negative-sentiment probability at or above which the turn is handed off. */
export const DEFAULT_NEGATIVE_SENTIMENT_THRESHOLD = 0.85;
/** How long a turn waits for the optional sentiment scorer before going on without it. */
export const DEFAULT_SENTIMENT_TIMEOUT_MS = 200;
/** Passages cited per answer (the best ones at or above the retrieval minimum). */
export const DEFAULT_MAX_CITATIONS = 3;
/** Top intents reported per turn (the proto says at most 5). */
export const DEFAULT_TOP_INTENTS = 5;
/** Follow-up rule: a message of at most this many words (CJK: 2 characters per word) may inherit. */
export const DEFAULT_FOLLOW_UP_MAX_WORDS = 8;

export interface SupportOptions {
  readonly confidenceThreshold: number;
  readonly retrievalMinScore: number;
  readonly lowConfidenceHandoffCount: number;
  readonly sessionTtlMs: number;
  readonly maxTurns: number;
  readonly maxMessageChars: number;
  readonly maxReasonChars: number;
  readonly sensitiveIntents: readonly string[];
  readonly humanIntents: readonly string[];
  readonly negativeSentimentThreshold: number;
  readonly sentimentTimeoutMs: number;
  readonly maxCitations: number;
  readonly topIntents: number;
  readonly followUpMaxWords: number;
}

export const DEFAULT_SUPPORT_OPTIONS: SupportOptions = Object.freeze({
  confidenceThreshold: DEFAULT_CONFIDENCE_THRESHOLD,
  retrievalMinScore: DEFAULT_RETRIEVAL_MIN_SCORE,
  lowConfidenceHandoffCount: DEFAULT_LOW_CONFIDENCE_HANDOFF_COUNT,
  sessionTtlMs: DEFAULT_SESSION_TTL_MS,
  maxTurns: DEFAULT_MAX_TURNS,
  maxMessageChars: DEFAULT_MAX_MESSAGE_CHARS,
  maxReasonChars: DEFAULT_MAX_REASON_CHARS,
  sensitiveIntents: DEFAULT_SENSITIVE_INTENTS,
  humanIntents: DEFAULT_HUMAN_INTENTS,
  negativeSentimentThreshold: DEFAULT_NEGATIVE_SENTIMENT_THRESHOLD,
  sentimentTimeoutMs: DEFAULT_SENTIMENT_TIMEOUT_MS,
  maxCitations: DEFAULT_MAX_CITATIONS,
  topIntents: DEFAULT_TOP_INTENTS,
  followUpMaxWords: DEFAULT_FOLLOW_UP_MAX_WORDS,
});

function unitInterval(name: string, v: number): void {
  if (!Number.isFinite(v) || v < 0 || v > 1) throw new RangeError(`${name}: ${v} must be within [0, 1]`);
}

function cosine(name: string, v: number): void {
  if (!Number.isFinite(v) || v < -1 || v > 1) throw new RangeError(`${name}: ${v} must be within [-1, 1]`);
}

function positiveInt(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name}: ${v} must be a positive integer`);
}

function labels(name: string, v: readonly string[]): void {
  if (!Array.isArray(v) || v.some((l) => typeof l !== 'string' || l.trim() === '')) {
    throw new TypeError(`${name}: must be a list of non-empty intent labels`);
  }
}

/** Defaults overlaid with `overrides`, validated. */
export function resolveSupportOptions(overrides: Partial<SupportOptions> = {}): SupportOptions {
  const o: SupportOptions = { ...DEFAULT_SUPPORT_OPTIONS, ...stripUndefined(overrides) };
  unitInterval('confidenceThreshold', o.confidenceThreshold);
  cosine('retrievalMinScore', o.retrievalMinScore);
  unitInterval('negativeSentimentThreshold', o.negativeSentimentThreshold);
  for (const k of ['lowConfidenceHandoffCount', 'sessionTtlMs', 'maxTurns', 'maxMessageChars', 'maxReasonChars', 'maxCitations', 'topIntents', 'followUpMaxWords'] as const) {
    positiveInt(k, o[k]);
  }
  if (!Number.isInteger(o.sentimentTimeoutMs) || o.sentimentTimeoutMs < 0) {
    throw new RangeError(`sentimentTimeoutMs: ${o.sentimentTimeoutMs} must be a non-negative integer`);
  }
  labels('sensitiveIntents', o.sensitiveIntents);
  labels('humanIntents', o.humanIntents);
  return Object.freeze({ ...o, sensitiveIntents: [...o.sensitiveIntents], humanIntents: [...o.humanIntents] });
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
