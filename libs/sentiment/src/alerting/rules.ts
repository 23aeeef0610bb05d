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
  /** What zScore divides by (see scoreWindow). */
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

/** x moved toward μ by up to `half` (a continuity correction: counts are whole items). */
function towards(x: number, mu: number, half: number): number {
  return x > mu ? Math.max(mu, x - half) : Math.min(mu, x + half);
}

/**
 * Scores a window of `total` items, `negative` of them negative.
 *
 * Share: z = (share* − μ) / max(spread, se, shareStdFloor), where share* is the share moved
 * ½ item toward μ, spread is the EWMA σ of past shares (while the baseline is still the
 * prior: how far the key's own short history is from the prior), and se the binomial
 * standard error √(m(1 − m)/n) at m = (μ + share)/2, midway between the baseline and the
 * observation. With se at μ alone (and no correction), small windows of a calm key fire
 * far more often than 3σ promises: the binomial tail is skewed and every update is a look
 * (README.md "Alerting", measured there).
 *
 * Volume: z = (count* − μ_c) / max(EWMA σ_c, √((μ_c + count)/2), 1), count* likewise ½
 * toward μ_c: the Poisson standard error, again taken midway.
 */
export function scoreWindow(total: number, negative: number, share: Ewma, volume: Ewma, o: ScoreOptions): WindowScore {
  const negativeShare = negative / total;
  const shareReady = ready(share, o.minBaselineWindows);
  const mu = shareReady ? share.mean : o.priorNegativeShare;
  const spread = shareReady ? ewmaStd(share) : share.count > 0 ? Math.abs(share.mean - o.priorNegativeShare) : 0;
  const m = (mu + negativeShare) / 2;
  const se = Math.sqrt((m * (1 - m)) / total);
  const baselineStd = Math.max(spread, se, o.shareStdFloor);

  const volumeBaselineReady = ready(volume, o.minBaselineWindows);
  const muCount = volume.mean;
  const volumeStd = Math.max(ewmaStd(volume), Math.sqrt(Math.max(0, (muCount + negative) / 2)), VOLUME_STD_FLOOR);
  return {
    totalCount: total,
    negativeCount: negative,
    negativeShare,
    baselineNegativeShare: mu,
    baselineStd,
    zScore: (towards(negativeShare, mu, 0.5 / total) - mu) / baselineStd,
    volumeZScore: volumeBaselineReady ? (towards(negative, muCount, 0.5) - muCount) / volumeStd : 0,
    volumeBaselineReady,
    baselineNegativeCount: muCount,
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
