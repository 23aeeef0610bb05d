import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { headWeights } from '../heads/head';
import { LinearHead } from '../heads/linear-head';
import { MlpHead } from '../heads/mlp-head';
import { softmaxRows } from '../math/linear-algebra';
import { createRng } from '../math/random';
import { buildSyntheticEncoder, syntheticMeanEmbedding } from '../testing';
import { EMBEDDING_OUTPUT, fuseHeadIntoEncoder, PROBABILITIES_OUTPUT } from './fuse-onnx';

const HIDDEN = 6;
const dir = mkdtempSync(join(tmpdir(), 'fuse-opset-'));

async function runGraph(path: string, ids: number[], mask: number[]): Promise<{ probs: Float32Array; emb: Float32Array }> {
  const t = (xs: number[]) => new ort.Tensor('int64', BigInt64Array.from(xs.map(BigInt)), [1, xs.length]);
  const s = await ort.InferenceSession.create(path);
  try {
    const out = await s.run({ input_ids: t(ids), attention_mask: t(mask), token_type_ids: t(ids.map(() => 0)) });
    return { probs: (out[PROBABILITIES_OUTPUT] as ort.Tensor).data as Float32Array, emb: (out[EMBEDDING_OUTPUT] as ort.Tensor).data as Float32Array };
  } finally {
    await s.release();
  }
}

describe.each([11, 13, 17, 18, 21])('mean-pooled fusion on an opset-%i encoder', (opset) => {
  it.each(['linear', 'mlp'] as const)('runs and matches the %s head on the masked mean embedding', async (kind) => {
    const enc = buildSyntheticEncoder({ opset, hidden: HIDDEN, seed: opset });
    const encoderPath = join(dir, `enc-${opset}.onnx`);
    writeFileSync(encoderPath, enc.bytes);
    const rng = createRng(5);
    const head = kind === 'mlp' ? new MlpHead(HIDDEN, 8, 3, 0, rng) : new LinearHead(HIDDEN, 3, rng);
    head.params.forEach((p) => p.data.forEach((v, i) => { p.data[i] = v * 4; }));
    const outPath = join(dir, `fused-${opset}-${kind}.onnx`);
    const temperature = 1.3;
    await fuseHeadIntoEncoder({ encoderPath, outPath, head: headWeights(head, kind === 'mlp' ? 8 : undefined), pooling: 'mean', normalize: true, temperature, multilabel: false });

    // The last token is padding: the mask must keep it out of the mean.
    const ids = [3, 7, 1, 12], mask = [1, 1, 1, 0];
    const { probs, emb } = await runGraph(outPath, ids, mask);
    const expectedEmb = syntheticMeanEmbedding(enc, HIDDEN, ids, mask);
    emb.forEach((v, k) => expect(Math.abs(v - (expectedEmb[k] as number))).toBeLessThan(1e-5));
    const expected = softmaxRows(head.forward(expectedEmb, 1, false).logits, 1, 3, temperature);
    probs.forEach((p, j) => expect(Math.abs(p - (expected[j] as number))).toBeLessThan(1e-5));
    expect(Math.max(...expected) - Math.min(...expected)).toBeGreaterThan(0.05);
  });
});
