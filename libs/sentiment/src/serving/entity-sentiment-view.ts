/**
 * EntitySentimentView: per-entity sentiment counts over the last N seconds, for
 * GetEntitySentiment. Fed with the scored items one replica reads from sentiment.scored.
 *
 * Contract:
 * - Counts are kept in 1-minute buckets of event time (published_at). A window of W seconds
 *   (W one of the kept windows, all whole minutes) is the W/60 buckets ending with the
 *   bucket that holds `nowMs`: [windowStartMs, windowEndMs), minute-aligned, so it ends up
 *   to one minute after now and covers the current minute so far.
 * - Entity names are exact and case-sensitive, as they appear in the scored records; an
 *   item naming an entity twice counts once for it. An unknown entity reads as zero counts.
 * - Retention is the longest window: older buckets are dropped and items older than that
 *   are refused (`too-old`); items more than maxFutureMs ahead of now are refused (`too-new`,
 *   a bad clock upstream must not pin memory).
 * - Memory is bounded by maxEntities and maxBuckets (all entities together): past either,
 *   the least recently updated entity is evicted whole and reads as zero counts afterwards,
 *   like a quiet one (stats().evictedEntities counts them). Entities whose newest bucket has
 *   left retention are dropped as they come up, and all at once by prune(nowMs).
 */
import type { SentimentLabel } from '../types';
import { UnknownWindowError } from './errors';

export const BUCKET_MS = 60_000;
/** Longest window a view keeps (7 days: 10 080 buckets per busy entity). */
export const MAX_WINDOW_SECONDS = 7 * 86_400;

export interface EntitySentimentOptions {
  /** Window lengths GetEntitySentiment answers, in seconds; whole minutes. */
  readonly windowsSeconds: readonly number[];
  /** Entities held at most. */
  readonly maxEntities: number;
  /** Minute buckets held at most, all entities together (about 110 bytes each). */
  readonly maxBuckets: number;
  /** How far past now an item's event time may be. */
  readonly maxFutureMs: number;
}

export const DEFAULT_ENTITY_SENTIMENT_OPTIONS: EntitySentimentOptions = Object.freeze({
  windowsSeconds: Object.freeze([300, 900, 3600, 86_400]),
  maxEntities: 10_000,
  // ~110 MB worst case (measured ~110 bytes per bucket); a day of per-minute activity for ~700 busy entities.
  maxBuckets: 1_000_000,
  maxFutureMs: 5 * 60_000,
});

/** The fields of a sentiment.scored record (or a ScoredItem) the view reads. */
export interface EntityObservation {
  readonly entities: readonly string[];
  readonly sentiment: SentimentLabel;
  /** P(positive) − P(negative), in [-1, 1]. */
  readonly score: number;
  /** ISO-8601 event time. */
  readonly publishedAt: string;
}

export interface EntitySentiment {
  readonly entity: string;
  readonly windowSeconds: number;
  readonly windowStartMs: number;
  readonly windowEndMs: number;
  readonly totalCount: number;
  readonly positiveCount: number;
  readonly neutralCount: number;
  readonly negativeCount: number;
  /** Mean score over the window; 0 when empty. */
  readonly meanScore: number;
}

export type RecordOutcome = 'counted' | 'too-old' | 'too-new' | 'no-entities';

export interface EntitySentimentStats {
  readonly entities: number;
  readonly buckets: number;
  readonly evictedEntities: number;
  readonly tooOld: number;
  readonly tooNew: number;
}

interface Bucket {
  negative: number;
  neutral: number;
  positive: number;
  scoreSum: number;
}

interface EntityState {
  readonly buckets: Map<number, Bucket>;
  minBucket: number;
  maxBucket: number;
}

const LABELS: ReadonlySet<string> = new Set<SentimentLabel>(['negative', 'neutral', 'positive']);

function checkInt(name: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) throw new RangeError(`${name} must be an integer ≥ ${min}, got ${value}`);
}

