import { ewmaAdd, ewmaStd, type Ewma } from './ewma';
import { VOLUME_STD_FLOOR } from './rules';
import type { AlertingOptions } from './options';

/**
 * What a closed window teaches its key's baselines. Two guards keep a surge from poisoning
 * them (a poisoned EWMA — mean and, above all, variance — hides the key's next surge for
 * hours; docs/benchmarks.md "Sentiment quality" measured it):
 * - a window that raised an alert teaches nothing (it is, by the rules' own test, not normal);
 * - any other window counts at most at the level the rules alert at, μ + zThreshold × the
 *   spread they divide by (a winsorised EWMA): the rest of a surge after its alerted window,
 *   or a surge the cooldown kept silent, moves the baseline like a borderline window, not like
 *   the surge. A lasting change of level is still learned, just over a few more windows.
 * Until a baseline has minBaselineWindows windows it is not trusted and learns unclipped.
 */
export type BaselineParams = Pick<AlertingOptions, 'ewmaAlpha' | 'minVolume' | 'minBaselineWindows' | 'zThreshold' | 'shareStdFloor'>;

export interface Baselines {
  readonly share: Ewma;
  readonly volume: Ewma;
}

function trusted(e: Ewma, minWindows: number): boolean {
  return e.count > 0 && e.count >= minWindows;
}

/** The highest negative count a window may teach the count baseline (Infinity while it is untrusted). */
export function volumeCap(volume: Ewma, p: BaselineParams): number {
  if (!trusted(volume, p.minBaselineWindows)) return Number.POSITIVE_INFINITY;
  const spread = Math.max(ewmaStd(volume), Math.sqrt(Math.max(0, volume.mean)), VOLUME_STD_FLOOR);
  return volume.mean + p.zThreshold * spread;
}

/** The highest negative share a window of `total` items may teach the share baseline (Infinity while it is untrusted). */
export function shareCap(share: Ewma, total: number, p: BaselineParams): number {
  if (!trusted(share, p.minBaselineWindows)) return Number.POSITIVE_INFINITY;
  const mu = share.mean;
  const spread = Math.max(ewmaStd(share), Math.sqrt(Math.max(0, mu * (1 - mu)) / total), p.shareStdFloor);
  return mu + p.zThreshold * spread;
}

/** The baselines after one closed window of `total` items, `negative` of them negative. */
export function learnWindow(b: Baselines, total: number, negative: number, alerted: boolean, p: BaselineParams): Baselines {
  if (alerted) return b;
  const volume = ewmaAdd(b.volume, Math.min(negative, volumeCap(b.volume, p)), p.ewmaAlpha);
  // A share of one or two items says little about the key; only full windows teach it.
  if (total < p.minVolume) return { share: b.share, volume };
  const share = ewmaAdd(b.share, Math.min(negative / total, shareCap(b.share, total, p)), p.ewmaAlpha);
  return { share, volume };
}
