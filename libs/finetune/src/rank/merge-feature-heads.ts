import type { HeadWeights } from '../heads/head';
import type { FeatureHead } from './train-feature-head';

/**
 * One head that outputs the mean of several heads' scores, so an ensemble is served as one
 * graph: MLPs stack their hidden units (W1 rows, b1) and scale the output weights by 1/M;
 * linear heads average their weights. Every head must read the same features with the same
 * normalisation (train them with `normalization` fixed).
 */
export function mergeFeatureHeads(heads: readonly FeatureHead[]): FeatureHead {
  const first = heads[0];
  if (!first) throw new RangeError('heads must not be empty');
  if (heads.length === 1) return first;
  const key = (h: FeatureHead) => JSON.stringify([h.featureNames, h.normalization.mean, h.normalization.std, h.weights.kind]);
  heads.forEach((h, i) => {
    if (key(h) !== key(first)) throw new RangeError(`heads[${i}] differs from heads[0] in features, normalisation or kind`);
  });
  const m = heads.length;
  const t = (h: FeatureHead, name: string) => {
    const v = h.weights.tensors[name];
    if (!v) throw new RangeError(`head weights lack tensor ${name}`);
    return v;
  };
  const d = first.featureNames.length;
  let weights: HeadWeights;
  if (first.weights.kind === 'linear') {
    const W = new Array<number>(d).fill(0);
    let b = 0;
    for (const h of heads) {
      t(h, 'W').data.forEach((x, j) => (W[j] = (W[j] as number) + x / m));
      b += (t(h, 'b').data[0] as number) / m;
    }
    weights = { kind: 'linear', inputDim: d, outputDim: 1, tensors: { W: { shape: [1, d], data: W }, b: { shape: [1], data: [b] } } };
  } else {
    const W1: number[] = [];
    const b1: number[] = [];
    const W2: number[] = [];
    let b2 = 0;
    for (const h of heads) {
      W1.push(...t(h, 'W1').data);
      b1.push(...t(h, 'b1').data);
      W2.push(...t(h, 'W2').data.map((x) => x / m));
      b2 += (t(h, 'b2').data[0] as number) / m;
    }
    weights = {
      kind: 'mlp', inputDim: d, outputDim: 1, hiddenDim: b1.length,
      tensors: { W1: { shape: [b1.length, d], data: W1 }, b1: { shape: [b1.length], data: b1 }, W2: { shape: [1, b1.length], data: W2 }, b2: { shape: [1], data: [b2] } },
    };
  }
  return { featureNames: first.featureNames, normalization: first.normalization, weights };
}
