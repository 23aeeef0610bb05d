import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { headWeights } from '../heads/head';
import { LinearHead } from '../heads/linear-head';
import { softmaxRows } from '../math/linear-algebra';
import { createRng } from '../math/random';
import { buildSyntheticEncoder, syntheticMeanEmbedding, type SyntheticEncoder } from '../testing';
import { parseExemplarSpec, validateExemplarOptions, type ExemplarOptions } from '../train/exemplar-options';
import { blendWithVote, buildExemplarSet, distinctExemplarRows, exemplarVote, type ExemplarSet } from './exemplar-vote';
import { EMBEDDING_OUTPUT, fuseHeadIntoEncoder, PROBABILITIES_OUTPUT } from './fuse-onnx';

const HIDDEN = 6;
const CLASSES = 3;
const dir = mkdtempSync(join(tmpdir(), 'fuse-exemplars-'));
/** Two rows of one batch; the second ends in padding the mean must skip. */
const BATCH = { ids: [[3, 7, 1, 12], [5, 2, 9, 4]], mask: [[1, 1, 1, 1], [1, 1, 1, 0]] };

async function runBatch(path: string): Promise<{ probs: Float32Array; emb: Float32Array }> {
  const t = (rows: number[][]) => new ort.Tensor('int64', BigInt64Array.from(rows.flat().map(BigInt)), [rows.length, (rows[0] as number[]).length]);
  const s = await ort.InferenceSession.create(path);
  try {
    const out = await s.run({ input_ids: t(BATCH.ids), attention_mask: t(BATCH.mask), token_type_ids: t(BATCH.ids.map((r) => r.map(() => 0))) });
    return { probs: (out[PROBABILITIES_OUTPUT] as ort.Tensor).data as Float32Array, emb: (out[EMBEDDING_OUTPUT] as ort.Tensor).data as Float32Array };
  } finally {
    await s.release();
  }
}

/** Exemplars around the batch's own embeddings (so the top-k is not arbitrary) plus random ones. */
function exemplarsNear(enc: SyntheticEncoder, seed: number, labelOfNear: (row: number) => number): ExemplarSet {
  const rng = createRng(seed);
  const rows: number[][] = [];
  const labels: number[] = [];
  BATCH.ids.forEach((ids, b) => {
    const e = syntheticMeanEmbedding(enc, HIDDEN, ids, BATCH.mask[b] as number[]);
    for (let j = 0; j < 4; j++) {
      rows.push(Array.from(e, (v) => v + (rng() - 0.5) * 0.3 * (j + 1)));
      labels.push(j === 3 ? (labelOfNear(b) + 1) % CLASSES : labelOfNear(b));
    }
  });
  for (let j = 0; j < 8; j++) {
    rows.push(Array.from({ length: HIDDEN }, () => rng() * 2 - 1));
    labels.push(j % CLASSES);
  }
  return buildExemplarSet(Float64Array.from(rows.flat()), HIDDEN, labels, rows.map((_, i) => i), CLASSES);
}

function linearHead(bias: readonly number[], scale: number): LinearHead {
  const head = new LinearHead(HIDDEN, CLASSES, createRng(4));
  for (const p of head.params) p.data.forEach((v, i) => { p.data[i] = p.name === 'b' ? (bias[i] as number) : v * scale; });
  return head;
}

async function fuse(enc: SyntheticEncoder, opset: number, head: LinearHead, normalize: boolean, exemplars?: { set: ExemplarSet; options: ExemplarOptions }): Promise<string> {
  const encoderPath = join(dir, `enc-${opset}.onnx`);
  writeFileSync(encoderPath, enc.bytes);
  const outPath = join(dir, `fused-${opset}-${normalize}-${exemplars ? 'x' : 'h'}.onnx`);
  await fuseHeadIntoEncoder({ encoderPath, outPath, head: headWeights(head), pooling: 'mean', normalize, temperature: 1.3, multilabel: false,
    ...(exemplars ? { exemplars } : {}) });
  return outPath;
}

