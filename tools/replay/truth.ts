/**
 * Ground truth written next to a generated stream (truth.json, samples/news-sample.truth.json):
 * where the negative surges are, which entities are steady, and what each entity got. Alert
 * quality is measured against it: an entity alert whose window overlaps [startMs, endMs) of a
 * surge of that entity detects it; detection delay = alert event time − startMs.
 */
export interface SurgeTruth {
  readonly entity: string;
  /** The window key an alert for it carries: `entity:<name>`. */
  readonly key: string;
  readonly start: string;
  readonly end: string;
  readonly startMs: number;
  readonly endMs: number;
  /** Items about the entity published in [start, end), and how many of them are negative. */
  readonly items: number;
  readonly negatives: number;
}

/** A time span with more items about an entity that are NOT negative (must not alert). */
export interface SpikeTruth {
  readonly entity: string;
  readonly key: string;
  readonly start: string;
  readonly end: string;
  readonly items: number;
  readonly negatives: number;
}

export interface EntityCounts {
  readonly items: number;
  readonly negatives: number;
}

export interface StreamTruth {
  readonly version: 1;
  readonly generator: string;
  readonly seed: number;
  /** Event-time span of the stream: [start, end). */
  readonly start: string;
  readonly end: string;
  readonly items: number;
  readonly surges: readonly SurgeTruth[];
  /** Entities with a steady mix throughout: any alert for them is a false positive. */
  readonly steady: readonly string[];
  readonly spikes: readonly SpikeTruth[];
  /** Per entity (by canonical name), by the generator's labels. */
  readonly entities: Readonly<Record<string, EntityCounts>>;
}

export interface LabelledEvent {
  readonly entity: string | undefined;
  readonly eventMs: number;
  readonly label: string;
}

export function countIn(events: readonly LabelledEvent[], entity: string, startMs = -Infinity, endMs = Infinity): EntityCounts {
  let items = 0;
  let negatives = 0;
  for (const e of events) {
    if (e.entity !== entity || e.eventMs < startMs || e.eventMs >= endMs) continue;
    items++;
    if (e.label === 'negative') negatives++;
  }
  return { items, negatives };
}

export function entityCounts(events: readonly LabelledEvent[]): Record<string, EntityCounts> {
  const names = [...new Set(events.map((e) => e.entity).filter((e): e is string => e !== undefined))].sort();
  return Object.fromEntries(names.map((n) => [n, countIn(events, n)]));
}

/** ISO-8601 of `ms` written with the given UTC offset in minutes (e.g. +60 → "…+01:00"). */
export function isoWithOffset(ms: number, offsetMinutes: number): string {
  if (offsetMinutes === 0) return new Date(ms).toISOString();
  const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, -1);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
