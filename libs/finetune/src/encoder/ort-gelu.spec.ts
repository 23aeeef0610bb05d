import { OrtMatmulEngine } from './matmul-engine';
import { gelu, geluBackwardInPlace } from './tensor-ops';

/**
 * The onnxruntime GELU the float32 trainer uses against the float64 series (tensor-ops): same
 * values, same Φ, same derivative, to float32 precision, over the range GELU sees (tails included).
 */
describe('GELU on onnxruntime', () => {
  const engine = new OrtMatmulEngine();
  afterAll(() => engine.dispose());
  const xs = Float64Array.from({ length: 1601 }, (_, i) => -8 + i * 0.01);
  const dy = Float64Array.from(xs, (_, i) => Math.cos(i));

  it('forward: y and Φ equal the float64 reference within 1e-6', async () => {
    const cdf = new Float64Array(xs.length);
    const y = gelu(xs, new Float64Array(xs.length), cdf);
    const got = await engine.gelu(xs);
    const worst = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.max(...Array.from(a, (v, i) => Math.abs(v - (b[i] as number))));
    expect(got.y).toHaveLength(xs.length);
    expect(worst(got.y, y)).toBeLessThan(1e-6);
    expect(worst(got.cdf, cdf)).toBeLessThan(1e-6);
  });

  it('backward: dy·GELU′(x) equals the float64 reference within 1e-6', async () => {
    const { cdf } = await engine.gelu(xs);
    const got = await engine.geluBackward(xs, dy, cdf);
    const want = geluBackwardInPlace(xs, Float64Array.from(dy));
    expect(Math.max(...Array.from(got, (v, i) => Math.abs(v - (want[i] as number))))).toBeLessThan(1e-6);
  });
});
