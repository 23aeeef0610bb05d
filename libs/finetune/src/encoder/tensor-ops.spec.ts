import { erf, gelu, geluBackwardInPlace } from './tensor-ops';

const xs = Array.from({ length: 801 }, (_, i) => -8 + i * 0.02);

describe('GELU on the training path (float32) and the checking path (float64)', () => {
  it('float32 arrays use the fast erf, within float32 rounding of the float64 series', () => {
    const x = Float64Array.from(xs);
    const exact = gelu(x, new Float64Array(x.length));
    const fast = gelu(Float32Array.from(xs), new Float32Array(x.length));
    let worst = 0;
    for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs((fast[i] as number) - (exact[i] as number)) / Math.max(1, Math.abs(exact[i] as number)));
    expect(worst).toBeLessThan(1e-6);
    expect(worst).toBeGreaterThan(0); // the two paths really differ: float32 storage at least
    expect(erf(0.5)).toBeCloseTo(0.5204998778130465, 14);
  });

  it('the backward pass gives the same derivative from the Φ the forward stored as from a fresh erf', () => {
    // float32: Φ is stored rounded to float32 (~6e-8 relative), so the two agree to that, not to float64's 1e-12 (6 digits: one float32 step at 0.5 is 6e-8).
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
    }
  });
});