describe.each([[11, true], [13, true], [18, false]] as const)('exemplar vote fused into an opset-%i graph (normalize=%s)', (opset, normalize) => {
  it('serves w·head + (1 − w)·knn, equal to the TypeScript reference within 1e-4 on a batch of two', async () => {
    const enc = buildSyntheticEncoder({ opset, hidden: HIDDEN, seed: opset });
    const head = linearHead([0.3, -0.2, 0.1], 3);
    const options = { k: 5, temperature: 0.05, weight: 0.4 };
    const set = exemplarsNear(enc, opset, (b) => b);
    const { probs, emb } = await runBatch(await fuse(enc, opset, head, normalize, { set, options }));

    const embRef = Float64Array.from(BATCH.ids.flatMap((ids, b) => Array.from(syntheticMeanEmbedding(enc, HIDDEN, ids, BATCH.mask[b] as number[]))));
    // Without normalisation the graph's embedding is the raw mean: the vote must normalise it itself.
    if (normalize) emb.forEach((v, i) => expect(Math.abs(v - (embRef[i] as number))).toBeLessThan(1e-5));
    const headProbs = softmaxRows(head.forward(Float64Array.from(emb), 2).logits, 2, CLASSES, 1.3);
    const vote = exemplarVote(set, emb, 2, options);
    const expected = blendWithVote(headProbs, vote.probabilities, options.weight);
    expect(Math.min(...vote.boundaryGap)).toBeGreaterThan(1e-4);
    probs.forEach((p, j) => expect(Math.abs(p - (expected[j] as number))).toBeLessThan(1e-4));
    // The vote is not uniform, so a dropped or mis-wired branch would show.
    expect(Math.max(...vote.probabilities)).toBeGreaterThan(0.6);
    for (let b = 0; b < 2; b++) expect(probs.slice(b * CLASSES, (b + 1) * CLASSES).reduce((a, x) => a + x, 0)).toBeCloseTo(1, 5);
  });
});

describe('the exemplar branch is live', () => {
  it('turns the argmax from the head\'s class to the exemplars\' class', async () => {
    const enc = buildSyntheticEncoder({ opset: 13, hidden: HIDDEN, seed: 2 });
    // The head prefers class 0 for every text (bias only); every near exemplar says class 2.
    const head = linearHead([2, 0, 0], 0);
    const set = exemplarsNear(enc, 9, () => 2);
    const headOnly = await runBatch(await fuse(enc, 13, head, true));
    const blended = await runBatch(await fuse(enc, 13, head, true, { set, options: { k: 3, temperature: 0.02, weight: 0.5 } }));
    const argmax = (p: Float32Array, b: number) => { const row = Array.from(p.slice(b * CLASSES, (b + 1) * CLASSES)); return row.indexOf(Math.max(...row)); };
    expect([argmax(headOnly.probs, 0), argmax(headOnly.probs, 1)]).toEqual([0, 0]);
    expect([argmax(blended.probs, 0), argmax(blended.probs, 1)]).toEqual([2, 2]);
  });
});

