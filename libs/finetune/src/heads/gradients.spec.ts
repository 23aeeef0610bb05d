import { createRng, gaussian } from '../math/random';
import { erf, gelu, geluGrad } from '../math/linear-algebra';
import type { Head } from './head';
import { LinearHead } from './linear-head';
import { balancedClassWeights, sigmoidBinaryCrossEntropy, softmaxCrossEntropy } from './losses';
import { MlpHead } from './mlp-head';

/** Central finite differences against the analytic gradient, per parameter entry. */
function checkGradients(head: Head, X: Float64Array, n: number, lossOf: (logits: Float64Array) => { loss: number; grad: Float64Array }) {
  head.params.forEach((p) => p.grad.fill(0));
  const fwd = head.forward(X, n, false);
  fwd.backward(lossOf(fwd.logits).grad);
  const eps = 1e-5;
  let worst = 0;
  for (const p of head.params) {
    for (let i = 0; i < p.data.length; i += Math.max(1, Math.floor(p.data.length / 40))) {
      const orig = p.data[i] as number;
      p.data[i] = orig + eps;
      const up = lossOf(head.forward(X, n, false).logits).loss;
      p.data[i] = orig - eps;
      const down = lossOf(head.forward(X, n, false).logits).loss;
      p.data[i] = orig;
      const numeric = (up - down) / (2 * eps);
      const rel = Math.abs(numeric - (p.grad[i] as number)) / Math.max(1e-8, Math.abs(numeric) + Math.abs(p.grad[i] as number));
      if (Math.abs(numeric) > 1e-9) worst = Math.max(worst, rel);
    }
  }
  return worst;
}

function randomData(n: number, d: number, c: number, seed: number) {
  const rng = createRng(seed);
  const X = Float64Array.from({ length: n * d }, () => gaussian(rng));
  const targets = Int32Array.from({ length: n }, () => Math.floor(rng() * c));
  return { X, targets };
}

describe('gradients match finite differences', () => {
  const n = 7, d = 6, c = 4;
  const { X, targets } = randomData(n, d, c, 3);

  it('linear head with weighted softmax cross-entropy', () => {
    const head = new LinearHead(d, c, createRng(1));
    const w = balancedClassWeights(targets, c);
    expect(checkGradients(head, X, n, (z) => softmaxCrossEntropy(z, n, c, targets, w))).toBeLessThan(1e-6);
  });

  it('MLP head (GELU) with softmax cross-entropy', () => {
    const head = new MlpHead(d, 5, c, 0, createRng(2));
    expect(checkGradients(head, X, n, (z) => softmaxCrossEntropy(z, n, c, targets))).toBeLessThan(1e-5);
  });

  it('MLP head with sigmoid binary cross-entropy (multi-label)', () => {
    const head = new MlpHead(d, 5, c, 0, createRng(4));
    const T = Float64Array.from({ length: n * c }, (_, i) => ((i * 7) % 3 === 0 ? 1 : 0));
    expect(checkGradients(head, X, n, (z) => sigmoidBinaryCrossEntropy(z, n, c, T))).toBeLessThan(1e-5);
  });

  it('GELU derivative matches finite differences and erf matches known values', () => {
    for (const x of [-3, -1, -0.2, 0, 0.5, 2]) expect(geluGrad(x)).toBeCloseTo((gelu(x + 1e-6) - gelu(x - 1e-6)) / 2e-6, 5);
    expect(erf(0.5)).toBeCloseTo(0.5204998778, 6);
    expect(erf(-1.5)).toBeCloseTo(-0.9661051465, 6);
  });

  it('balanced class weights are inverse-frequency with mean 1 over present classes', () => {
    const w = balancedClassWeights(Int32Array.from([0, 0, 0, 1]), 3);
    expect(Array.from(w)).toEqual([4 / 6, 2, 0]);
  });
});
