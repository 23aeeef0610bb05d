/**
 * The figures of tools/bench/sentiment-throughput.ts from what it observed (spec beside it):
 * scored items/s from the sentiment.scored records read, alert latency per alert, and the
 * score stage's consumer lag from the service's /metrics.
 */
import { percentile } from './stats';

export interface ScoredReceipt {
  /** When the bench's read_committed consumer got the record. */
  readonly receivedMs: number;
  /** The record's scoredAt: the score stage's clock when its chunk (one transaction) started, one value per chunk. */
  readonly scoredAt: string;
}

export interface ScoredThroughput {
  /** All items over the span from the first chunk's start (scoredAt) to the last record read. */
  readonly itemsPerSec: number;
  readonly spanMs: number;
  /** The same items over first record read → last record read, less the first chunk read: see below. */
  readonly readSpanItemsPerSec: number;
  readonly readSpanMs: number;
  /** Chunks seen (distinct scoredAt values; two starting in the same millisecond count as one). */
  readonly chunks: number;
  readonly items: number;
}

/**
 * Items/s of the score stage from what a read_committed reader of sentiment.scored saw. The
 * span starts when the first chunk started (its scoredAt, the service's clock on this
 * machine) and ends at the last record read, and every item counts. Timing from the first
 * record READ instead (readSpan…) overstates the rate: the stage has a chunk of every input
 * partition in the model at once and the batcher mixes their texts, so the first chunks all
 * finish at about the same time, at the end of a stretch the read span does not include,
 * while only the first chunk read is left out of its count.
 */
export function scoredThroughput(receipts: readonly ScoredReceipt[]): ScoredThroughput {
  if (receipts.length < 2) throw new RangeError(`receipts: expected at least 2, got ${receipts.length}`);
  let startMs = Infinity;
  let firstReadMs = Infinity;
  let lastReadMs = -Infinity;
  let firstRead: ScoredReceipt | undefined;
  const chunks = new Set<string>();
  for (const r of receipts) {
    const started = Date.parse(r.scoredAt);
    if (!Number.isFinite(started)) throw new RangeError(`receipts: scoredAt "${r.scoredAt}" is not a time`);
    startMs = Math.min(startMs, started);
    if (r.receivedMs < firstReadMs) {
      firstReadMs = r.receivedMs;
      firstRead = r;
    }
    lastReadMs = Math.max(lastReadMs, r.receivedMs);
    chunks.add(r.scoredAt);
  }
  const spanMs = lastReadMs - startMs;
  const readSpanMs = lastReadMs - firstReadMs;
  if (!(readSpanMs > 0)) throw new RangeError('receipts: every record was read at the same instant; nothing to time');
  const firstChunk = receipts.filter((r) => r.scoredAt === firstRead?.scoredAt).length;
  return {
    itemsPerSec: (receipts.length * 1000) / spanMs,
    spanMs,
    readSpanItemsPerSec: ((receipts.length - firstChunk) * 1000) / readSpanMs,
    readSpanMs,
    chunks: chunks.size,
    items: receipts.length,
  };
}

export interface AlertReceipt {
  readonly alertId: string;
  readonly triggerItemId: string;
  readonly key: string;
  readonly receivedMs: number;
}

export interface AlertLatency {
  /** Alerts with a known trigger item, each id once. */
  readonly alerts: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly minMs: number;
  readonly maxMs: number;
  /**
   * The same alerts split where the trigger item's sentiment.scored record was read: sent →
   * scored (the score stage) and scored → alert (window events, the windows stage, sentiment.alerts).
   * Alerts whose trigger's scored record was not read are left out of both.
   */
  readonly toScored: { readonly p50Ms: number; readonly p90Ms: number; readonly p99Ms: number };
  readonly scoredToAlert: { readonly p50Ms: number; readonly p90Ms: number; readonly p99Ms: number };
  /** Alerts whose trigger item the bench did not send (none expected). */
  readonly unknownTrigger: number;
  /** Receipts of an alert id already seen (none expected: exactly once). */
  readonly duplicates: number;
  readonly byKind: Readonly<Record<string, number>>;
}

const percentiles = (xs: number[]) => {
  const s = xs.sort((a, b) => a - b);
  return { p50Ms: percentile(s, 50), p90Ms: percentile(s, 90), p99Ms: percentile(s, 99) };
};

