import { EMPTY_EWMA, ewmaAdd, ewmaAddZeros, ewmaStd, type Ewma } from './ewma';

function addAll(xs: number[], alpha: number, from: Ewma = EMPTY_EWMA): Ewma {
  return xs.reduce((s, x) => ewmaAdd(s, x, alpha), from);
}

describe('ewma', () => {
  it('seeds with the first observation and zero variance', () => {
    expect(ewmaAdd(EMPTY_EWMA, 0.4, 0.2)).toEqual({ mean: 0.4, variance: 0, count: 1 });
  });

  it('a constant series keeps its mean and zero variance', () => {
    const s = addAll([3, 3, 3, 3, 3], 0.2);
    expect(s.mean).toBe(3);
    expect(s.variance).toBe(0);
    expect(s.count).toBe(5);
  });

  it('moves by alpha toward a new observation and grows the variance', () => {
    const s = addAll([0, 1], 0.2);
    expect(s.mean).toBeCloseTo(0.2, 12);
    // (1 − α)(0 + α·1²) = 0.16
    expect(s.variance).toBeCloseTo(0.16, 12);
    expect(ewmaStd(s)).toBeCloseTo(0.4, 12);
  });

  it('with alpha 1 it is the last observation', () => {
    expect(addAll([5, 9, 2], 1)).toEqual({ mean: 2, variance: 0, count: 3 });
  });

  it('addZeros equals k single zero folds', () => {
    const start = addAll([2, 5, 1, 4], 0.3);
    for (const k of [1, 2, 7, 40]) {
      const loop = addAll(new Array<number>(k).fill(0), 0.3, start);
      const closed = ewmaAddZeros(start, k, 0.3);
      expect(closed.count).toBe(loop.count);
      expect(closed.mean).toBeCloseTo(loop.mean, 10);
      expect(closed.variance).toBeCloseTo(loop.variance, 10);
    }
  });

  it('addZeros on an empty series seeds with zero', () => {
    expect(ewmaAddZeros(EMPTY_EWMA, 3, 0.2)).toEqual({ mean: 0, variance: 0, count: 3 });
    expect(ewmaAddZeros(EMPTY_EWMA, 0, 0.2)).toBe(EMPTY_EWMA);
  });

  it('a key idle for a very long time decays to zero without looping', () => {
    const s = ewmaAddZeros({ mean: 4, variance: 2, count: 10 }, 5_000_000, 0.2);
    expect(s.mean).toBe(0);
    expect(s.variance).toBe(0);
    expect(s.count).toBe(5_000_010);
  });
});