describe('exemplar options and refusals', () => {
  it.each([
    [{ k: 0, temperature: 0.02, weight: 0.5 }, /^exemplars\.k must be an integer in \[1, 1000\], got 0$/],
    [{ k: 2.5, temperature: 0.02, weight: 0.5 }, /^exemplars\.k must be an integer/],
    [{ k: 10, temperature: 0, weight: 0.5 }, /^exemplars\.temperature must be in \(0, 10\], got 0$/],
    [{ k: 10, temperature: Number.NaN, weight: 0.5 }, /^exemplars\.temperature/],
    [{ k: 10, temperature: 0.02, weight: 1 }, /^exemplars\.weight must be in \[0, 1\)/],
    [{ k: 10, temperature: 0.02, weight: -0.1 }, /^exemplars\.weight/],
  ])('rejects %j with a RangeError naming the field', (o, message) => {
    expect(() => validateExemplarOptions(o)).toThrow(RangeError);
    expect(() => validateExemplarOptions(o)).toThrow(message);
  });

  it('parses the CLI spec, defaults what is left out, and names the bad part', () => {
    expect(parseExemplarSpec('k=10,t=0.02,w=0.5')).toEqual({ k: 10, temperature: 0.02, weight: 0.5 });
    expect(parseExemplarSpec('k=3')).toEqual({ k: 3, temperature: 0.02, weight: 0.5 });
    expect(parseExemplarSpec(' weight = 0.7 , temperature=0.1')).toEqual({ k: 10, temperature: 0.1, weight: 0.7 });
    expect(parseExemplarSpec('')).toEqual({ k: 10, temperature: 0.02, weight: 0.5 });
    expect(() => parseExemplarSpec('k=10,x=1')).toThrow(/"x=1" is not key=value with key k, t/);
    expect(() => parseExemplarSpec('k')).toThrow(/"k" is not key=value/);
    expect(() => parseExemplarSpec('t=abc')).toThrow(/exemplars\.temperature must be a number, got "abc"/);
    expect(() => parseExemplarSpec('w=2')).toThrow(/exemplars\.weight must be in \[0, 1\)/);
  });

  it('refuses multi-label heads, k above the exemplar count and a set of another width', async () => {
    const enc = buildSyntheticEncoder({ opset: 13, hidden: HIDDEN, seed: 3 });
    const encoderPath = join(dir, 'enc-refuse.onnx');
    writeFileSync(encoderPath, enc.bytes);
    const set = exemplarsNear(enc, 1, (b) => b);
    const base = { encoderPath, outPath: join(dir, 'never.onnx'), head: headWeights(linearHead([0, 0, 0], 1)), pooling: 'mean' as const, normalize: true, temperature: 1 };
    const options = { k: 3, temperature: 0.02, weight: 0.5 };
    await expect(fuseHeadIntoEncoder({ ...base, multilabel: true, exemplars: { set, options } })).rejects.toThrow(/multi-label heads are not supported/);
    await expect(fuseHeadIntoEncoder({ ...base, multilabel: false, exemplars: { set, options: { ...options, k: set.count + 1 } } }))
      .rejects.toThrow(`exemplars.k (${set.count + 1}) exceeds the ${set.count} exemplars`);
    const narrow = buildExemplarSet(Float64Array.from([1, 0, 0, 1]), 2, [0, 1], [0, 1], CLASSES);
    await expect(fuseHeadIntoEncoder({ ...base, multilabel: false, exemplars: { set: narrow, options: { ...options, k: 1 } } })).rejects.toThrow(/exemplars are 2 wide, but the embedding is 6/);
  });
});

describe('exemplarVote reference', () => {
  it('keeps one row per (text, label), ranks ties by lower index like TopK, and weights by softmax(sim / t)', () => {
    expect(distinctExemplarRows([{ text: 'a', label: 0 }, { text: 'a', label: 0 }, { text: 'a', label: 1 }, { text: 'b', label: 0 }])).toEqual([0, 2, 3]);
    // Rows 0 and 1 are identical (cosine 1 to the query); row 2 is orthogonal.
    const set = buildExemplarSet(Float64Array.from([2, 0, 1, 0, 0, 3]), 2, [1, 0, 0], [0, 1, 2], 2);
    const top1 = exemplarVote(set, Float64Array.from([5, 0]), 1, { k: 1, temperature: 0.5, weight: 0.5 });
    expect(Array.from(top1.probabilities)).toEqual([0, 1]);
    expect(top1.boundaryGap[0]).toBe(0);
    const top3 = exemplarVote(set, Float64Array.from([5, 0]), 1, { k: 3, temperature: 0.5, weight: 0.5 });
    const e = Math.exp(-1 / 0.5);
    expect(top3.probabilities[1]).toBeCloseTo(1 / (2 + e), 12);
    expect(top3.probabilities[0]).toBeCloseTo((1 + e) / (2 + e), 12);
    expect(top3.boundaryGap[0]).toBe(Infinity);
  });
});
