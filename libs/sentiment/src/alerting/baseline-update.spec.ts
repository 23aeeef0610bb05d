import { learnWindow, shareCap, volumeCap, type BaselineParams } from './baseline-update';
import { EMPTY_EWMA, ewmaAdd, type Ewma } from './ewma';
import { DEFAULT_ALERTING_OPTIONS } from './options';

const p: BaselineParams = DEFAULT_ALERTING_OPTIONS;
const flat = (mean: number, count: number, variance = 0): Ewma => ({ mean, variance, count });

describe('learnWindow', () => {
  it('an alerted window teaches neither baseline', () => {
    const b = { share: flat(0.1, 9), volume: flat(1, 9) };
    expect(learnWindow(b, 20, 15, true, p)).toBe(b);
  });

  it('a calm window is learned as it is', () => {
    const b = { share: flat(0.1, 9, 0.001), volume: flat(1, 9, 0.5) };
    const next = learnWindow(b, 12, 2, false, p);
    expect(next.volume).toEqual(ewmaAdd(b.volume, 2, p.ewmaAlpha));
    expect(next.share).toEqual(ewmaAdd(b.share, 2 / 12, p.ewmaAlpha));
  });

  it('a surge window that did not alert counts at most at the alerting level: μ + z × spread', () => {
    const b = { share: flat(0.1, 9), volume: flat(1, 9) };
    // Count: spread max(σ 0, √1, 1) = 1, so 12 negatives teach 1 + 3 = 4.
    expect(volumeCap(b.volume, p)).toBeCloseTo(4, 12);
    // Share: spread max(0, √(0.1·0.9/20), 0.05) = 0.067, so 12/20 teaches 0.1 + 3 × 0.067.
    const cap = 0.1 + 3 * Math.sqrt(0.09 / 20);
    expect(shareCap(b.share, 20, p)).toBeCloseTo(cap, 12);
    const next = learnWindow(b, 20, 12, false, p);
    expect(next.volume.mean).toBeCloseTo(1 + p.ewmaAlpha * 3, 12);
    expect(next.share.mean).toBeCloseTo(0.1 + p.ewmaAlpha * (cap - 0.1), 12);
    // σ² = (1 − α)·α·3² → σ 1.2; unclipped, the window would have taught a mean of 3.2 and a σ of 4.4.
    expect(Math.sqrt(next.volume.variance)).toBeCloseTo(1.2, 9);
  });

  it('an untrusted baseline (fewer than minBaselineWindows) learns unclipped; a short window teaches no share', () => {
    const young = { share: flat(0.1, 2), volume: flat(1, 2) };
    expect(volumeCap(young.volume, p)).toBe(Number.POSITIVE_INFINITY);
    expect(learnWindow(young, 20, 12, false, p).volume.mean).toBeCloseTo(1 + p.ewmaAlpha * 11, 12);
    expect(learnWindow({ share: EMPTY_EWMA, volume: EMPTY_EWMA }, 3, 3, false, p)).toEqual({ share: EMPTY_EWMA, volume: { mean: 3, variance: 0, count: 1 } });
  });

  it('a lasting change of level is still learned, over a few more windows', () => {
    let b = { share: flat(0.1, 9), volume: flat(1, 9) };
    let windows = 0;
    while (b.volume.mean < 9 && windows < 40) {
      b = learnWindow(b, 40, 10, false, p);
      windows++;
    }
    expect(windows).toBeLessThanOrEqual(12); // 10 windows unclipped
    expect(b.volume.mean).toBeGreaterThan(9);
  });
});