function checkNow(nowMs: number): void {
  if (!Number.isFinite(nowMs)) throw new RangeError(`nowMs must be a finite number, got ${nowMs}`);
}

export function validateEntitySentimentOptions(options: EntitySentimentOptions): EntitySentimentOptions {
  const windows = options.windowsSeconds;
  if (!Array.isArray(windows) || windows.length === 0) throw new RangeError('windowsSeconds must list at least one window');
  for (const w of windows) {
    checkInt('windowsSeconds', w, 60);
    if (w % 60 !== 0 || w > MAX_WINDOW_SECONDS) throw new RangeError(`windowsSeconds must be whole minutes up to ${MAX_WINDOW_SECONDS}, got ${w}`);
  }
  if (new Set(windows).size !== windows.length) throw new RangeError('windowsSeconds must not repeat a window');
  checkInt('maxEntities', options.maxEntities, 1);
  checkInt('maxFutureMs', options.maxFutureMs, 0);
  // One entity's full retention plus its future buckets must fit, or the newest item could evict itself.
  const oneEntity = Math.max(...windows) / 60 + Math.ceil(options.maxFutureMs / BUCKET_MS) + 1;
  checkInt('maxBuckets', options.maxBuckets, oneEntity);
  return options;
}

export class EntitySentimentView {
  private readonly options: EntitySentimentOptions;
  private readonly kept: readonly number[];
  private readonly retainBuckets: number;
  /** Least recently updated first (Map insertion order; re-inserted on update). */
  private readonly entities = new Map<string, EntityState>();
  private bucketCount = 0;
  private counts = { evictedEntities: 0, tooOld: 0, tooNew: 0 };

  constructor(options: Partial<EntitySentimentOptions> = {}) {
    this.options = validateEntitySentimentOptions({ ...DEFAULT_ENTITY_SENTIMENT_OPTIONS, ...options });
    this.kept = Object.freeze([...this.options.windowsSeconds].sort((a, b) => a - b));
    this.retainBuckets = Math.max(...this.kept) / 60;
  }

  /** The windows query() answers, ascending (seconds). */
  get windows(): readonly number[] {
    return this.kept;
  }

  record(item: EntityObservation, nowMs: number): RecordOutcome {
    checkNow(nowMs);
    if (typeof item !== 'object' || item === null) throw new TypeError('item must be an object');
    if (!Array.isArray(item.entities)) throw new TypeError('item.entities must be an array');
    if (!LABELS.has(item.sentiment)) throw new TypeError(`item.sentiment must be negative, neutral or positive, got ${String(item.sentiment)}`);
    if (typeof item.score !== 'number' || !(item.score >= -1 && item.score <= 1)) throw new RangeError(`item.score must be in [-1, 1], got ${item.score}`);
    const eventMs = typeof item.publishedAt === 'string' ? Date.parse(item.publishedAt) : NaN;
    if (Number.isNaN(eventMs)) throw new TypeError(`item.publishedAt must be an ISO-8601 time, got ${String(item.publishedAt)}`);

    const cutoff = this.cutoffBucket(nowMs);
    const bucket = Math.floor(eventMs / BUCKET_MS);
    if (bucket < cutoff) {
      this.counts.tooOld++;
      return 'too-old';
    }
    if (eventMs > nowMs + this.options.maxFutureMs) {
      this.counts.tooNew++;
      return 'too-new';
    }
    const names = new Set(item.entities.filter((e): e is string => typeof e === 'string' && e.length > 0));
    if (names.size === 0) return 'no-entities';
    for (const name of names) this.add(name, bucket, item, cutoff);
    this.expireStaleHead(cutoff);
    this.enforceBounds();
    return 'counted';
  }

