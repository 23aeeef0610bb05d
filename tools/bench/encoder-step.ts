/**
 * Cost of one training step of the top encoder layers (ADR 0019): forward + backward of k
 * bge-small layers (LoRA on q and v, or full top-layers) for a batch of B texts of T tokens,
 * on the onnxruntime engine (float32; matmuls and GELU) and on plain JS loops (float64);
 * the step time is the best of `reps`.
 *   npx tsx --tsconfig tools/tsconfig.json tools/bench/encoder-step.ts [batch=32] [tokens=40] [reps=3]
 */
import { readFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { onnx } from 'onnx-proto';
import { loadModelDir, resolveModelDir } from '@tuneline/inference';
import { JsMatmulEngine, OrtMatmulEngine, readBertGraph, TunedEncoder, type EncoderMethod, type LoraTarget, type Mat, type MatmulEngine, type MatmulShape } from '@tuneline/finetune';

async function stepMs(engine: MatmulEngine, method: EncoderMethod, layers: number, B: number, T: number, reps: number, targets: readonly LoraTarget[] = ['query', 'value'], dropout = 0): Promise<number> {
  const base = await loadModelDir(resolveModelDir('default', process.env));
  const graph = readBertGraph(onnx.ModelProto.decode(await readFile(base.onnxPath)));
  const model = new TunedEncoder(engine, graph, { method, layers, lora: { rank: 8, alpha: 16, targets }, pooling: 'cls', normalize: true, classes: 3, seed: 1, dropout });
  const hidden = engine.alloc(B * T * graph.hidden).map(() => Math.random() - 0.5);
  const batch = { hidden, mask: new Uint8Array(B * T).fill(1), B, T };
  const dLogits = new Float64Array(B * 3).map(() => Math.random() - 0.5);
  let best = Infinity;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    const pass = await model.forward(batch, true);
    await pass.backward(dLogits);
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

/** The onnxruntime matmuls with tensor-ops' JS GELU: the engine as it was before GELU moved into onnxruntime. */
class JsGeluEngine implements MatmulEngine {
  readonly precision = 'float32' as const;
  constructor(private readonly inner: OrtMatmulEngine) {}
  alloc(size: number): Mat {
    return this.inner.alloc(size);
  }
  matmul(a: Mat, b: Mat, s: MatmulShape): Promise<Mat> {
    return this.inner.matmul(a, b, s);
  }
  async dispose(): Promise<void> {
    return undefined;
  }
}

async function main(): Promise<void> {
  const [B, T, reps] = [Number(process.argv[2] ?? 32), Number(process.argv[3] ?? 40), Number(process.argv[4] ?? 3)];
  const out: Record<string, number | string> = { machine: `${cpus().length} cores`, loadAverage1m: Number(loadavg()[0]?.toFixed(2)), batch: B, tokens: T };
  const ort = new OrtMatmulEngine();
  for (const [method, k] of [['lora', 1], ['lora', 2], ['top-layers', 1], ['top-layers', 2]] as const) out[`ort.${method}.k${k}.ms`] = Math.round(await stepMs(ort, method, k, B, T, reps));
  // The adapters the PhraseBank tries train (query, value and both FFN matrices).
  // Interleaved with the JS-GELU engine, so load drifts hit both alike.
  const jsGelu = new JsGeluEngine(ort);
  const [a, b, c] = [[] as number[], [] as number[], [] as number[]];
  for (let r = 0; r < reps; r++) {
    a.push(await stepMs(ort, 'lora', 2, B, T, 2, ['query', 'value', 'ffn']));
    b.push(await stepMs(jsGelu, 'lora', 2, B, T, 2, ['query', 'value', 'ffn']));
    c.push(await stepMs(ort, 'lora', 2, B, T, 2, ['query', 'value', 'ffn'], 0.1));
  }
  out['ort.lora-qvffn.k2.ms'] = Math.round(Math.min(...a));
  out['ort-jsGelu.lora-qvffn.k2.ms'] = Math.round(Math.min(...b));
  // The LoRA defaults' hidden dropout (0.1): a mask on two N × D outputs a layer (one 32-bit draw per two values).
  out['ort.lora-qvffn-dropout.k2.ms'] = Math.round(Math.min(...c));
  await ort.dispose();
  // One layer only: the float64 loops take seconds per step.
  out['js.lora.k1.ms'] = Math.round(await stepMs(new JsMatmulEngine(), 'lora', 1, B, T, 1));
  process.stdout.write(JSON.stringify(out) + '\n');
}

void main();
