import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onnx } from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { Encoder, TextTokenizer, cosineSimilarity, resolveModelDir } from '@tuneline/inference';
import { headWeights, type Head } from '../heads/head';
import { LinearHead } from '../heads/linear-head';
import { MlpHead } from '../heads/mlp-head';
import { sigmoid, softmaxRows } from '../math/linear-algebra';
import { createRng } from '../math/random';
import { preflightEncoder } from './encoder-graph';
import { EMBEDDING_OUTPUT, fuseHeadIntoEncoder, PROBABILITIES_OUTPUT } from './fuse-onnx';

const TEXTS = ['How do I reset my PIN?', 'Shares fell 20 % after the profit warning .', '我的银行卡丢了', 'a'];

async function runFused(path: string, tokenizerPath: string, text: string): Promise<{ probabilities: Float32Array; embedding: Float32Array }> {
  const tok = await TextTokenizer.fromFile(tokenizerPath, 512);
  const e = tok.encode(text);
  const t = (xs: readonly number[]) => new ort.Tensor('int64', BigInt64Array.from(xs.map(BigInt)), [1, e.ids.length]);
  const s = await ort.InferenceSession.create(path);
  try {
    const out = await s.run({ input_ids: t(e.ids), attention_mask: t(e.ids.map(() => 1)), token_type_ids: t(e.typeIds) });
    return { probabilities: (out[PROBABILITIES_OUTPUT] as ort.Tensor).data as Float32Array, embedding: (out[EMBEDDING_OUTPUT] as ort.Tensor).data as Float32Array };
  } finally {
    await s.release();
  }
}

/** The head's own probabilities on the encoder's embedding (JS math, float64). */
function headProbabilities(head: Head, emb: Float32Array, temperature: number, multilabel: boolean): Float64Array {
  const logits = head.forward(Float64Array.from(emb), 1, false).logits;
  return multilabel ? logits.map((z) => sigmoid(z / temperature)) : softmaxRows(logits, 1, head.outputDim, temperature);
}

describe.each([
  ['default', 'cls', 'mlp', false],
  ['default', 'cls', 'linear', true],
  ['minilm', 'mean', 'mlp', false],
] as const)('fused ONNX graph on %s (%s pooling, %s head, multilabel=%s)', (model, pooling, kind, multilabel) => {
  // The sentence_embedding output is what support-chat retrieves with instead of a second Encoder pass.
  it('gives the same probabilities as the head within 1e-4, and the Encoder\'s own (unit) embedding as sentence_embedding', async () => {
    const dir = resolveModelDir(model, process.env);
    const rng = createRng(11);
    const head = kind === 'mlp' ? new MlpHead(384, 32, 5, 0.1, rng) : new LinearHead(384, 5, rng);
    // Larger weights than the init so probabilities are far from uniform and a bug shows.
    head.params.forEach((p) => p.data.forEach((v, i) => { p.data[i] = v * 4; }));
    const out = join(mkdtempSync(join(tmpdir(), 'fuse-')), 'model.onnx');
    const temperature = 1.7;
    await fuseHeadIntoEncoder({ encoderPath: join(dir, 'model.onnx'), outPath: out, head: headWeights(head, kind === 'mlp' ? 32 : undefined),
      pooling, normalize: true, temperature, multilabel });
    const enc = await Encoder.load(dir);
    try {
      let spread = 0;
      for (const text of TEXTS) {
        const [emb] = await enc.embed([text]);
        const expected = headProbabilities(head, emb as Float32Array, temperature, multilabel);
        const { probabilities: fused, embedding } = await runFused(out, join(dir, 'tokenizer.json'), text);
        expect(fused).toHaveLength(5);
        expect(cosineSimilarity(embedding, emb as Float32Array)).toBeGreaterThanOrEqual(0.999);
        expect(Math.hypot(...embedding)).toBeCloseTo(1, 4);
        fused.forEach((p, j) => expect(Math.abs(p - (expected[j] as number))).toBeLessThan(1e-4));
        spread = Math.max(spread, Math.max(...expected) - Math.min(...expected));
      }
      expect(spread).toBeGreaterThan(0.05);
    } finally {
      await enc.dispose();
    }
  }, 60_000);
});

describe('fuseHeadIntoEncoder argument checks', () => {
  it('rejects a non-positive temperature and a missing encoder output', async () => {
    const dir = resolveModelDir('int8', process.env);
    const head = headWeights(new LinearHead(384, 2, createRng(1)));
    const outPath = join(mkdtempSync(join(tmpdir(), 'fuse-')), 'm.onnx');
    await expect(fuseHeadIntoEncoder({ encoderPath: join(dir, 'model.onnx'), outPath, head, pooling: 'cls', normalize: true, temperature: 0, multilabel: false }))
      .rejects.toThrow(/temperature must be > 0/);
    await expect(fuseHeadIntoEncoder({ encoderPath: join(dir, 'model.onnx'), outPath, head, pooling: 'cls', normalize: true, temperature: 1, multilabel: false, encoderOutput: 'nope' }))
      .rejects.toThrow(/has no output "nope"/);
  });
});

describe('preflightEncoder on a cached Hub graph', () => {
  it('refuses a mutated copy of a cached Hub graph whose mask input was renamed', async () => {
    const original = join(resolveModelDir('minilm', process.env), 'model.onnx');
    const model = onnx.ModelProto.decode(readFileSync(original));
    const graph = model.graph as onnx.GraphProto;
    for (const v of graph.input) if (v.name === 'attention_mask') v.name = 'input_mask';
    for (const node of graph.node) node.input = (node.input ?? []).map((i) => (i === 'attention_mask' ? 'input_mask' : i));
    const mutated = join(mkdtempSync(join(tmpdir(), 'preflight-')), 'minilm-mutated.onnx');
    writeFileSync(mutated, onnx.ModelProto.encode(model).finish());
    await expect(preflightEncoder(original, { pooling: 'mean', hiddenWidth: 384 })).resolves.toMatchObject({ opset: 11, hiddenWidth: 384 });
    await expect(preflightEncoder(mutated, { pooling: 'mean', hiddenWidth: 384 })).rejects.toThrow(/needs an "attention_mask" input/);
  });

});