  /** Counts for `entity` over the `windowSeconds` ending with now's minute; UnknownWindowError for a window not kept. */
  query(entity: string, windowSeconds: number, nowMs: number): EntitySentiment {
    if (typeof entity !== 'string') throw new TypeError('entity must be a string');
    checkNow(nowMs);
    if (!this.kept.includes(windowSeconds)) throw new UnknownWindowError(windowSeconds, this.kept);
    const endBucket = Math.floor(nowMs / BUCKET_MS);
    const startBucket = endBucket - windowSeconds / 60 + 1;
    const sum: Bucket = { negative: 0, neutral: 0, positive: 0, scoreSum: 0 };
    const state = this.entities.get(entity);
    if (state) {
      for (const [b, counts] of state.buckets) {
        if (b < startBucket || b > endBucket) continue;
        sum.negative += counts.negative;
        sum.neutral += counts.neutral;
        sum.positive += counts.positive;
        sum.scoreSum += counts.scoreSum;
      }
    }
    const total = sum.negative + sum.neutral + sum.positive;
    return {
      entity,
      windowSeconds,
      windowStartMs: startBucket * BUCKET_MS,
      windowEndMs: (endBucket + 1) * BUCKET_MS,
      totalCount: total,
      positiveCount: sum.positive,
      neutralCount: sum.neutral,
      negativeCount: sum.negative,
      meanScore: total === 0 ? 0 : sum.scoreSum / total,
    };
  }

  /** Drops every bucket no window can see any more (call on a timer when records are sparse). */
  prune(nowMs: number): void {
    checkNow(nowMs);
    const cutoff = this.cutoffBucket(nowMs);
    for (const [name, state] of this.entities) {
      if (state.maxBucket < cutoff) this.drop(name, state);
      else if (state.minBucket < cutoff) this.pruneEntity(state, cutoff);
    }
  }

  stats(): EntitySentimentStats {
    return { entities: this.entities.size, buckets: this.bucketCount, ...this.counts };
  }

  /** Oldest bucket any kept window can still see at `nowMs`. */
  private cutoffBucket(nowMs: number): number {
    return Math.floor(nowMs / BUCKET_MS) - this.retainBuckets + 1;
  }

  private add(name: string, bucket: number, item: EntityObservation, cutoff: number): void {
    let state = this.entities.get(name);
    if (state) {
      this.entities.delete(name); // re-inserted below: most recently updated last
      if (state.minBucket < cutoff) this.pruneEntity(state, cutoff);
    } else {
      state = { buckets: new Map(), minBucket: bucket, maxBucket: bucket };
    }
    this.entities.set(name, state);
    let counts = state.buckets.get(bucket);
    if (!counts) {
      counts = { negative: 0, neutral: 0, positive: 0, scoreSum: 0 };
      state.buckets.set(bucket, counts);
      this.bucketCount++;
      state.minBucket = state.buckets.size === 1 ? bucket : Math.min(state.minBucket, bucket);
      state.maxBucket = state.buckets.size === 1 ? bucket : Math.max(state.maxBucket, bucket);
    }
    counts[item.sentiment]++;
    counts.scoreSum += item.score;
  }

  private pruneEntity(state: EntityState, cutoff: number): void {
    let min = Infinity;
    for (const b of state.buckets.keys()) {
      if (b < cutoff) {
        state.buckets.delete(b);
        this.bucketCount--;
      } else if (b < min) {
        min = b;
      }
    }
    state.minBucket = min;
  }

  /** Cheap, amortised: drops least-recently-updated entities while all their buckets are stale. */
  private expireStaleHead(cutoff: number): void {
    for (const [name, state] of this.entities) {
      if (state.maxBucket >= cutoff) return;
      this.drop(name, state);
    }
  }

  private enforceBounds(): void {
    for (const [name, state] of this.entities) {
      if (this.entities.size <= this.options.maxEntities && this.bucketCount <= this.options.maxBuckets) return;
      this.drop(name, state);
      this.counts.evictedEntities++;
    }
  }

  private drop(name: string, state: EntityState): void {
    this.entities.delete(name);
    this.bucketCount -= state.buckets.size;
  }
}
