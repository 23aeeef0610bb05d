import type { AlertRule, Headline, WindowKind } from '../types';
import { learnWindow, type BaselineParams } from './baseline-update';
import { ewmaAddZeros, type Ewma } from './ewma';
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
  /** Negative share of closed windows with at least minVolume items. */
  share: Ewma;
  /** Negative count of every closed window, empty ones as 0. */
  volume: Ewma;
  /** Open windows, oldest first. */
  windows: WindowAgg[];
}

export interface FoldParams extends WindowShape, BaselineParams {}

/**
 * Folds every window of `s` that the watermark has closed into its baselines, oldest
 * first, empty windows between them as a negative count of 0 (in one O(1) step however
 * long the gap); what each window teaches is learnWindow's (an alerted window nothing, the
 * others at most the alerting level). Returns how many windows with data were folded (they
 * leave `windows`).
 */
export function foldClosedWindows(s: KeyState, watermarkMs: number, p: FoldParams): number {
  if (watermarkMs === Number.NEGATIVE_INFINITY) return 0;
  // Newest window start whose end is at or before the watermark.
  const lastClosable = lastWindowStart(watermarkMs - p.windowMs, p.hopMs);
  let folded = 0;
  while (s.nextFoldStart <= lastClosable) {
    const head = s.windows[0];
    if (head !== undefined && head.start === s.nextFoldStart) {
      const learned = learnWindow({ share: s.share, volume: s.volume }, head.total, head.negative, head.alerted !== null, p);
      s.share = learned.share;
      s.volume = learned.volume;
      s.windows.shift();
      s.nextFoldStart += p.hopMs;
      folded++;
      continue;
    }
    const runEnd = Math.min(head === undefined ? lastClosable : head.start - p.hopMs, lastClosable);
    const k = (runEnd - s.nextFoldStart) / p.hopMs + 1;
    s.volume = ewmaAddZeros(s.volume, k, p.ewmaAlpha);
    s.nextFoldStart += k * p.hopMs;
  }
  return folded;
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
