import { createRng, gaussian } from '../math/random';
import { learningRateAt } from '../train/adamw';
import { JsMatmulEngine, type Mat, type MatmulEngine, type MatmulShape } from './matmul-engine';
import { tinyBertGraph } from './tiny-bert';
import { encodeSplit, FROZEN_EMBEDDING_TOLERANCE, trainEncoder, type HiddenSplit } from './train-encoder';
import { TunedEncoder } from './tuned-encoder';

const e = new JsMatmulEngine();
const graph = tinyBertGraph({ layers: 2, hidden: 8, heads: 2, ffn: 12, seed: 5 });

function split(n: number, seed: number): HiddenSplit {
  const rng = createRng(seed);
  const states = Array.from({ length: n }, (_, i) => Float32Array.from({ length: (2 + (i % 3)) * 8 }, () => gaussian(rng)));
  return { states, targets: Int32Array.from({ length: n }, (_, i) => i % 2) };
}

/**
 * The warm-up/cosine schedule advances once per step whether or not the caller watches steps
 * (a regression: the step counter lived inside `onStep?.(++step)`, so without a callback every
 * step ran at the first warm-up rate, peak / warm-up steps, and LoRA barely moved).
 */
describe('trainEncoder learning-rate schedule', () => {
  it.each([false, true])('each epoch ends at the scheduled rate (onStep given: %s)', async (watch) => {
    const seen: number[] = [];
    const options = { method: 'lora' as const, layers: 1, epochs: 3, batchSize: 4, learningRate: 0.01, warmupFraction: 0.2, patience: 3 };
    const r = await trainEncoder({ engine: e, graph, labels: ['a', 'b'], train: split(12, 1), validation: split(4, 2), pooling: 'cls', normalize: true, options,
      ...(watch ? { onStep: (s: number) => seen.push(s) } : {}) });
    // 12 rows / batch 4 = 3 steps an epoch, 9 in all, warm-up round(0.2 · 9) = 2.
    expect(r.history.map((h) => h.learningRate)).toEqual([2, 5, 8].map((s) => learningRateAt(s, 9, 0.01, 2)));
    expect(r.history[2]?.learningRate).toBeLessThan(0.002);
    if (watch) expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});

/** Counts multiply-adds, to tell whether a pass over a split ran. */
class CountingEngine implements MatmulEngine {
  readonly precision = 'float64' as const;
  work = 0;
  private readonly inner = new JsMatmulEngine();
  alloc(size: number): Mat {
    return this.inner.alloc(size);
  }
  matmul(a: Mat, b: Mat, s: MatmulShape): Promise<Mat> {
    this.work += s.batch * s.m * s.k * s.n;
    return this.inner.matmul(a, b, s);
  }
  async dispose(): Promise<void> {
    return undefined;
  }
}

describe('trainEncoder with the frozen embeddings given', () => {
  const options = { method: 'lora' as const, layers: 1, epochs: 2, batchSize: 4, learningRate: 0.01 };
  const train = split(12, 1);
  const validation = split(5, 2);
  /** What any step-0 model gives: LoRA's B starts at 0, so the adapters' seed does not matter. */
  const step0 = async (s: HiddenSplit) =>
    (await encodeSplit(new TunedEncoder(e, graph, { method: 'lora', layers: 1, lora: { rank: 2, alpha: 4, targets: ['query'] }, pooling: 'cls', normalize: true, classes: 2, seed: 9 }),
      e, s.states)).embeddings;
  const withoutSeconds = (h: readonly { seconds: number }[]) => h.map(({ seconds: _s, ...rest }) => rest);

  it('trains exactly as with its own step-0 pass, and skips that pass', async () => {
    const ownEngine = new CountingEngine();
    const own = await trainEncoder({ engine: ownEngine, graph, labels: ['a', 'b'], train, validation, pooling: 'cls', normalize: true, options });
    const givenEngine = new CountingEngine();
    const frozenEmbeddings = { train: await step0(train), validation: await step0(validation) };
    const given = await trainEncoder({ engine: givenEngine, graph, labels: ['a', 'b'], train, validation, pooling: 'cls', normalize: true, options, frozenEmbeddings });
    expect(given.probeMacroF1).toBe(own.probeMacroF1);
    expect(withoutSeconds(given.history)).toEqual(withoutSeconds(own.history));
    expect(given.validationLogits).toEqual(own.validationLogits);
    // The check passes cover 8 of the 12 training rows and the 5 validation rows; the skipped pass covered all 17.
    expect(givenEngine.work).toBeLessThan(ownEngine.work);
  });

  it.each([
    ['a value off by more than the tolerance', (f: { train: Float64Array; validation: Float64Array }) => { f.train[3] = (f.train[3] as number) + 10 * FROZEN_EMBEDDING_TOLERANCE; }, /disagree with the step-0 pass/],
    ['a training split of the wrong size', (f: { train: Float64Array; validation: Float64Array }) => { f.train = f.train.subarray(8); }, /frozenEmbeddings.train has 88 values, expected 12 × 8/],
    ['another split in place of the validation one', (f: { train: Float64Array; validation: Float64Array }) => { f.validation = f.train.subarray(0, 5 * 8); }, /over the first 5 validation rows/],
    ['a validation split of the wrong size', (f: { train: Float64Array; validation: Float64Array }) => { f.validation = f.validation.subarray(8); }, /frozenEmbeddings.validation has 32 values, expected 5 × 8/],
  ])('refuses %s', async (_name, spoil, message) => {
    const frozenEmbeddings = { train: await step0(train), validation: await step0(validation) };
    spoil(frozenEmbeddings);
    await expect(trainEncoder({ engine: e, graph, labels: ['a', 'b'], train, validation, pooling: 'cls', normalize: true, options, frozenEmbeddings })).rejects.toThrow(message);
  });
});

describe('trainEncoder default k', () => {
  it('trains every layer of an encoder shallower than the default 12', async () => {
    const r = await trainEncoder({ engine: e, graph, labels: ['a', 'b'], train: split(8, 1), validation: split(4, 2), pooling: 'cls', normalize: true,
      options: { method: 'lora', epochs: 1, batchSize: 4 } });
    expect(r.options.layers).toBe(2);
    expect(r.model.layers).toHaveLength(2);
  });
});

describe('trainEncoder with the probe out of the running', () => {
  // Labels from the first hidden value of the first token: the probe fits them, and these rates
  // (adapters 0.05, head 1) wreck the fit, so with the probe competing epoch 0 is kept.
  function separable(n: number, seed: number): HiddenSplit {
    const s = split(n, seed);
    return { states: s.states, targets: Int32Array.from(s.states, (x) => ((x[0] as number) > 0 ? 1 : 0)) };
  }
  const train = separable(24, 5);
  const validation = separable(12, 6);
  const options = { method: 'lora' as const, layers: 2, epochs: 2, batchSize: 4, learningRate: 0.05, headLearningRate: 1, maxGradNorm: 100, patience: 2 };
  const run = (probeCompetes: boolean) =>
    trainEncoder({ engine: e, graph, labels: ['a', 'b'], train, validation, pooling: 'cls', normalize: true, options: { ...options, probeCompetes } });

  it('keeps the best adapted epoch even where the probe scored higher', async () => {
    const competing = await run(true);
    expect(competing.bestEpoch).toBe(0);
    const adapted = await run(false);
    expect(adapted.history.map((h) => h.valMacroF1)).toEqual(competing.history.map((h) => h.valMacroF1));
    expect(adapted.bestEpoch).toBeGreaterThanOrEqual(1);
    const kept = adapted.history[adapted.bestEpoch - 1]?.valMacroF1 ?? NaN;
    expect(kept).toBe(Math.max(...adapted.history.map((h) => h.valMacroF1)));
    expect(kept).toBeLessThan(adapted.probeMacroF1);
    // The weights kept are the adapted ones: LoRA's B matrices (0 at the probe) moved; with the probe kept they are all 0.
    const bMoved = (r: typeof adapted) => r.model.encoderParams.filter((p) => p.name.endsWith('lora_B')).some((p) => p.data.some((v) => v !== 0));
    expect(bMoved(competing)).toBe(false);
    expect(bMoved(adapted)).toBe(true);
  });
});
