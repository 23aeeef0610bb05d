import type { AlertRule, AlertSeverity } from '../types';
import { ewmaStd, type Ewma } from './ewma';
import type { AlertingOptions } from './options';

/** The volume z-score never divides by less than one item (Poisson-like counts). */
export const VOLUME_STD_FLOOR = 1;
/** surgeRatio divides by at least this share (a key whose baseline is ~0). */
export const SURGE_SHARE_FLOOR = 0.01;

/** One window's figures against its key's baselines. */
export interface WindowScore {
  readonly totalCount: number;
  readonly negativeCount: number;
  readonly negativeShare: number;
  /** μ: the key's EWMA share once it has minBaselineWindows full windows, else the prior. */
  readonly baselineNegativeShare: number;
  /** What zScore divides by: max(EWMA σ, binomial se √(μ(1−μ)/n), shareStdFloor). */
  readonly baselineStd: number;
  readonly zScore: number;
  /** Against the negative-count EWMA; 0 until it has minBaselineWindows windows. */
  readonly volumeZScore: number;
  readonly volumeBaselineReady: boolean;
  readonly baselineNegativeCount: number;
}

type ScoreOptions = Pick<AlertingOptions, 'minBaselineWindows' | 'priorNegativeShare' | 'shareStdFloor'>;

function ready(e: Ewma, minWindows: number): boolean {
  return e.count > 0 && e.count >= minWindows;
}

export function scoreWindow(total: number, negative: number, share: Ewma, volume: Ewma, o: ScoreOptions): WindowScore {
  const negativeShare = negative / total;
  const shareReady = ready(share, o.minBaselineWindows);
  const mu = shareReady ? share.mean : o.priorNegativeShare;
  const se = Math.sqrt((mu * (1 - mu)) / total);
  const baselineStd = Math.max(shareReady ? ewmaStd(share) : 0, se, o.shareStdFloor);
  const volumeBaselineReady = ready(volume, o.minBaselineWindows);
  const volumeStd = Math.max(ewmaStd(volume), Math.sqrt(Math.max(volume.mean, 0)), VOLUME_STD_FLOOR);
  return {
    totalCount: total,
    negativeCount: negative,
    negativeShare,
    baselineNegativeShare: mu,
    baselineStd,
    zScore: (negativeShare - mu) / baselineStd,
    volumeZScore: volumeBaselineReady ? (negative - volume.mean) / volumeStd : 0,
    volumeBaselineReady,
    baselineNegativeCount: volume.mean,
  };
}

export const RULES: readonly AlertRule[] = ['negative-share', 'negative-volume'];

/** The z-score a rule compares with zThreshold. */
export function ruleZ(rule: AlertRule, s: WindowScore): number {
  return rule === 'negative-share' ? s.zScore : s.volumeZScore;
}

/** Whether `rule` fires for a window that already has minVolume items and minNegative negatives. */
export function ruleFires(rule: AlertRule, s: WindowScore, zThreshold: number): boolean {
  if (rule === 'negative-volume' && !s.volumeBaselineReady) return false;
  return ruleZ(rule, s) >= zThreshold;
}

/** How many times its baseline the rule's measure is: the share for negative-share, the count for negative-volume. */
export function surgeRatio(rule: AlertRule, s: WindowScore): number {
  return rule === 'negative-share'
    ? s.negativeShare / Math.max(s.baselineNegativeShare, SURGE_SHARE_FLOOR)
    : s.negativeCount / Math.max(s.baselineNegativeCount, VOLUME_STD_FLOOR);
}

export function severityOf(z: number, criticalZ: number): AlertSeverity {
  return z >= criticalZ ? 'critical' : 'warning';
}
