import type { AlertingOptions } from './options';

/**
 * Sources one engine remembers at most. A partition of sentiment.window-events hears from
 * every news.raw partition (six), plus "" for records older than sources; beyond this the
 * source with the oldest newest time is forgotten.
 */
export const MAX_SOURCES = 64;

/** One source's progress, as snapshots carry it. */
export interface SourceClock {
  readonly source: string;
  /** Its newest event time. */
  readonly newestMs: number;
  /** Its second newest (a time a second item reached); null after one item. */
  readonly confirmedMs: number | null;
}

/** SourceClocks' whole state, JSON-safe. */
export interface SourceClocksState {
  /** First event time the engine saw (start of the wait for unseen sources); null before any. */
  readonly startMs: number | null;
  /** The partition clock (see SourceClocks); null before any event. */
  readonly clockMs: number | null;
  /** The partition watermark; null while it is still −∞. */
  readonly watermarkMs: number | null;
  /** In the order first seen. */
  readonly sources: readonly SourceClock[];
}

export type SourceClockParams = Pick<AlertingOptions, 'allowedLatenessMs' | 'sourceIdleMs' | 'idleKeyTtlMs'>;

/**
 * Event-time progress of the sources (news.raw partitions) that feed one engine. Each
 * source is in order in itself, but sources reach the engine at their own paces (a replayed
 * backlog runs one partition's chunk, then another's), so progress is tracked per source:
 *
 * - the **watermark** W is the minimum, over active sources, of newest − allowedLatenessMs,
 *   and never goes back. Windows ending at or before W are closed; an item of an active
 *   source that is at most allowedLatenessMs older than its own source's newest item is
 *   therefore never late, however far ahead the other sources are;
 * - the **partition clock** is the newest time some source has *confirmed*, i.e. reached
 *   with a second item (each source's second newest time), and never goes back. One stray
 *   item far in the future therefore moves neither the clock nor, with two or more sources,
 *   W. The clock drives idleness and key eviction;
 * - a source more than sourceIdleMs behind the clock is **idle** and stops holding W back
 *   (a stopped partition must not freeze every window); its items older than W are late;
 * - the engine cannot know how many sources exist: until the clock is sourceIdleMs past
 *   the first event, W stays at or below first event − sourceIdleMs: an unseen source may
 *   still bring items up to sourceIdleMs older than the first one (its first chunk can come
 *   later and start earlier in event time), and those must not be dropped as late;
 * - a source more than max(sourceIdleMs, idleKeyTtlMs) behind the clock is forgotten, and
 *   at most MAX_SOURCES are kept.
 *
 * Pure and synchronous: the same observations in the same order give the same clocks.
 */
export class SourceClocks {
  private readonly newest = new Map<string, number>();
  /** Second newest time per source; absent after its first item. */
  private readonly confirmed = new Map<string, number>();
  private startMs: number | null = null;
  private clock = Number.NEGATIVE_INFINITY;
  private watermark = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly p: SourceClockParams,
    state?: SourceClocksState,
  ) {
    if (state === undefined) return;
    this.startMs = state.startMs;
    this.clock = state.clockMs ?? Number.NEGATIVE_INFINITY;
    this.watermark = state.watermarkMs ?? Number.NEGATIVE_INFINITY;
    for (const s of state.sources) {
      this.newest.set(s.source, s.newestMs);
      if (s.confirmedMs !== null) this.confirmed.set(s.source, s.confirmedMs);
    }
    while (this.newest.size > MAX_SOURCES) this.forgetOldest();
  }

  /** Windows ending at or before this are closed; −∞ until something closed. */
  get watermarkMs(): number {
    return this.watermark;
  }

  /** The partition clock; −∞ before the first event. */
  get clockMs(): number {
    return this.clock;
  }

  get size(): number {
    return this.newest.size;
  }

  /** Takes note of an event of `source` at `t` (any event, late ones included). */
  observe(source: string, t: number): void {
    if (this.startMs === null) {
      this.startMs = t;
      this.clock = t;
    }
    const newest = this.newest.get(source);
    if (newest === undefined || t > newest) {
      if (newest !== undefined) this.confirmed.set(source, newest);
      this.newest.set(source, t);
      if (newest === undefined && this.newest.size > MAX_SOURCES) this.forgetOldest();
    } else if (t > (this.confirmed.get(source) ?? Number.NEGATIVE_INFINITY)) {
      this.confirmed.set(source, t);
    } else {
      return;
    }
    this.advance();
  }

  state(): SourceClocksState {
    return {
      startMs: this.startMs,
      clockMs: Number.isFinite(this.clock) ? this.clock : null,
      watermarkMs: Number.isFinite(this.watermark) ? this.watermark : null,
      sources: [...this.newest].map(([source, newestMs]) => ({ source, newestMs, confirmedMs: this.confirmed.get(source) ?? null })),
    };
  }

  /** Recomputes clock and watermark after a source moved: O(sources), a handful. */
  private advance(): void {
    for (const v of this.confirmed.values()) if (v > this.clock) this.clock = v;
    const idleBefore = this.clock - this.p.sourceIdleMs;
    const forgetBefore = this.clock - Math.max(this.p.sourceIdleMs, this.p.idleKeyTtlMs);
    let slowest = Number.POSITIVE_INFINITY;
    let first = Number.NEGATIVE_INFINITY;
    for (const [source, v] of this.newest) {
      if (v < forgetBefore) {
        this.forget(source);
        continue;
      }
      if (v >= idleBefore && v < slowest) slowest = v;
      if (v > first) first = v;
    }
    // Every known source idle (the clock outran them all): the newest one still counts.
    if (slowest === Number.POSITIVE_INFINITY) slowest = first;
    if (slowest === Number.NEGATIVE_INFINITY) return;
    let candidate = slowest - this.p.allowedLatenessMs;
    const start = this.startMs as number;
    if (this.clock - start < this.p.sourceIdleMs) candidate = Math.min(candidate, start - this.p.sourceIdleMs);
    if (candidate > this.watermark) this.watermark = candidate;
  }

  private forget(source: string): void {
    this.newest.delete(source);
    this.confirmed.delete(source);
  }

  private forgetOldest(): void {
    let oldest: string | undefined;
    let oldestMs = Number.POSITIVE_INFINITY;
    for (const [source, v] of this.newest) {
      if (v < oldestMs) {
        oldest = source;
        oldestMs = v;
      }
    }
    if (oldest !== undefined) this.forget(oldest);
  }
}
