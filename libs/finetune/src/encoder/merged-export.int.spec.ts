import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { onnx } from 'onnx-proto';
import { loadModelDir, resolveModelDir, TextTokenizer } from '@tuneline/inference';
import { headWeights } from '../heads/head';
import { softmaxRows } from '../math/linear-algebra';
import { createRng, gaussian } from '../math/random';
import { EMBEDDING_OUTPUT, fuseHeadIntoEncoder, PROBABILITIES_OUTPUT } from '../export/fuse-onnx';
import { quantizeDynamicInt8 } from '../export/quantize-int8';
import { readBertGraph } from './bert-graph';
import { hiddenBatch } from './hidden-batch';
import { hiddenStates } from './hidden-states';
import { OrtMatmulEngine } from './matmul-engine';
import { writeMergedEncoder } from './merge-encoder';
import { TunedEncoder, type EncoderMethod } from './tuned-encoder';

const TEXTS = ['Net sales fell 12 % year on year .', 'The board proposes a dividend of EUR 0.50 per share .', 'Profit more than doubled .', 'Shares were flat'];
const TEMPERATURE = 0.8;

/**
 * The exported graph (trained weights merged into the encoder's initialisers, then pooling,
 * normalisation, head and softmax fused) gives the trainer's own probabilities. The trained
 * weights are moved well away from the base (random LoRA B, perturbed layers), so a merge
 * that dropped α/r, transposed A·B or missed a tensor would fail by far more than 1e-4.
 */
describe('merged export equals the trainer (real bge-small)', () => {
  const engine = new OrtMatmulEngine();
  afterAll(() => engine.dispose());

  it.each<[EncoderMethod, number]>([['lora', 2], ['top-layers', 1]])('%s k=%i: fused probabilities within 1e-4 of the trainer', async (method, k) => {
    const base = await loadModelDir(resolveModelDir('default', process.env));
    const graph = readBertGraph(onnx.ModelProto.decode(await readFile(base.onnxPath)));
    const model = new TunedEncoder(engine, graph, { method, layers: k, lora: { rank: 4, alpha: 8, targets: ['query', 'value', 'ffn'] }, pooling: base.config.pooling,
      normalize: base.config.normalize, classes: 3, seed: 7 });
    const rng = createRng(11);
    for (const p of model.encoderParams) {
      for (let i = 0; i < p.data.length; i++) p.data[i] = p.name.endsWith('lora_B') ? 0.2 * gaussian(rng) : (p.data[i] as number) * (1 + 0.1 * gaussian(rng));
    }
    for (const p of model.headParams) for (let i = 0; i < p.data.length; i++) p.data[i] = 3 * gaussian(rng);

    const { states } = await hiddenStates({ encoderPath: base.onnxPath, tokenizerPath: base.tokenizerPath, maxLength: base.config.maxLength,
      tensor: graph.inputOf(graph.layers - k), texts: TEXTS, dim: graph.hidden });
    const pass = await model.forward(hiddenBatch(engine, TEXTS.map((t) => states.get(t) as Float32Array), graph.hidden), false);
    const expected = softmaxRows(pass.logits, TEXTS.length, 3, TEMPERATURE);

    const dir = mkdtempSync(join(tmpdir(), 'merged-'));
    const written = await writeMergedEncoder(base.onnxPath, join(dir, 'encoder.onnx'), model);
    expect(written).toHaveLength(method === 'lora' ? 2 * k + 2 * k : 16 * k);
    await fuseHeadIntoEncoder({ encoderPath: join(dir, 'encoder.onnx'), outPath: join(dir, 'model.onnx'), head: headWeights(model.head), pooling: base.config.pooling,
      normalize: base.config.normalize, temperature: TEMPERATURE, multilabel: false });

    // int8 export of the merged graph: dynamic quantisation; embeddings stay within the
    // library's int8 bar (cosine > FUSED_EMBEDDING_MIN_COSINE = 0.97) of the fp32 graph's.
    const quantised = method === 'lora' ? await quantizeDynamicInt8(join(dir, 'model.onnx'), join(dir, 'model-int8.onnx')) : 0;
    const session = await ort.InferenceSession.create(join(dir, 'model.onnx'));
    const int8 = quantised ? await ort.InferenceSession.create(join(dir, 'model-int8.onnx')) : undefined;
    const tokenizer = await TextTokenizer.fromFile(base.tokenizerPath, base.config.maxLength);
    let worst = 0;
    let moved = 0;
    let minCosine = 1;
    try {
      for (let i = 0; i < TEXTS.length; i++) {
        const { ids, typeIds } = tokenizer.encode(TEXTS[i] as string);
        const tensor = (xs: readonly number[]) => new ort.Tensor('int64', BigInt64Array.from(xs.map(BigInt)), [1, xs.length]);
        const out = await session.run({ input_ids: tensor(ids), attention_mask: tensor(ids.map(() => 1)), token_type_ids: tensor(typeIds) });
        const p = (out[PROBABILITIES_OUTPUT] as ort.Tensor).data as Float32Array;
        for (let j = 0; j < 3; j++) worst = Math.max(worst, Math.abs((p[j] as number) - (expected[i * 3 + j] as number)));
        moved = Math.max(moved, Math.abs((p[0] as number) - 1 / 3));
        if (int8) {
          const q = await int8.run({ input_ids: tensor(ids), attention_mask: tensor(ids.map(() => 1)), token_type_ids: tensor(typeIds) });
          const a = (out[EMBEDDING_OUTPUT] as ort.Tensor).data as Float32Array;
          const b = (q[EMBEDDING_OUTPUT] as ort.Tensor).data as Float32Array;
          minCosine = Math.min(minCosine, a.reduce((acc, x, j) => acc + x * (b[j] as number), 0));
          expect(((q[PROBABILITIES_OUTPUT] as ort.Tensor).data as Float32Array).reduce((acc, x) => acc + x, 0)).toBeCloseTo(1, 5);
        }
      }
    } finally {
      await session.release();
      await int8?.release();
      // Each case writes ~400 MB (merged encoder, fused and int8 graphs).
      rmSync(dir, { recursive: true, force: true });
    }
    if (method === 'lora') {
      expect(quantised).toBe(6 * graph.layers);
      expect(minCosine).toBeGreaterThan(0.97);
    }
    expect(moved).toBeGreaterThan(0.05);
    expect(worst).toBeLessThan(1e-4);
  }, 600_000);
});
