import { evaluate, type ClassMetrics } from '@tuneline/finetune';
import type { SentimentAlert } from '@tuneline/sentiment';

/**
 * Pure figures of the sentiment-monitor quality bench (tools/bench/sentiment-quality.ts):
 * label metrics of the classifier, and injected-surge matching for the alerting.
 */

export interface LabelMetrics {
  readonly count: number;
  readonly accuracy: number;
  /** Mean F1 over the labels present in `gold` (libs/finetune's convention). */
  readonly macroF1: number;
  readonly perClass: Readonly<Record<string, ClassMetrics>>;
  /** confusion[gold][predicted], in `labels` order. */
  readonly confusion: readonly (readonly number[])[];
}

/**
 * Accuracy, per-class P/R/F1 and macro-F1 of hard predictions. Computed by libs/finetune's
 * `evaluate` (one-hot rows), so these figures follow the training report's definitions.
 */
export function labelMetrics(gold: readonly string[], predicted: readonly string[], labels: readonly string[]): LabelMetrics {
  if (gold.length === 0) throw new RangeError('gold: no rows to score');
  if (predicted.length !== gold.length) throw new RangeError(`predicted: ${predicted.length} labels for ${gold.length} gold rows`);
  if (new Set(labels).size !== labels.length || labels.length < 2) throw new RangeError(`labels: expected at least two distinct labels, got [${labels.join(', ')}]`);
  const index = new Map(labels.map((l, i) => [l, i]));
  const n = gold.length;
  const c = labels.length;
  const P = new Float64Array(n * c);
  const targets = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const g = index.get(gold[i] as string);
    if (g === undefined) throw new RangeError(`gold[${i}]: "${gold[i]}" is not one of [${labels.join(', ')}]`);
    const p = index.get(predicted[i] as string);
    if (p === undefined) throw new RangeError(`predicted[${i}]: "${predicted[i]}" is not one of [${labels.join(', ')}]`);
    targets[i] = g;
    P[i * c + p] = 1;
  }
  const r = evaluate(P, n, labels, targets);
  return { count: n, accuracy: r.accuracy, macroF1: r.macroF1, perClass: r.perClass, confusion: r.confusion };
}

/** An injected surge of negative news about one entity: [startMs, endMs) of event time. */
export interface SurgeWindow {
  readonly entity: string;
  readonly startMs: number;
  readonly endMs: number;
}

/** What matching needs of an entity alert. */
export interface EntityAlert {
  readonly alertId: string;
  readonly entity: string;
  readonly windowStartMs: number;
  readonly windowEndMs: number;
  /** Event time of the item whose arrival fired it. */
  readonly triggerMs: number;
}

export function entityAlertOf(a: SentimentAlert): EntityAlert {
  if (a.kind !== 'entity') throw new RangeError(`alert ${a.alertId}: kind is ${a.kind}, not entity`);
  const ms = (iso: string, field: string) => {
    const t = Date.parse(iso);
    if (!Number.isFinite(t)) throw new RangeError(`alert ${a.alertId}: ${field} is not an ISO time: ${JSON.stringify(iso)}`);
    return t;
  };
  return { alertId: a.alertId, entity: a.name, windowStartMs: ms(a.windowStart, 'windowStart'), windowEndMs: ms(a.windowEnd, 'windowEnd'), triggerMs: ms(a.eventTime, 'eventTime') };
}

export interface SurgeOutcome {
  readonly surge: SurgeWindow;
  /** Alerts for the surge's entity whose window overlaps it. */
  readonly alerts: number;
  /** First matching alert's trigger time − surge start, in seconds; null when missed. */
  readonly delaySec: number | null;
}

export interface SurgeMatching {
  readonly surges: number;
  readonly detected: number;
  readonly alerts: number;
  readonly matchedAlerts: number;
  /** detected / surges. */
  readonly recall: number;
  /** matchedAlerts / alerts; 1 when nothing was raised (no false alert was given). */
  readonly precision: number;
  /** Median of the detected surges' delays; null when none was detected. */
  readonly delayMedianSec: number | null;
  readonly perSurge: readonly SurgeOutcome[];
  /** Alerts that overlap no surge of their entity. */
  readonly falseAlerts: readonly EntityAlert[];
}

