import { erf as erfFloat32 } from '../math/linear-algebra';
import { erf, gelu, geluBackwardInPlace } from './tensor-ops';

const xs = Array.from({ length: 801 }, (_, i) => -8 + i * 0.02);

describe('GELU on the training path (float32) and the checking path (float64)', () => {
  it('float32 arrays take the rational erf, float64 arrays the series', () => {
    const x32 = Float32Array.from(xs);
    const fast = gelu(x32, new Float32Array(xs.length));
    // Exactly the rational form, rounded to float32 as the array stores it.
    expect(Array.from(fast)).toEqual(Array.from(Float32Array.from(x32, (v) => v * (0.5 * (1 + erfFloat32(v / Math.SQRT2))))));
    const exact = gelu(Float64Array.from(xs), new Float64Array(xs.length));
    expect(Array.from(exact)).toEqual(xs.map((v) => v * (0.5 * (1 + erf(v / Math.SQRT2)))));
    // The two erfs really differ (so the float64 path is not the rational one), by float32 amounts.
    const gap = Math.max(...xs.map((v) => Math.abs(erf(v) - erfFloat32(v))));
    expect(gap).toBeGreaterThan(1e-10);
    expect(gap).toBeLessThan(1.2e-7);
    expect(erf(0.5)).toBeCloseTo(0.5204998778130465, 14);
  });

  it('the backward pass uses the Φ the forward stored, and that Φ gives the fresh derivative', () => {
    // float32: Φ is stored rounded to float32, so the two agree to that (6 digits: one float32 step at 0.5 is 6e-8).
    for (const [make, digits] of [[(n: number) => new Float64Array(n), 12], [(n: number) => new Float32Array(n), 6]] as const) {
      const x = make(xs.length);
      xs.forEach((v, i) => (x[i] = v));
      const cdf = make(xs.length);
      gelu(x, make(xs.length), cdf);
      expect(cdf[0]).toBeCloseTo(0, 12);
      expect(cdf[xs.length - 1]).toBeCloseTo(1, 12);
      const stored = geluBackwardInPlace(x, make(xs.length).fill(1), cdf);
      const fresh = geluBackwardInPlace(x, make(xs.length).fill(1));
      for (let i = 0; i < xs.length; i++) expect(stored[i]).toBeCloseTo(fresh[i] as number, digits);
      // A wrong Φ changes the result: the stored one is what is read.
      const wrong = geluBackwardInPlace(x, make(xs.length).fill(1), make(xs.length).fill(0.5));
      expect(wrong[0]).toBeCloseTo(0.5 + (x[0] as number) * Math.exp(-0.5 * (x[0] as number) ** 2) / Math.sqrt(2 * Math.PI), digits);
      expect(Math.abs((wrong[0] as number) - (fresh[0] as number))).toBeGreaterThan(0.4);
    }
  });
});
