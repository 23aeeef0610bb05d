/**
 * Tuning of the windowed negative-sentiment alerting (AlertEngine). Times are event-time
 * milliseconds (the items' published_at), never wall-clock. README.md "Alerting" explains
 * each knob; DEFAULT_ALERTING_OPTIONS says why each default is what it is.
 */
export interface AlertingOptions {
  /** Window length. */
  readonly windowMs: number;
  /**
   * Distance between window starts: = windowMs for tumbling windows, a divisor of it for
   * sliding ones (windowMs / hopMs tumbling grids offset by hopMs, each with its own
   * baselines, one cooldown per key).
   */
  readonly hopMs: number;
  /** How far behind its source's newest event time (in this partition) an event may be and still count. */
  readonly allowedLatenessMs: number;
  /**
   * A source (news.raw partition) this much event time behind the partition clock stops
   * holding windows open; also how long a new engine waits for sources it has not seen yet.
   */
  readonly sourceIdleMs: number;
  /** z-score at or above which a rule fires. */
  readonly zThreshold: number;
  /** z-score at or above which an alert is `critical` rather than `warning`. */
  readonly criticalZ: number;
  /** Items a window needs before any rule is evaluated; also the least a window needs to teach the share baseline. */
  readonly minVolume: number;
  /** Negative items a window needs before any rule fires. */
  readonly minNegative: number;
  /** After an alert, no further alert for that key for this much event time. */
  readonly cooldownMs: number;
  /** Weight of the newest closed window in the EWMA baselines (0 < α ≤ 1). */
  readonly ewmaAlpha: number;
  /** Closed windows a baseline needs before it is trusted (before that: the prior share; no volume rule). */
  readonly minBaselineWindows: number;
  /** Negative share assumed for a key without enough history. */
  readonly priorNegativeShare: number;
  /** Least standard deviation the share z-score divides by. */
  readonly shareStdFloor: number;
  /** Keys one engine (one input partition) holds at most; the least recently updated go first. */
  readonly maxKeys: number;
  /** A key not updated for this much event time (the partition's newest event time) is dropped. */
  readonly idleKeyTtlMs: number;
  /** Negative headlines an alert carries, most negative first. */
  readonly topHeadlines: number;
}

const MINUTE = 60_000;

/** Sliding windows per event at most (each event updates windowMs / hopMs windows). */
export const MAX_WINDOWS_PER_EVENT = 96;
/** Upper bound for `topHeadlines` (the sentiment.alerts schema allows 5). */
export const MAX_TOP_HEADLINES = 5;

export const DEFAULT_ALERTING_OPTIONS: AlertingOptions = Object.freeze({
  // 30 minutes (ADR 0024): a watched entity at ~24 items/h collects ~12 per window, above
  // minVolume, and a 20-40 minute surge is split over two windows less often. 15 minutes
  // left most of an entity's windows below minVolume and halved each surge's count; the
  // alert still leaves with the item that crosses the threshold (early firing), so the
  // longer window costs little delay.
  windowMs: 30 * MINUTE,
  // Tumbling: each item counts once, so the baselines see independent windows.
  hopMs: 30 * MINUTE,
  // Feeds deliver out of order by seconds to a minute or two; later items rarely matter
  // to a surge that is already being alerted on.
  allowedLatenessMs: 2 * MINUTE,
  // 30 minutes (one window): a replayed backlog or a restart skews the six news.raw
  // partitions by a chunk each (seconds to minutes of event time), far less than this, so
  // no item of a slower partition is dropped; a partition that stopped for good delays the
  // baselines by at most this much. Larger: more tolerance of a lagging partition, but a
  // stalled one keeps every window open (and in every snapshot) that much longer.
  sourceIdleMs: 30 * MINUTE,
  // 3σ: about one false alarm per thousand windows under a normal approximation.
  zThreshold: 3,
  // 5σ: far outside anything the baseline has seen.
  criticalZ: 5,
  // Eight items: below that a share swings by ≥ 12 points per item.
  minVolume: 8,
  // Four negatives: one story re-posted by two or three sources is not a surge.
  minNegative: 4,
  // One hour: one alert per surge, not one per window while it lasts.
  cooldownMs: 60 * MINUTE,
  // α = 0.2: the baseline's memory is about 5 windows (~2.5 h), so it follows a slow
  // drift within a day; a surge window teaches nothing when it alerted and at most the
  // alerting level otherwise (baseline-update.ts).
  ewmaAlpha: 0.2,
  // Four windows (two hours) of history before the key's own baseline replaces the prior.
  minBaselineWindows: 4,
  // Until a key has its own history, assume about a quarter of its news is negative:
  // above the share of a calm key, so a new key needs a clear majority of negatives to alert.
  priorNegativeShare: 0.25,
  // Five points: a key whose share never moved does not alert on a one-item wobble.
  shareStdFloor: 0.05,
  // 20 000 keys per partition: every watched entity and topic plus a long tail of entities
  // named in the records. Bounds memory (~0.9 KB a key) and, above all, the snapshot every
  // transaction writes (~0.4 KB a key: ≤ 8 MB, ~0.2-0.3 s to build; README "State").
  maxKeys: 20_000,
  // A day: a key quiet for that long has a baseline of zeros anyway.
  idleKeyTtlMs: 24 * 60 * MINUTE,
  topHeadlines: 5,
});

