import type { AlertingOptions } from '@tuneline/sentiment';

/**
 * Alerting settings compared on the validation stream (synthesised from a part of the
 * training rows, scored by a model that never trained on them) by
 * `sentiment-quality.ts --validate-alerting`. The test stream is only ever run with one
 * setting, so its figures are not the best of several.
 */
export interface AlertingCandidate {
  readonly name: string;
  readonly overrides: Readonly<Partial<AlertingOptions>>;
}

const MINUTE = 60_000;

/**
 * DEFAULT_ALERTING_OPTIONS first; each other changes one or two knobs (the defaults before
 * ADR 0024 were 15-minute tumbling windows, z 3).
 */
export const ALERTING_CANDIDATES: readonly AlertingCandidate[] = [
  { name: 'defaults', overrides: {} },
  { name: 'window 15 min', overrides: { windowMs: 15 * MINUTE, hopMs: 15 * MINUTE } },
  { name: 'z 2.5', overrides: { zThreshold: 2.5 } },
  { name: 'minVolume 6', overrides: { minVolume: 6 } },
  { name: 'window 20 min', overrides: { windowMs: 20 * MINUTE, hopMs: 20 * MINUTE } },
  { name: 'window 30 min, hop 15 min', overrides: { windowMs: 30 * MINUTE, hopMs: 15 * MINUTE } },
  // Two grids (phases) of 30-minute windows offset by 15 minutes, each with its own
  // baselines: z raised for the second look (3.2 ≈ Bonferroni for two: Φ⁻¹(1 − 0.00135/2)).
  { name: 'window 30 min, hop 15 min, z 3.1', overrides: { windowMs: 30 * MINUTE, hopMs: 15 * MINUTE, zThreshold: 3.1 } },
  { name: 'window 30 min, hop 15 min, z 3.2', overrides: { windowMs: 30 * MINUTE, hopMs: 15 * MINUTE, zThreshold: 3.2 } },
  { name: 'window 30 min, hop 15 min, z 2.5', overrides: { windowMs: 30 * MINUTE, hopMs: 15 * MINUTE, zThreshold: 2.5 } },
  { name: 'window 45 min', overrides: { windowMs: 45 * MINUTE, hopMs: 45 * MINUTE } },
];

export interface CandidateOutcome {
  readonly name: string;
  readonly recall: number;
  readonly precision: number;
}

/**
 * The candidate to recommend: among those whose precision reaches `minPrecision`, the one
 * with the highest recall; ties go to higher precision, then to the earlier candidate (the
 * defaults first, so a change must win outright). Undefined when none reaches the precision.
 */
export function chooseAlerting<T extends CandidateOutcome>(outcomes: readonly T[], minPrecision: number): T | undefined {
  if (!(minPrecision >= 0 && minPrecision <= 1)) throw new RangeError(`minPrecision: expected a share in [0, 1], got ${minPrecision}`);
  let best: T | undefined;
  for (const o of outcomes) {
    if (o.precision < minPrecision) continue;
    if (!best || o.recall > best.recall || (o.recall === best.recall && o.precision > best.precision)) best = o;
  }
  return best;
}
