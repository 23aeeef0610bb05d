import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { createRng, gaussian } from '../math/random';
import { featureHeadGraph, writeFeatureModelDir } from './export-feature-head';
import { groupAuc, groupNdcg } from './group-auc';
import { mergeFeatureHeads } from './merge-feature-heads';
import { featureNormalization } from './normalization';
import { compileFeatureHead, scoreFeatureRows } from './score-feature-rows';
import { trainFeatureHead, type FeatureRows } from './train-feature-head';

const NAMES = ['signal', 'noise', 'scaled', 'constant'];

/**
 * Jest's shared typed-array constructors (tools/jest/node-environment.js) make typed-array
 * loops here far slower than in Node, so these runs are short: minSteps, not the default.
 */
const QUICK = { minSteps: 150, epochs: 6, learningRate: 0.03, hiddenDim: 8 };

/**
 * Groups of rows where a positive has a higher `signal` and a higher `scaled` (on another
 * scale); `noise` says nothing and `constant` never changes (its std must not divide by 0).
 */
function rows(groups: number, perGroup: number, seed: number): FeatureRows {
  const rng = createRng(seed);
  const X: number[] = [];
  const labels: number[] = [];
  const g: number[] = [];
  for (let q = 0; q < groups; q++) {
    for (let r = 0; r < perGroup; r++) {
      const pos = r < 2 ? 1 : 0;
      X.push(gaussian(rng) + 1.5 * pos, gaussian(rng), 1000 + 300 * (gaussian(rng) + pos), 7);
      labels.push(pos);
      g.push(q);
    }
  }
  return { X: Float32Array.from(X), n: labels.length, labels: Uint8Array.from(labels), groups: Int32Array.from(g) };
}

describe('trainFeatureHead', () => {
  const train = rows(120, 10, 1);
  const validation = rows(40, 10, 2);

  it.each(['linear', 'mlp'] as const)('learns a %s pairwise head that ranks positives first on unseen groups', (head) => {
    const r = trainFeatureHead({ featureNames: NAMES, train, validation, options: { ...QUICK, head } });
    expect(r.validationAuc).toBeGreaterThan(0.75); // the best possible here is about 0.9 (d' = 1.8)
    const scores = scoreFeatureRows(compileFeatureHead(r), validation.X, validation.n);
    expect(groupAuc(scores, validation.labels, validation.groups)).toBeCloseTo(r.validationAuc, 5);
    expect(r.normalization.std[3]).toBe(1); // constant feature: shifted, not divided by zero
    expect(r.history[r.bestEpoch - 1]?.validationAuc).toBe(r.validationAuc);
  });

  it('trains with hard negatives (the best-scoring of several) and keeps the epoch of best NDCG@10', () => {
    const r = trainFeatureHead({ featureNames: NAMES, train, validation, options: { ...QUICK, head: 'linear', negativeSamples: 4, selectBy: 'ndcg10' } });
    expect(r.validationNdcg10).toBe(Math.max(...r.history.map((h) => h.validationNdcg10)));
    expect(r.validationAuc).toBeGreaterThan(0.75);
  });

  it('trains listwise (softmax over each group against its positives)', () => {
    const r = trainFeatureHead({ featureNames: NAMES, train, validation, options: { ...QUICK, head: 'linear', loss: 'listwise' } });
    expect(r.validationAuc).toBeGreaterThan(0.75);
    expect(r.history[0]?.trainLoss).toBeGreaterThan(r.history[r.history.length - 1]?.trainLoss as number);
  });

  it('trains pointwise too', () => {
    const r = trainFeatureHead({ featureNames: NAMES, train, validation, options: { ...QUICK, head: 'linear', loss: 'pointwise' } });
    expect(r.validationAuc).toBeGreaterThan(0.75);
  });

  it('rejects bad input naming the field', () => {
    expect(() => trainFeatureHead({ featureNames: NAMES.slice(1), train, validation })).toThrow(/train\.X has/);
    expect(() => trainFeatureHead({ featureNames: NAMES, train: { ...train, labels: train.labels.subarray(1) }, validation })).toThrow(/train\.labels/);
    expect(() => trainFeatureHead({ featureNames: NAMES, train, validation, options: { loss: 'lambdamart' as never } })).toThrow(/loss/);
    const bad = { ...train, X: Float32Array.from(train.X, (x, i) => (i === 5 ? NaN : x)) };
    expect(() => trainFeatureHead({ featureNames: NAMES, train: bad, validation })).toThrow(/train\.X\[5\] is not finite/);
    const onlyPositives = { ...train, labels: new Uint8Array(train.n).fill(1) };
    expect(() => trainFeatureHead({ featureNames: NAMES, train: onlyPositives, validation })).toThrow(/no group with both/);
  });
});

