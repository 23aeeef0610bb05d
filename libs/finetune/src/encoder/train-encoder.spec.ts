import { createRng, gaussian } from '../math/random';
import { learningRateAt } from '../train/adamw';
import { JsMatmulEngine } from './matmul-engine';
import { tinyBertGraph } from './tiny-bert';
import { trainEncoder, type HiddenSplit } from './train-encoder';

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
