/**
 * The news.raw records tools/bench/sentiment-throughput.ts sends, shaped here without Kafka
 * so the shapes are testable (spec beside it):
 * - the backlog of the throughput run: n copies of template records with fresh ids and fresh
 *   event times (one a second, ending now), as a feed the service fell behind on;
 * - the live stream of the latency run: calm news spread over synthetic entities plus a
 *   rotating negative surge every few seconds, each planned at an offset from the start and
 *   stamped with event time = start + offset when it is sent (times rebased to now).
 * Whether an item reads as negative is the served model's call on its text (the bench labels
 * its text pool with that model first), so the surges are negative to the service itself.
 */
import type { NewsRawValue } from '@tuneline/events';
import { alertingOptions, type AlertingOptions } from '@tuneline/sentiment';
import { createRng } from '../replay/prng';

/**
 * Alerting of the latency run's service (SENTIMENT_* variables; the rest are the service defaults).
 * 20 s tumbling windows and a 20 s cooldown, so a few minutes hold dozens of alerts; 10 s
 * lateness (the stream is live: partitions stay seconds apart); and the key baselines stay at
 * the prior (minBaselineWindows never reached) so a surge every minute or so per entity does not
 * teach the baseline that surges are normal: the run measures latency, not detection.
 */
export const LATENCY_ALERTING: Readonly<Partial<AlertingOptions>> = Object.freeze({
  windowMs: 20_000,
  hopMs: 20_000,
  allowedLatenessMs: 10_000,
  cooldownMs: 20_000,
  minBaselineWindows: 100_000,
});

/** The service's environment for LATENCY_ALERTING (config.ts ALERTING_ENV names). */
export const LATENCY_ALERTING_ENV: Readonly<Record<string, string>> = Object.freeze({
  SENTIMENT_WINDOW_MS: String(LATENCY_ALERTING.windowMs),
  SENTIMENT_HOP_MS: String(LATENCY_ALERTING.hopMs),
  SENTIMENT_ALLOWED_LATENESS_MS: String(LATENCY_ALERTING.allowedLatenessMs),
  SENTIMENT_COOLDOWN_MS: String(LATENCY_ALERTING.cooldownMs),
  SENTIMENT_MIN_BASELINE_WINDOWS: String(LATENCY_ALERTING.minBaselineWindows),
});

/** LATENCY_ALERTING over the library defaults, validated. */
export function latencyAlertingOptions(): AlertingOptions {
  return alertingOptions(LATENCY_ALERTING);
}

/** A record as the bench sends it: a template's text under a fresh id, no tickers (they would map to watch-list entities). */
function copyOf(template: NewsRawValue, id: string, publishedAtMs: number, entities?: readonly string[]): NewsRawValue {
  const rest: Partial<NewsRawValue> = { ...template };
  delete rest.tickers;
  delete rest.entities;
  const ents = entities ?? template.entities;
  return { ...(rest as NewsRawValue), id, published_at: new Date(publishedAtMs).toISOString(), ...(ents && ents.length > 0 ? { entities: [...ents] } : {}) };
}

/**
 * `n` records cycling over `templates` (their text and entities), ids `<runId>-b<i>`, event
 * times `spacingMs` apart ending at `endMs`, in event-time order.
 */
export function backlogRecords(templates: readonly NewsRawValue[], n: number, runId: string, endMs: number, spacingMs = 1_000): NewsRawValue[] {
  if (templates.length === 0) throw new RangeError('templates: expected at least one record');
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`n: expected an integer >= 1, got ${n}`);
  if (!(spacingMs >= 0)) throw new RangeError(`spacingMs: expected >= 0, got ${spacingMs}`);
  return Array.from({ length: n }, (_, i) => copyOf(templates[i % templates.length] as NewsRawValue, `${runId}-b${i}`, endMs - (n - 1 - i) * spacingMs));
}

export interface LatencyStreamOptions {
  /** Items per second, calm and surge together. */
  readonly ratePerSec: number;
  readonly seconds: number;
  /** Names the items are about (the record's `entities`); surges rotate over them. */
  readonly entities: readonly string[];
  /** The service's window length: surges are sized against an entity's calm items per window. */
  readonly windowMs: number;
  /** A surge starts every this many ms (the first at firstSurgeMs). */
  readonly surgeEveryMs: number;
  /** A surge's negative items are evenly spread over this long. */
  readonly surgeMs: number;
  /** Negative items of one surge per calm item an entity has in a window. */
  readonly surgeToCalm: number;
  /** Fewest negative items of one surge. */
  readonly minSurgeItems: number;
  readonly firstSurgeMs: number;
  /** Share of calm items drawn from the negative texts. */
  readonly calmNegativeShare: number;
  readonly seed: number;
}

export const DEFAULT_LATENCY_STREAM: Omit<LatencyStreamOptions, 'ratePerSec' | 'seconds'> = Object.freeze({
  entities: Array.from({ length: 15 }, (_, i) => `Bench Entity ${String(i + 1).padStart(2, '0')}`),
  windowMs: LATENCY_ALERTING.windowMs as number,
  surgeEveryMs: 4_000,
  surgeMs: 2_000,
  surgeToCalm: 1.5,
  minSurgeItems: 12,
  firstSurgeMs: 20_000,
  calmNegativeShare: 0.15,
  seed: 42,
});

/**
 * How `ratePerSec` splits: calm items/s c and k items per surge with k = surgeToCalm × (an
 * entity's calm items per window) but at least minSurgeItems, and c + k per surgeEveryMs = rate.
 */
