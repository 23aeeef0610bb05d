import { createRng, gaussian } from '../math/random';
import { calibrationReport } from '../pipeline/calibrate';
import { trainHead, type EmbeddedSplit } from './train-head';

/** Three Gaussian blobs in 8-d: separable, so a working trainer must reach ~100%. */
function blobs(n: number, seed: number, noise = 0.3): EmbeddedSplit {
  const rng = createRng(seed);
  const d = 8;
  const X = new Float64Array(n * d);
  const targets = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const y = i % 3;
    targets[i] = y;
    for (let k = 0; k < d; k++) X[i * d + k] = (k === y ? 3 : 0) + noise * gaussian(rng);
  }
  return { X, n, targets };
}
const labels = ['a', 'b', 'c'];

describe('trainHead', () => {
  it.each(['linear', 'mlp'] as const)('learns a separable task to near-perfect validation accuracy (%s)', (head) => {
    const r = trainHead({ dim: 8, labels, train: blobs(300, 1), validation: blobs(90, 2), options: { head, hiddenDim: 16, epochs: 30, minSteps: 0, learningRate: 1e-2 } });
    const last = r.history[r.bestEpoch - 1];
    expect(last?.valAccuracy).toBeGreaterThanOrEqual(0.98);
    expect(last?.valMacroF1).toBeGreaterThanOrEqual(0.98);
    expect(r.history[0]?.trainLoss).toBeGreaterThan(r.history[r.history.length - 1]?.trainLoss as number);
  });

  it('stops early when validation stops improving and keeps the best epoch', () => {
    // Overlapping blobs and a small train set: the MLP overfits, validation loss turns up.
    const r = trainHead({ dim: 8, labels, train: blobs(45, 3, 1.5), validation: blobs(60, 4, 1.5),
      options: { head: 'mlp', hiddenDim: 64, dropout: 0, epochs: 200, minSteps: 0, patience: 3, learningRate: 5e-2 } });
    expect(r.stoppedEarly).toBe(true);
    expect(r.history.length).toBeLessThan(200);
    expect(r.history.length - r.bestEpoch).toBe(3);
    const bestF1 = Math.max(...r.history.map((h) => h.valMacroF1));
    expect(r.history[r.bestEpoch - 1]?.valMacroF1).toBe(bestF1);
  });

  it('breaks macro-F1 ties by validation loss, so a head at F1 = 1 keeps training while loss falls', () => {
    const r = trainHead({ dim: 8, labels, train: blobs(150, 3), validation: blobs(60, 4), options: { head: 'linear', epochs: 60, minSteps: 0, patience: 3, learningRate: 1e-2 } });
    const perfect = r.history.filter((h) => h.valMacroF1 === 1);
    expect(perfect.length).toBeGreaterThan(1);
    const best = r.history[r.bestEpoch - 1];
    expect(best?.valMacroF1).toBe(1);
    // Not the first perfect epoch but the one with the lowest validation loss among them.
    expect(r.bestEpoch).toBeGreaterThan(perfect[0]?.epoch as number);
    expect(best?.valLoss).toBe(Math.min(...perfect.map((h) => h.valLoss)));
  });

  it('raises the epoch limit on small data to reach minSteps, and only then', () => {
    const totals: number[] = [];
    // 20 rows at batch 32: one step an epoch, so 50 steps need 50 epochs.
    const small = trainHead({ dim: 8, labels, train: blobs(20, 11), validation: blobs(30, 12),
      options: { head: 'linear', epochs: 10, minSteps: 50, patience: 1000, learningRate: 1e-2 }, onEpoch: (_, total) => totals.push(total) });
    expect(small.epochLimit).toBe(50);
    expect(small.history).toHaveLength(50);
    expect(new Set(totals)).toEqual(new Set([50]));
    // 320 rows = 10 steps an epoch: 10 epochs already exceed 50 steps.
    const large = trainHead({ dim: 8, labels, train: blobs(320, 13), validation: blobs(30, 14), options: { head: 'linear', epochs: 10, minSteps: 50, patience: 1000 } });
    expect(large.epochLimit).toBe(10);
    expect(large.history).toHaveLength(10);
    expect(() => trainHead({ dim: 8, labels, train: blobs(20, 11), validation: blobs(30, 12), options: { minSteps: -1 } })).toThrow('minSteps must be an integer');
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const run = (seed: number) => trainHead({ dim: 8, labels, train: blobs(90, 5, 1.5), validation: blobs(30, 6, 1.5), options: { head: 'mlp', hiddenDim: 8, epochs: 3, minSteps: 0, seed } });
    const a = run(7), b = run(7), c = run(8);
    expect(Array.from(a.head.params[0]?.data ?? [])).toEqual(Array.from(b.head.params[0]?.data ?? []));
    expect(Array.from(a.head.params[0]?.data ?? [])).not.toEqual(Array.from(c.head.params[0]?.data ?? []));
  });

  it('reports one record per epoch', () => {
    const onEpoch = jest.fn();
    const r = trainHead({ dim: 8, labels, train: blobs(120, 9, 1.2), validation: blobs(60, 10, 1.2), options: { head: 'linear', epochs: 5, minSteps: 0 }, onEpoch });
    expect(onEpoch).toHaveBeenCalledTimes(r.history.length);
    expect(onEpoch.mock.calls.map(([record]) => (record as { epoch: number }).epoch)).toEqual(r.history.map((h) => h.epoch));
  });

  it('softens an over-confident head: the fitted temperature lowers NLL on held-out data', () => {
    // Few noisy rows, a wide MLP and no early stop: the head overfits and is over-confident.
    const r = trainHead({ dim: 8, labels, train: blobs(45, 21, 1.6), validation: blobs(300, 22, 1.6),
      options: { head: 'mlp', hiddenDim: 64, dropout: 0, epochs: 150, minSteps: 0, patience: 1000, learningRate: 5e-2 } });
    const heldOut = blobs(600, 23, 1.6);
    const { calibrated, uncalibrated } = calibrationReport(r.head, heldOut, labels, r.temperature, false);
    expect(r.temperature).toBeGreaterThan(1.2);
    expect(calibrated.nll).toBeLessThan(uncalibrated.nll);
    expect(calibrated.ece).toBeLessThan(uncalibrated.ece);
  });

  it('rejects bad options naming the field', () => {
    expect(() => trainHead({ dim: 8, labels, train: blobs(9, 1), validation: blobs(3, 2), options: { epochs: 0 } })).toThrow(/epochs must be an integer/);
    expect(() => trainHead({ dim: 8, labels, train: blobs(9, 1), validation: blobs(3, 2), options: { dropout: 1 } })).toThrow(/dropout/);
    expect(() => trainHead({ dim: 8, labels: ['only'], train: blobs(9, 1), validation: blobs(3, 2) })).toThrow(/at least 2 labels/);
  });
});