/**
 * Throws a RangeError naming the first offending field (e.g. `hopMs: ...`), else returns
 * the options unchanged.
 */
export function validateAlertingOptions(o: AlertingOptions): AlertingOptions {
  if (typeof o !== 'object' || o === null) throw new TypeError('options: expected an object');
  posInt(o, 'windowMs');
  posInt(o, 'hopMs');
  if (o.hopMs > o.windowMs) throw new RangeError(`hopMs: ${o.hopMs} exceeds windowMs ${o.windowMs}`);
  if (o.windowMs % o.hopMs !== 0) throw new RangeError(`hopMs: ${o.hopMs} does not divide windowMs ${o.windowMs}`);
  if (o.windowMs / o.hopMs > MAX_WINDOWS_PER_EVENT) {
    throw new RangeError(`hopMs: windowMs / hopMs = ${o.windowMs / o.hopMs} exceeds ${MAX_WINDOWS_PER_EVENT} windows per event`);
  }
  nonNegInt(o, 'allowedLatenessMs');
  posInt(o, 'sourceIdleMs');
  finite(o, 'zThreshold');
  if (o.zThreshold <= 0) throw new RangeError(`zThreshold: ${o.zThreshold} must be positive`);
  finite(o, 'criticalZ');
  if (o.criticalZ < o.zThreshold) throw new RangeError(`criticalZ: ${o.criticalZ} is below zThreshold ${o.zThreshold}`);
  posInt(o, 'minVolume');
  posInt(o, 'minNegative');
  nonNegInt(o, 'cooldownMs');
  finite(o, 'ewmaAlpha');
  if (!(o.ewmaAlpha > 0 && o.ewmaAlpha <= 1)) throw new RangeError(`ewmaAlpha: ${o.ewmaAlpha} must be in (0, 1]`);
  nonNegInt(o, 'minBaselineWindows');
  finite(o, 'priorNegativeShare');
  if (!(o.priorNegativeShare > 0 && o.priorNegativeShare < 1)) {
    throw new RangeError(`priorNegativeShare: ${o.priorNegativeShare} must be in (0, 1)`);
  }
  finite(o, 'shareStdFloor');
  if (!(o.shareStdFloor > 0 && o.shareStdFloor <= 1)) throw new RangeError(`shareStdFloor: ${o.shareStdFloor} must be in (0, 1]`);
  posInt(o, 'maxKeys');
  posInt(o, 'idleKeyTtlMs');
  nonNegInt(o, 'topHeadlines');
  if (o.topHeadlines > MAX_TOP_HEADLINES) throw new RangeError(`topHeadlines: ${o.topHeadlines} exceeds ${MAX_TOP_HEADLINES}`);
  return o;
}

/**
 * DEFAULT_ALERTING_OPTIONS with `overrides` applied, validated. Overriding `windowMs`
 * alone keeps tumbling windows (hopMs follows it).
 */
export function alertingOptions(overrides: Partial<AlertingOptions> = {}): AlertingOptions {
  const hopMs = overrides.hopMs ?? overrides.windowMs ?? DEFAULT_ALERTING_OPTIONS.hopMs;
  return validateAlertingOptions(Object.freeze({ ...DEFAULT_ALERTING_OPTIONS, ...overrides, hopMs }));
}

type NumericField = keyof AlertingOptions;

function finite(o: AlertingOptions, f: NumericField): void {
  const v: unknown = o[f];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new RangeError(`${f}: expected a finite number, got ${String(v)}`);
}

function nonNegInt(o: AlertingOptions, f: NumericField): void {
  finite(o, f);
  if (!Number.isSafeInteger(o[f]) || o[f] < 0) throw new RangeError(`${f}: expected a non-negative integer, got ${o[f]}`);
}

function posInt(o: AlertingOptions, f: NumericField): void {
  nonNegInt(o, f);
  if (o[f] === 0) throw new RangeError(`${f}: expected a positive integer, got 0`);
}
