import { seededRandom } from '../testing/synthetic-ratings';
import { spdInverse } from './spd-inverse';

/** A random SPD matrix M·Mᵀ + n·I. */
function randomSpd(n: number, seed: number): Float64Array {
  const rand = seededRandom(seed);
  const m = Float64Array.from({ length: n * n }, () => rand() - 0.5);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = i === j ? n : 0;
    for (let k = 0; k < n; k++) s += (m[i * n + k] as number) * (m[j * n + k] as number);
    a[i * n + j] = s;
  }
  return a;
}

describe('spdInverse', () => {
  it('inverts a random SPD matrix: A·A⁻¹ = I and A⁻¹ is symmetric', () => {
    const n = 37;
    const a = randomSpd(n, 9);
    const inv = spdInverse(a.slice(), n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += (a[i * n + k] as number) * (inv[k * n + j] as number);
      expect(Math.abs(s - (i === j ? 1 : 0))).toBeLessThan(1e-10);
      expect(inv[i * n + j]).toBe(inv[j * n + i]);
    }
  });

  it('inverts a hand-computed 2 × 2 case reading only the lower triangle', () => {
    // [[4, 2], [2, 3]]⁻¹ = [[3, -2], [-2, 4]] / 8; the upper 99 is ignored
    const inv = spdInverse(Float64Array.from([4, 99, 2, 3]), 2);
    [3 / 8, -2 / 8, -2 / 8, 4 / 8].forEach((x, k) => expect(inv[k]).toBeCloseTo(x, 14));
    expect([...spdInverse(new Float64Array(0), 0)]).toEqual([]);
  });

  it('rejects a matrix that is not positive definite, or of the wrong size', () => {
    expect(() => spdInverse(Float64Array.from([1, 0, 2, 1]), 2)).toThrow(/not positive definite \(pivot 1/);
    expect(() => spdInverse(new Float64Array(3), 2)).toThrow(/n × n = 4/);
  });
});