/**
 * Per alert (first receipt of each id): received − sent of its trigger item; nearest-rank
 * percentiles (with n alerts, p99 is the largest once n < 100). `scoredMs`: when each item's
 * sentiment.scored record was read, for the split.
 */
export function alertLatency(receipts: readonly AlertReceipt[], sentMs: ReadonlyMap<string, number>, scoredMs: ReadonlyMap<string, number> = new Map()): AlertLatency {
  const seen = new Set<string>();
  const latencies: number[] = [];
  const toScored: number[] = [];
  const scoredToAlert: number[] = [];
  const byKind: Record<string, number> = {};
  let unknownTrigger = 0;
  let duplicates = 0;
  for (const r of receipts) {
    if (seen.has(r.alertId)) {
      duplicates++;
      continue;
    }
    seen.add(r.alertId);
    const sent = sentMs.get(r.triggerItemId);
    if (sent === undefined) {
      unknownTrigger++;
      continue;
    }
    latencies.push(r.receivedMs - sent);
    const scored = scoredMs.get(r.triggerItemId);
    if (scored !== undefined) {
      toScored.push(scored - sent);
      scoredToAlert.push(r.receivedMs - scored);
    }
    const kind = r.key.slice(0, Math.max(0, r.key.indexOf(':'))) || 'unknown';
    byKind[kind] = (byKind[kind] ?? 0) + 1;
  }
  const s = latencies.sort((a, b) => a - b);
  return {
    alerts: s.length,
    ...percentiles(s),
    minMs: s.length ? (s[0] as number) : NaN,
    maxMs: s.length ? (s[s.length - 1] as number) : NaN,
    toScored: percentiles(toScored),
    scoredToAlert: percentiles(scoredToAlert),
    unknownTrigger,
    duplicates,
    byKind,
  };
}

const LAG_LINE = /^tuneline_sentiment_stage_lag\{([^}]*)\}\s+(\S+)/;

/** `tuneline_sentiment_stage_lag` of one stage from a Prometheus text page: partition → lag. */
export function stageLagOf(metricsText: string, stage: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const line of metricsText.split('\n')) {
    const m = LAG_LINE.exec(line);
    if (!m) continue;
    const labels = new Map([...(m[1] as string).matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1] as string, l[2] as string]));
    const value = Number(m[2]);
    if (labels.get('stage') !== stage || !Number.isFinite(value)) continue;
    out.set(Number(labels.get('partition')), value);
  }
  return out;
}

/** A counter's or histogram part's value summed over its label sets (e.g. `tuneline_inference_run_seconds_sum`); 0 when absent. */
export function metricTotal(metricsText: string, name: string): number {
  let total = 0;
  for (const line of metricsText.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^(\S+?)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (m?.[1] !== name) continue;
    const value = Number(m[3]);
    if (Number.isFinite(value)) total += value;
  }
  return total;
}

/** The largest lag seen over samples: summed over partitions, and of any one partition. */
export class LagPeak {
  private total = 0;
  private partition = 0;
  private samples = 0;

  add(lags: ReadonlyMap<number, number>): void {
    let sum = 0;
    for (const lag of lags.values()) {
      sum += lag;
      this.partition = Math.max(this.partition, lag);
    }
    this.total = Math.max(this.total, sum);
    this.samples++;
  }

  get(): { maxTotal: number; maxPartition: number; samples: number } {
    return { maxTotal: this.total, maxPartition: this.partition, samples: this.samples };
  }
}

/** Linux clock ticks per second (`getconf CLK_TCK`; 100 on x86-64 and arm64 kernels). */
export const CLOCK_TICKS_PER_SEC = 100;

/**
 * User + system CPU seconds of a process from its /proc/<pid>/stat line (fields 14 and 15,
 * counted after the command name, which may itself hold spaces and parentheses).
 */
export function cpuSecondsOfStat(stat: string, ticksPerSec = CLOCK_TICKS_PER_SEC): number {
  const close = stat.lastIndexOf(')');
  const fields = stat.slice(close + 2).trim().split(/\s+/);
  // fields[0] is field 3 (state): utime is field 14, stime field 15.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (close < 0 || !Number.isFinite(utime) || !Number.isFinite(stime)) throw new TypeError('stat: not a /proc/<pid>/stat line');
  return (utime + stime) / ticksPerSec;
}
