import { erf } from '../math/linear-algebra';
import type { FeatureHead } from './train-feature-head';

/** A FeatureHead's tensors unpacked once for fast scoring. */
export interface CompiledFeatureHead {
  readonly dim: number;
  readonly hidden: number;
  readonly mean: Float64Array;
  readonly invStd: Float64Array;
  /** Linear: W [dim], b. MLP: W1 [hidden × dim], b1, W2 [hidden], b2. */
  readonly W1: Float64Array;
  readonly b1: Float64Array;
  readonly W2: Float64Array;
  readonly b2: number;
}

export function compileFeatureHead(h: FeatureHead): CompiledFeatureHead {
  const w = h.weights;
  if (w.outputDim !== 1) throw new RangeError(`a feature head has one output, got ${w.outputDim}`);
  const dim = h.featureNames.length;
  if (w.inputDim !== dim || h.normalization.mean.length !== dim || h.normalization.std.length !== dim) {
    throw new RangeError(`head input ${w.inputDim}, normalisation ${h.normalization.mean.length} and ${dim} feature names disagree`);
  }
  const t = (name: string) => {
    const v = w.tensors[name];
    if (!v) throw new RangeError(`head weights lack tensor ${name}`);
    return Float64Array.from(v.data);
  };
  const mean = Float64Array.from(h.normalization.mean);
  const invStd = Float64Array.from(h.normalization.std, (s) => 1 / s);
  if (w.kind === 'linear') return { dim, hidden: 0, mean, invStd, W1: t('W'), b1: new Float64Array(0), W2: new Float64Array(0), b2: t('b')[0] as number };
  const b1 = t('b1');
  return { dim, hidden: b1.length, mean, invStd, W1: t('W1'), b1, W2: t('W2'), b2: t('b2')[0] as number };
}

/**
 * Scores feature rows [n × dim] exactly as the exported ONNX graph does (z-score, head),
 * in TypeScript: the offline evaluation ranks whole catalogs this way, and a spec checks
 * the served graph against it.
 */
export function scoreFeatureRows(head: CompiledFeatureHead, X: ArrayLike<number>, n: number, out = new Float32Array(n)): Float32Array {
  const { dim, hidden, mean, invStd, W1, b1, W2, b2 } = head;
  if (X.length < n * dim) throw new RangeError(`X has ${X.length} values, need n × dim = ${n * dim}`);
  const z = new Float64Array(dim);
  for (let r = 0; r < n; r++) {
    const base = r * dim;
    for (let j = 0; j < dim; j++) z[j] = ((X[base + j] as number) - (mean[j] as number)) * (invStd[j] as number);
    let s = b2;
    if (hidden === 0) {
      for (let j = 0; j < dim; j++) s += (W1[j] as number) * (z[j] as number);
    } else {
      for (let h = 0; h < hidden; h++) {
        let a = b1[h] as number;
        const row = h * dim;
        for (let j = 0; j < dim; j++) a += (W1[row + j] as number) * (z[j] as number);
        s += (W2[h] as number) * 0.5 * a * (1 + erf(a / Math.SQRT2));
      }
    }
    out[r] = s;
  }
  return out;
}
