import { EMPTY_EWMA, type Ewma } from './ewma';
import { DEFAULT_ALERTING_OPTIONS } from './options';
import { ruleFires, scoreWindow, severityOf, surgeRatio } from './rules';

const o = DEFAULT_ALERTING_OPTIONS;
const flat = (mean: number, count: number): Ewma => ({ mean, variance: 0, count });

describe('scoreWindow', () => {
  it('uses the prior share while the baseline is young, the EWMA after', () => {
    expect(scoreWindow(10, 5, flat(0.1, 3), flat(1, 3), o).baselineNegativeShare).toBe(0.25);
    expect(scoreWindow(10, 5, flat(0.1, 4), flat(1, 4), o).baselineNegativeShare).toBe(0.1);
    expect(scoreWindow(10, 5, EMPTY_EWMA, EMPTY_EWMA, { ...o, minBaselineWindows: 0 }).baselineNegativeShare).toBe(0.25);
  });

  it('while on the prior, the distance of the key’s own history from it widens the spread', () => {
    const fresh = scoreWindow(60, 30, EMPTY_EWMA, EMPTY_EWMA, o);
    const known = scoreWindow(60, 30, flat(0.45, 2), EMPTY_EWMA, o);
    expect(known.baselineStd).toBeCloseTo(0.2, 12); // |0.45 − 0.25|
    expect(known.zScore).toBeLessThan(fresh.zScore);
  });

  it('z = (share − ½/n − μ) / max(σ, √(m(1−m)/n), floor) with m midway', () => {
    const s = scoreWindow(20, 10, { mean: 0.2, variance: 0.0001, count: 9 }, flat(2, 9), o);
    const m = (0.2 + 0.5) / 2;
    expect(s.baselineStd).toBeCloseTo(Math.sqrt((m * (1 - m)) / 20), 12);
    expect(s.zScore).toBeCloseTo((0.475 - 0.2) / s.baselineStd, 12);
    // The floor binds for a large window of a key with a steady share.
    expect(scoreWindow(10_000, 2000, flat(0.2, 9), flat(2, 9), o).baselineStd).toBe(0.05);
    // The correction never crosses μ.
    expect(scoreWindow(10, 2, flat(0.2, 9), flat(2, 9), o).zScore).toBe(0);
  });

  it('volume: no z before the count baseline is ready; Poisson se midway, at least one item', () => {
    expect(scoreWindow(10, 9, flat(0.2, 9), flat(2, 3), o)).toMatchObject({ volumeZScore: 0, volumeBaselineReady: false });
    const s = scoreWindow(10, 9, flat(0.2, 9), flat(2, 4), o);
    expect(s.volumeZScore).toBeCloseTo((8.5 - 2) / Math.sqrt(5.5), 12);
    expect(scoreWindow(10, 1, flat(0.2, 9), flat(0, 4), o).volumeZScore).toBeCloseTo(0.5, 12);
    expect(ruleFires('negative-volume', scoreWindow(10, 9, flat(0.9, 9), flat(0, 3), o), 3)).toBe(false);
  });

  it('surge ratio per rule, severity by criticalZ', () => {
    const s = scoreWindow(10, 6, flat(0.2, 9), flat(2, 9), o);
    expect(surgeRatio('negative-share', s)).toBeCloseTo(3, 12);
    expect(surgeRatio('negative-volume', s)).toBeCloseTo(3, 12);
    expect(surgeRatio('negative-share', scoreWindow(10, 6, flat(0, 9), flat(0, 9), o))).toBeCloseTo(60, 9);
    expect(severityOf(4.99, 5)).toBe('warning');
    expect(severityOf(5, 5)).toBe('critical');
  });
});