export function splitRate(o: Omit<LatencyStreamOptions, 'seconds' | 'seed' | 'calmNegativeShare' | 'firstSurgeMs' | 'surgeMs'>): { calmRatePerSec: number; surgeItems: number } {
  const surgesPerSec = 1000 / o.surgeEveryMs;
  const perEntityWindow = o.windowMs / 1000 / o.entities.length;
  const calm = o.ratePerSec / (1 + o.surgeToCalm * perEntityWindow * surgesPerSec);
  const surgeItems = Math.max(o.minSurgeItems, Math.round(o.surgeToCalm * calm * perEntityWindow));
  return { calmRatePerSec: o.ratePerSec - surgeItems * surgesPerSec, surgeItems };
}

/** The texts to draw from: the served model's negatives, and the rest. */
export interface TextPool {
  readonly negative: readonly NewsRawValue[];
  readonly other: readonly NewsRawValue[];
}

export interface PlannedItem {
  /** Send time (and event time) as an offset from the stream's start. */
  readonly atMs: number;
  readonly entity: string;
  /** Index of the surge it belongs to; undefined for calm items. */
  readonly surge: number | undefined;
  readonly negative: boolean;
  /** published_at is the offset itself (from epoch 0): stampAt() rebases it. */
  readonly value: NewsRawValue;
}

export interface PlannedSurge {
  readonly index: number;
  readonly entity: string;
  readonly startMs: number;
  readonly endMs: number;
}

export interface LatencyPlan {
  readonly items: readonly PlannedItem[];
  readonly surges: readonly PlannedSurge[];
  readonly calmRatePerSec: number;
  readonly surgeItems: number;
}

function positive(name: string, x: number): void {
  if (!(Number.isFinite(x) && x > 0)) throw new RangeError(`${name}: expected a number > 0, got ${x}`);
}

/**
 * Plans the latency run's stream. Surge k starts at firstSurgeMs + k·surgeEveryMs on
 * entities[k mod E] (splitRate sizes it); calm items come at the rest of the rate, with
 * exponential gaps, a random entity and calmNegativeShare negatives. Throws a RangeError when
 * the smallest surges leave too little calm news (the rate is too low for this shape).
 */
export function planLatencyStream(pool: TextPool, o: LatencyStreamOptions, runId: string): LatencyPlan {
  positive('ratePerSec', o.ratePerSec);
  positive('seconds', o.seconds);
  positive('windowMs', o.windowMs);
  positive('surgeEveryMs', o.surgeEveryMs);
  positive('surgeMs', o.surgeMs);
  positive('surgeToCalm', o.surgeToCalm);
  if (!Number.isInteger(o.minSurgeItems) || o.minSurgeItems < 1) throw new RangeError(`minSurgeItems: expected an integer >= 1, got ${o.minSurgeItems}`);
  if (o.entities.length === 0) throw new RangeError('entities: expected at least one name');
  if (!(o.calmNegativeShare >= 0 && o.calmNegativeShare <= 1)) throw new RangeError(`calmNegativeShare: expected 0..1, got ${o.calmNegativeShare}`);
  if (pool.negative.length === 0) throw new RangeError('pool.negative: the model called none of the texts negative');
  if (pool.other.length === 0) throw new RangeError('pool.other: the model called every text negative');
  const { calmRatePerSec, surgeItems } = splitRate(o);
  const surgeRate = (surgeItems * 1000) / o.surgeEveryMs;
  if (!(calmRatePerSec >= surgeRate)) {
    throw new RangeError(`ratePerSec: ${o.ratePerSec}/s leaves ${calmRatePerSec.toFixed(2)}/s of calm news beside ${surgeRate}/s in surges of ${surgeItems}; needs at least ${(surgeRate * 2).toFixed(1)}/s`);
  }
  const rng = createRng(o.seed);
  const durationMs = o.seconds * 1000;
  const drafts: Omit<PlannedItem, 'value'>[] = [];
  for (let t = rng.exponential(1000 / calmRatePerSec); t < durationMs; t += rng.exponential(1000 / calmRatePerSec)) {
    drafts.push({ atMs: Math.floor(t), entity: rng.pick(o.entities), surge: undefined, negative: rng.next() < o.calmNegativeShare });
  }
  const surges: PlannedSurge[] = [];
  for (let k = 0, start = o.firstSurgeMs; start + o.surgeMs <= durationMs; k++, start += o.surgeEveryMs) {
    const entity = o.entities[k % o.entities.length] as string;
    surges.push({ index: k, entity, startMs: start, endMs: start + o.surgeMs });
    for (let j = 0; j < surgeItems; j++) drafts.push({ atMs: Math.floor(start + (j * o.surgeMs) / surgeItems), entity, surge: k, negative: true });
  }
  // Stable order by time: calm first on a tie, then as planned.
  const ordered = drafts.map((d, i) => ({ d, i })).sort((x, y) => x.d.atMs - y.d.atMs || x.i - y.i).map(({ d }) => d);
  const items = ordered.map((d, i) => ({ ...d, value: copyOf(rng.pick(d.negative ? pool.negative : pool.other), `${runId}-l${i}`, d.atMs, [d.entity]) }));
  return { items, surges, calmRatePerSec, surgeItems };
}

/** The planned record with its event time rebased to the stream's start. */
export function stampAt(item: PlannedItem, startMs: number): NewsRawValue {
  return { ...item.value, published_at: new Date(startMs + item.atMs).toISOString() };
}