describe('mergeFeatureHeads', () => {
  it.each(['linear', 'mlp'] as const)('merges %s heads into one whose score is the members\' mean', (head) => {
    const train = rows(20, 10, 8);
    const normalization = featureNormalization(train.X, train.n, NAMES);
    const members = [1, 2, 3].map((seed) => trainFeatureHead({ featureNames: NAMES, train, validation: rows(5, 10, 9), normalization,
      options: { ...QUICK, head, seed, minSteps: 20, epochs: 2 } }));
    const merged = mergeFeatureHeads(members);
    const probe = rows(3, 10, 10);
    const mean = members.map((m) => scoreFeatureRows(compileFeatureHead(m), probe.X, probe.n))
      .reduce((acc, s) => acc.map((x, i) => x + (s[i] as number) / 3), new Array<number>(probe.n).fill(0));
    const got = scoreFeatureRows(compileFeatureHead(merged), probe.X, probe.n);
    got.forEach((s, i) => expect(s).toBeCloseTo(mean[i] as number, 4));
    if (head === 'mlp') expect(merged.weights.hiddenDim).toBe(3 * QUICK.hiddenDim);
  });

  it('refuses heads with different normalisations, and an empty list', () => {
    const a = trainFeatureHead({ featureNames: NAMES, train: rows(10, 10, 11), validation: rows(5, 10, 12), options: { ...QUICK, head: 'linear', minSteps: 1, epochs: 1 } });
    const b = trainFeatureHead({ featureNames: NAMES, train: rows(10, 10, 13), validation: rows(5, 10, 12), options: { ...QUICK, head: 'linear', minSteps: 1, epochs: 1 } });
    expect(() => mergeFeatureHeads([a, b])).toThrow(/heads\[1\] differs/);
    expect(() => mergeFeatureHeads([])).toThrow(/must not be empty/);
  });
});

describe('groupAuc', () => {
  it('averages per-group AUC, ties count half, one-label groups are skipped', () => {
    // group 0: perfect; group 1: one inversion of 2 pairs + a tie (0.5·0.5 + 0 ... ) → (1 + 0.5)/2 pairs
    const auc = groupAuc([3, 1, 2, 2, 1, 5], [1, 0, 1, 0, 0, 1], [0, 0, 1, 1, 1, 2]);
    expect(auc).toBeCloseTo((1 + (1 + 0.5) / 2) / 2, 10);
    expect(groupAuc([1, 2], [1, 1], [0, 0])).toBeNaN();
  });

  it('groupNdcg: binary gains, ideal = min(k, positives), groups without a positive skipped', () => {
    // group 0: positive ranked 2nd of 3 → 1/log2(3); group 1: both positives first → 1; group 2: no positive.
    const ndcg = groupNdcg([3, 2, 1, 9, 8, 7, 5], [0, 1, 0, 1, 1, 0, 0], [0, 0, 0, 1, 1, 1, 2], 10);
    expect(ndcg).toBeCloseTo((1 / Math.log2(3) + 1) / 2, 10);
    expect(groupNdcg([1, 2], [1, 0], [0, 0], 1)).toBe(0); // the positive is 2nd, outside k = 1
  });
});

describe('standalone ONNX export', () => {
  it.each(['linear', 'mlp'] as const)('the served %s graph scores as scoreFeatureRows within 1e-5', async (head) => {
    const r = trainFeatureHead({ featureNames: NAMES, train: rows(30, 10, 3), validation: rows(10, 10, 4), options: { ...QUICK, head } });
    const dir = await writeFeatureModelDir({ dir: join(mkdtempSync(join(tmpdir(), 'fhead-')), '1'), head: r, card: { metrics: { auc: r.validationAuc } } });
    const session = await ort.InferenceSession.create(join(dir, 'model.onnx'));
    try {
      const probe = rows(5, 10, 5);
      const out = await session.run({ features: new ort.Tensor('float32', Float32Array.from(probe.X), [probe.n, NAMES.length]) });
      const served = out['score'];
      expect(served?.dims).toEqual([probe.n]);
      const offline = scoreFeatureRows(compileFeatureHead(r), probe.X, probe.n);
      const worst = Math.max(...Array.from(served?.data as Float32Array, (s, i) => Math.abs(s - (offline[i] as number))));
      expect(worst).toBeLessThan(1e-5);
    } finally {
      await session.release();
    }
    const config = JSON.parse(readFileSync(join(dir, 'tuneline.json'), 'utf8'));
    expect(config).toMatchObject({ task: 'ranking', inputName: 'features', outputName: 'score', featureNames: NAMES });
    const card = JSON.parse(readFileSync(join(dir, 'model-card.json'), 'utf8'));
    expect(card.normalization.mean).toHaveLength(4);
    expect(card.metrics.auc).toBe(r.validationAuc);
  });

  it('refuses a head whose shape disagrees with its feature names', () => {
    const r = trainFeatureHead({ featureNames: NAMES, train: rows(10, 10, 6), validation: rows(5, 10, 7), options: { ...QUICK, head: 'linear', minSteps: 1, epochs: 1 } });
    expect(() => featureHeadGraph({ ...r, featureNames: NAMES.slice(0, 3) })).toThrow(/expected 3 → 1/);
  });
});
