import { firstWindowStart, isWindowClosed, lastWindowStart, windowEnd, windowStartsContaining } from './windows';

const MIN = 60_000;

describe('windows', () => {
  const tumbling = { windowMs: 15 * MIN, hopMs: 15 * MIN };
  const sliding = { windowMs: 15 * MIN, hopMs: 5 * MIN };

  it('tumbling: each instant is in exactly one epoch-aligned window', () => {
    const t = Date.UTC(2025, 0, 6, 9, 7, 30);
    expect(windowStartsContaining(t, tumbling)).toEqual([Date.UTC(2025, 0, 6, 9, 0)]);
    expect(windowStartsContaining(Date.UTC(2025, 0, 6, 9, 15), tumbling)).toEqual([Date.UTC(2025, 0, 6, 9, 15)]);
    expect(windowStartsContaining(Date.UTC(2025, 0, 6, 9, 15) - 1, tumbling)).toEqual([Date.UTC(2025, 0, 6, 9, 0)]);
  });

  it('sliding: each instant is in window / hop windows, oldest first', () => {
    const t = Date.UTC(2025, 0, 6, 9, 7);
    expect(windowStartsContaining(t, sliding)).toEqual([
      Date.UTC(2025, 0, 6, 8, 55),
      Date.UTC(2025, 0, 6, 9, 0),
      Date.UTC(2025, 0, 6, 9, 5),
    ]);
    expect(firstWindowStart(t, sliding)).toBe(Date.UTC(2025, 0, 6, 8, 55));
    for (const s of windowStartsContaining(t, sliding)) {
      expect(s).toBeLessThanOrEqual(t);
      expect(windowEnd(s, sliding)).toBeGreaterThan(t);
    }
  });

  it('aligns negative times and huge safe integers exactly', () => {
    expect(lastWindowStart(-1, 10)).toBe(-10);
    expect(lastWindowStart(-10, 10)).toBe(-10);
    const big = Number.MAX_SAFE_INTEGER - 5;
    expect(lastWindowStart(big, 1000) % 1000).toBe(0);
    expect(big - lastWindowStart(big, 1000)).toBeLessThan(1000);
  });

  it('a window closes when the watermark reaches its end', () => {
    const s = Date.UTC(2025, 0, 6, 9, 0);
    expect(isWindowClosed(s, tumbling, s + 15 * MIN - 1)).toBe(false);
    expect(isWindowClosed(s, tumbling, s + 15 * MIN)).toBe(true);
  });
});
