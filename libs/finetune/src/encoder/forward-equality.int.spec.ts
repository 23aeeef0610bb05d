import { mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { onnx } from 'onnx-proto';
import { loadModelDir, resolveModelDir, TextTokenizer } from '@tuneline/inference';
import { readBertGraph } from './bert-graph';
import { hiddenBatch } from './hidden-batch';
import { HiddenStateCache } from './hidden-state-cache';
import { hiddenStates } from './hidden-states';
import { OrtMatmulEngine } from './matmul-engine';
import { TunedEncoder } from './tuned-encoder';

const TEXTS = ['Operating profit rose to EUR 13.1 mn from EUR 8.7 mn in the corresponding period in 2007.', 'The company will cut 50 jobs.', 'ok'];

describe('step-0 forward pass vs onnxruntime on the real encoder (bge-small)', () => {
  const engine = new OrtMatmulEngine();
  afterAll(() => engine.dispose());

  it.each([1, 3])('top %i layer(s) on cached hidden states reproduce last_hidden_state within 1e-4', async (k) => {
    const base = await loadModelDir(resolveModelDir('default', process.env));
    const graph = readBertGraph(onnx.ModelProto.decode(await readFile(base.onnxPath)));
    const cacheRoot = mkdtempSync(join(tmpdir(), 'hidden-'));
    const input = { encoderPath: base.onnxPath, tokenizerPath: base.tokenizerPath, maxLength: base.config.maxLength, tensor: graph.inputOf(graph.layers - k), texts: TEXTS, dim: graph.hidden };
    const cold = await hiddenStates({ ...input, cache: await HiddenStateCache.open(cacheRoot, '0'.repeat(64), k, graph.hidden) });
    expect(cold.stats.encoded).toBe(3);
    // A second run reads every text from the file cache, bit for bit.
    const warm = await hiddenStates({ ...input, cache: await HiddenStateCache.open(cacheRoot, '0'.repeat(64), k, graph.hidden) });
    expect(warm.stats).toMatchObject({ cacheHits: 3, encoded: 0 });
    for (const t of TEXTS) expect(warm.states.get(t)).toEqual(cold.states.get(t));

    const model = new TunedEncoder(engine, graph, { method: 'lora', layers: k, lora: { rank: 4, alpha: 8, targets: ['query', 'value'] }, pooling: 'cls', normalize: true, classes: 3, seed: 1 });
    const b = hiddenBatch(engine, TEXTS.map((t) => warm.states.get(t) as Float32Array), graph.hidden);
    let x = b.hidden;
    for (const layer of model.layers) x = (await layer.forward(x, b.mask, b.B, b.T)).y;

    const session = await ort.InferenceSession.create(base.onnxPath);
    const tokenizer = await TextTokenizer.fromFile(base.tokenizerPath, base.config.maxLength);
    let worst = 0;
    try {
      for (let i = 0; i < TEXTS.length; i++) {
        const { ids, typeIds } = tokenizer.encode(TEXTS[i] as string);
        const tensor = (xs: readonly number[]) => new ort.Tensor('int64', BigInt64Array.from(xs.map(BigInt)), [1, xs.length]);
        const out = await session.run({ input_ids: tensor(ids), attention_mask: tensor(ids.map(() => 1)), token_type_ids: tensor(typeIds) });
        const ref = (out['last_hidden_state'] as ort.Tensor).data as Float32Array;
        expect(ref.length).toBe(ids.length * graph.hidden);
        for (let j = 0; j < ref.length; j++) worst = Math.max(worst, Math.abs((ref[j] as number) - (x[i * b.T * graph.hidden + j] as number)));
      }
    } finally {
      await session.release();
    }
    expect(worst).toBeLessThan(1e-4);
  }, 120_000);
});
