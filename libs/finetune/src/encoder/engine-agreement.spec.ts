import { softmaxCrossEntropy } from '../heads/losses';
import { createRng, gaussian } from '../math/random';
import { JsMatmulEngine, OrtMatmulEngine, type MatmulEngine } from './matmul-engine';
import { tinyBertGraph } from './tiny-bert';
import { TunedEncoder } from './tuned-encoder';

/**
 * Training runs on the onnxruntime engine (float32); the finite-difference checks run on the
 * float64 JS engine. Same model, same batch: every gradient must agree to float32 precision,
 * so a layout slip in the onnxruntime path (a transposed operand, a batch axis) cannot hide.
 */
async function gradients(e: MatmulEngine, dropout = 0): Promise<Float64Array[]> {
  const graph = tinyBertGraph({ layers: 2, hidden: 8, heads: 2, ffn: 12, seed: 5 });
  const model = new TunedEncoder(e, graph, { method: 'lora', layers: 2, lora: { rank: 2, alpha: 4, targets: ['query', 'value', 'ffn'] }, pooling: 'cls', normalize: true, classes: 3, seed: 1, dropout });
  const rng = createRng(3);
  for (const p of model.encoderParams) if (p.name.endsWith('lora_B')) for (let i = 0; i < p.data.length; i++) p.data[i] = 0.3 * gaussian(rng);
  const B = 2, T = 3, D = 8;
  const hidden = e.alloc(B * T * D);
  const r2 = createRng(9);
  for (let i = 0; i < hidden.length; i++) hidden[i] = gaussian(r2);
  const pass = await model.forward({ hidden, mask: Uint8Array.from([1, 1, 1, 1, 1, 0]), B, T }, true);
  await pass.backward(softmaxCrossEntropy(pass.logits, B, 3, Int32Array.from([0, 2])).grad);
  return [...model.encoderParams, ...model.headParams].map((p) => Float64Array.from(p.grad));
}

describe('onnxruntime and JS matmul engines give the same gradients', () => {
  // With dropout (the LoRA default 0.1) both engines draw the same masks from the same seed.
  it.each([0, 0.1])('LoRA (q, v, FFN) and head gradients agree within float32 precision (dropout %s)', async (dropout) => {
    const ort = new OrtMatmulEngine();
    const a = await gradients(ort, dropout);
    await ort.dispose();
    const b = await gradients(new JsMatmulEngine(), dropout);
    let worst = 0;
    let scale = 0;
    a.forEach((g, k) => g.forEach((x, i) => {
      worst = Math.max(worst, Math.abs(x - ((b[k] as Float64Array)[i] as number)));
      scale = Math.max(scale, Math.abs(x));
    }));
    expect(scale).toBeGreaterThan(1e-3);
    expect(worst / scale).toBeLessThan(1e-4);
  });
});
