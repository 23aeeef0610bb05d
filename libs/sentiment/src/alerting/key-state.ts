import type { AlertRule, Headline, WindowKind } from '../types';
import { learnWindow, type BaselineParams, type Baselines } from './baseline-update';
import { EMPTY_EWMA, ewmaAddZeros } from './ewma';
import { lastWindowStart, type WindowShape } from './windows';

/** Counts of one open (not yet folded) window of one key. */
export interface WindowAgg {
  readonly start: number;
  total: number;
  negative: number;
  /** Negative items, most negative first, at most topHeadlines. */
  headlines: readonly Headline[];
  /** The rule of the alert this window raised; null before it raised one (at most one per key and window). */
  alerted: AlertRule | null;
}

/** Everything the engine remembers about one window key. JSON-safe. */
export interface KeyState {
  readonly key: string;
  readonly kind: WindowKind;
  readonly name: string;
  /** Newest event time windowed for this key (cooldown runs on it). */
  maxEventMs: number;
  /** The partition clock when this key was last updated (idle eviction). */
  touchedAtMs: number;
  /** Start of the oldest window not yet folded into the baselines. */
  nextFoldStart: number;
  /** No alert for this key while its maxEventMs is below this. */
  cooldownUntilMs: number | null;
  /**
   * One pair of baselines per window phase (phaseOf): share = negative share of closed
   * windows with at least minVolume items, volume = negative count of every closed window,
   * empty ones as 0. Tumbling windows have one phase.
   */
  baselines: Baselines[];
  /** Open windows, oldest first. */
  windows: WindowAgg[];
}

export interface FoldParams extends WindowShape, BaselineParams {}

/** Window phases of a shape: windowMs / hopMs (1 for tumbling windows). */
export function phaseCount(shape: WindowShape): number {
  return shape.windowMs / shape.hopMs;
}

/**
 * The phase of the window starting at `start` (a multiple of hopMs): sliding windows of one
 * phase are a tumbling grid of their own, offset from phase 0 by phase × hopMs. Each phase
 * keeps its own baselines so that they learn from non-overlapping, independent windows
 * (overlapping ones would count every item windowMs / hopMs times; ADR 0024).
 */
export function phaseOf(start: number, shape: WindowShape): number {
  const n = phaseCount(shape);
  return (((start / shape.hopMs) % n) + n) % n;
}

/** Empty baselines for every phase of `shape`. */
export function emptyBaselines(shape: WindowShape): Baselines[] {
  return Array.from({ length: phaseCount(shape) }, () => ({ share: EMPTY_EWMA, volume: EMPTY_EWMA }));
}

/**
 * Folds every window of `s` that the watermark has closed into the baselines of its phase,
 * oldest first, empty windows between them as a negative count of 0 (in one O(1) step per
 * phase however long the gap); what each window teaches is learnWindow's (an alerted window
 * nothing, the others at most the alerting level). Returns how many windows with data were
 * folded (they leave `windows`).
 */
export function foldClosedWindows(s: KeyState, watermarkMs: number, p: FoldParams): number {
  if (watermarkMs === Number.NEGATIVE_INFINITY) return 0;
  // Newest window start whose end is at or before the watermark.
  const lastClosable = lastWindowStart(watermarkMs - p.windowMs, p.hopMs);
  let folded = 0;
  while (s.nextFoldStart <= lastClosable) {
    const head = s.windows[0];
    if (head !== undefined && head.start === s.nextFoldStart) {
      const phase = phaseOf(head.start, p);
      s.baselines[phase] = learnWindow(s.baselines[phase], head.total, head.negative, head.alerted !== null, p);
      s.windows.shift();
      s.nextFoldStart += p.hopMs;
      folded++;
      continue;
    }
    const runEnd = Math.min(head === undefined ? lastClosable : head.start - p.hopMs, lastClosable);
    const k = (runEnd - s.nextFoldStart) / p.hopMs + 1;
    foldEmptyWindows(s, k, p);
    s.nextFoldStart += k * p.hopMs;
  }
  return folded;
}

/** Folds the k empty windows from s.nextFoldStart on: each phase gets the zeros of its own windows among them. */
function foldEmptyWindows(s: KeyState, k: number, p: FoldParams): void {
  const n = phaseCount(p);
  const first = phaseOf(s.nextFoldStart, p);
  for (let d = 0; d < Math.min(n, k); d++) {
    // Windows i = d, d + n, d + 2n, … (< k) of the run have phase first + d.
    const phase = (first + d) % n;
    const b = s.baselines[phase];
    s.baselines[phase] = { share: b.share, volume: ewmaAddZeros(b.volume, Math.ceil((k - d) / n), p.ewmaAlpha) };
  }
}

/** The open window starting at `start`, created (in order) when missing. */
export function windowAt(s: KeyState, start: number): { window: WindowAgg; created: boolean } {
  let i = s.windows.length;
  while (i > 0 && s.windows[i - 1].start > start) i--;
  const prev = s.windows[i - 1];
  if (prev !== undefined && prev.start === start) return { window: prev, created: false };
  const window: WindowAgg = { start, total: 0, negative: 0, headlines: [], alerted: null };
  s.windows.splice(i, 0, window);
  return { window, created: true };
}
