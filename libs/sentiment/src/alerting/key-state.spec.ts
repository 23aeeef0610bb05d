import { ewmaAdd, type Ewma } from './ewma';
import { emptyBaselines, foldClosedWindows, phaseCount, phaseOf, type KeyState } from './key-state';
import { alertingOptions } from './options';

const MIN = 60_000;
const T0 = Date.UTC(2025, 0, 6);

function keyState(o: { windowMs: number; hopMs: number }, nextFoldStart: number): KeyState {
  return {
    key: 'entity:Acme', kind: 'entity', name: 'Acme', maxEventMs: nextFoldStart, touchedAtMs: nextFoldStart,
    nextFoldStart, cooldownUntilMs: null, baselines: emptyBaselines(o), windows: [],
  };
}

describe('window phases', () => {
  it('tumbling windows have one phase; sliding ones windowMs / hopMs, counted from the epoch', () => {
    expect(phaseCount({ windowMs: 30 * MIN, hopMs: 30 * MIN })).toBe(1);
    const sliding = { windowMs: 30 * MIN, hopMs: 10 * MIN };
    expect(phaseCount(sliding)).toBe(3);
    expect([0, 1, 2, 3, -1].map((i) => phaseOf(T0 + i * 10 * MIN, sliding))).toEqual([0, 1, 2, 0, 2].map((p) => (p + (T0 / (10 * MIN)) % 3) % 3));
    expect(phaseOf(-10 * MIN, sliding)).toBe(2);
  });

  it('a gap of empty windows gives each phase the zeros of its own windows, as one by one would', () => {
    const o = alertingOptions({ windowMs: 30 * MIN, hopMs: 10 * MIN });
    const s = keyState(o, T0 + 10 * MIN);
    const seeded: Ewma[] = [1, 2, 3].map((x) => ({ mean: x, variance: x / 10, count: 5 }));
    s.baselines = seeded.map((volume) => ({ share: { mean: 0.2, variance: 0, count: 5 }, volume }));
    // 7 empty windows start at T0 + 10 min … T0 + 70 min; each closes 30 minutes later.
    foldClosedWindows(s, T0 + 100 * MIN, o);
    expect(s.nextFoldStart).toBe(T0 + 80 * MIN);
    const expected = seeded.map((e) => e);
    for (let i = 0; i < 7; i++) {
      const p = phaseOf(T0 + (10 + 10 * i) * MIN, o);
      expected[p] = ewmaAdd(expected[p], 0, o.ewmaAlpha);
    }
    s.baselines.forEach((b, p) => {
      expect(b.volume.count).toBe(expected[p].count);
      expect(b.volume.mean).toBeCloseTo(expected[p].mean, 12);
      expect(b.volume.variance).toBeCloseTo(expected[p].variance, 12);
      expect(b.share).toEqual({ mean: 0.2, variance: 0, count: 5 });
    });
    expect(s.baselines.map((b) => b.volume.count).sort()).toEqual([7, 7, 8]);
  });

  it('a closed window with data teaches the baselines of its phase only', () => {
    const o = alertingOptions({ windowMs: 30 * MIN, hopMs: 15 * MIN });
    const s = keyState(o, T0);
    s.windows.push({ start: T0, total: 10, negative: 3, headlines: [], alerted: null });
    foldClosedWindows(s, T0 + 30 * MIN, o);
    const p = phaseOf(T0, o);
    expect(s.baselines[p]).toEqual({ share: { mean: 0.3, variance: 0, count: 1 }, volume: { mean: 3, variance: 0, count: 1 } });
    expect(s.baselines[1 - p]).toEqual(emptyBaselines(o)[0]);
    expect(s.windows).toEqual([]);
  });
});
