import { createParameter } from '../heads/parameter';
import { AdamW, learningRateAt } from './adamw';

describe('AdamW', () => {
  it('applies decoupled weight decay: with zero gradient the weight shrinks by lr·λ·θ exactly', () => {
    const w = createParameter('W', [1], true);
    w.data[0] = 2;
    const opt = new AdamW([w], { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.1 });
    opt.step(0.5); // m = v = 0 → Adam step is 0; only decay acts
    expect(w.data[0]).toBeCloseTo(2 - 0.5 * 0.1 * 2, 12);
  });

  it('does not decay biases', () => {
    const b = createParameter('b', [1], false);
    b.data[0] = 2;
    new AdamW([b], { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.1 }).step(0.5);
    expect(b.data[0]).toBe(2);
  });

  it('takes a first step of size lr in the gradient sign (bias-corrected Adam)', () => {
    const w = createParameter('W', [2], true);
    w.grad.set([3, -0.01]);
    new AdamW([w], { beta1: 0.9, beta2: 0.999, eps: 1e-12, weightDecay: 0 }).step(0.1);
    expect(w.data[0]).toBeCloseTo(-0.1, 6);
    expect(w.data[1]).toBeCloseTo(0.1, 6);
  });

  it('minimises a quadratic', () => {
    const w = createParameter('W', [1], true);
    w.data[0] = 5;
    const opt = new AdamW([w], { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 });
    for (let i = 0; i < 500; i++) { opt.zeroGrad(); w.grad[0] = 2 * ((w.data[0] as number) - 1); opt.step(0.05); }
    expect(w.data[0]).toBeCloseTo(1, 2);
  });
});

describe('learning-rate schedule', () => {
  it('warms up linearly and decays by cosine to the floor', () => {
    expect(learningRateAt(0, 100, 1, 10)).toBeCloseTo(0.1);
    expect(learningRateAt(9, 100, 1, 10)).toBeCloseTo(1);
    expect(learningRateAt(55, 100, 1, 10)).toBeCloseTo(0.05 + 0.95 * 0.5, 5);
    expect(learningRateAt(100, 100, 1, 10)).toBeCloseTo(0.05);
  });
});