/** Half-open windows [a0, a1) and [b0, b1) share at least one instant. */
const overlaps = (a0: number, a1: number, b0: number, b1: number) => a0 < b1 && b0 < a1;

/**
 * Surge recall/precision: a surge is detected when at least one alert for its entity has a
 * window overlapping it; an alert is a true one when it overlaps some surge of its entity.
 * Detection delay = the first such alert's trigger event time − the surge's start (negative
 * when the window began before the surge and fired on an item before it).
 */
export function matchSurges(surges: readonly SurgeWindow[], alerts: readonly EntityAlert[]): SurgeMatching {
  surges.forEach((s, i) => {
    if (!(Number.isFinite(s.startMs) && Number.isFinite(s.endMs) && s.endMs > s.startMs)) throw new RangeError(`surges[${i}]: expected startMs < endMs, got ${s.startMs}..${s.endMs}`);
  });
  alerts.forEach((a, i) => {
    if (!(Number.isFinite(a.windowStartMs) && Number.isFinite(a.windowEndMs) && a.windowEndMs > a.windowStartMs)) {
      throw new RangeError(`alerts[${i}]: expected windowStartMs < windowEndMs, got ${a.windowStartMs}..${a.windowEndMs}`);
    }
    if (!Number.isFinite(a.triggerMs)) throw new RangeError(`alerts[${i}].triggerMs: expected a time in ms, got ${a.triggerMs}`);
  });
  const hits = (s: SurgeWindow, a: EntityAlert) => a.entity === s.entity && overlaps(a.windowStartMs, a.windowEndMs, s.startMs, s.endMs);
  const perSurge = surges.map((surge): SurgeOutcome => {
    const mine = alerts.filter((a) => hits(surge, a));
    const first = mine.length === 0 ? null : Math.min(...mine.map((a) => a.triggerMs));
    return { surge, alerts: mine.length, delaySec: first === null ? null : (first - surge.startMs) / 1000 };
  });
  const falseAlerts = alerts.filter((a) => !surges.some((s) => hits(s, a)));
  const detected = perSurge.filter((o) => o.delaySec !== null);
  const matchedAlerts = alerts.length - falseAlerts.length;
  return {
    surges: surges.length,
    detected: detected.length,
    alerts: alerts.length,
    matchedAlerts,
    recall: surges.length === 0 ? 0 : detected.length / surges.length,
    precision: alerts.length === 0 ? 1 : matchedAlerts / alerts.length,
    delayMedianSec: detected.length === 0 ? null : median(detected.map((o) => o.delaySec as number)),
    perSurge,
    falseAlerts,
  };
}

/** Median; the mean of the two middle values for an even count. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new RangeError('median: no values');
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Surges and detected surges per group (e.g. by length or by the entity's surge number). */
export function recallBy(perSurge: readonly SurgeOutcome[], group: (o: SurgeOutcome, i: number) => string): Record<string, { surges: number; detected: number }> {
  const out: Record<string, { surges: number; detected: number }> = {};
  perSurge.forEach((o, i) => {
    const k = group(o, i);
    const g = out[k] ?? { surges: 0, detected: 0 };
    out[k] = { surges: g.surges + 1, detected: g.detected + (o.delaySec === null ? 0 : 1) };
  });
  return out;
}

/** 1 for an entity's first surge (by start), 2 for its second, …, in `perSurge` order. */
export function surgeOrdinals(perSurge: readonly SurgeOutcome[]): number[] {
  const starts = new Map<string, number[]>();
  for (const o of perSurge) starts.set(o.surge.entity, [...(starts.get(o.surge.entity) ?? []), o.surge.startMs]);
  return perSurge.map((o) => (starts.get(o.surge.entity) as number[]).filter((t) => t < o.surge.startMs).length + 1);
}
