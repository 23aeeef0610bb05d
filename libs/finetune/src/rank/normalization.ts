/** Per-feature z-scoring fitted on training rows; stored in the model card and baked into the ONNX graph. */
export interface FeatureNormalization {
  readonly mean: readonly number[];
  /** Standard deviations, 1 where a feature is constant (it then only shifts to 0). */
  readonly std: readonly number[];
}

export function featureNormalization(X: ArrayLike<number>, n: number, names: readonly string[]): FeatureNormalization {
  const d = names.length;
  const mean = new Array<number>(d).fill(0);
  const sq = new Array<number>(d).fill(0);
  for (let r = 0; r < n; r++) for (let j = 0; j < d; j++) mean[j] = (mean[j] as number) + (X[r * d + j] as number);
  for (let j = 0; j < d; j++) mean[j] = n ? (mean[j] as number) / n : 0;
  for (let r = 0; r < n; r++) for (let j = 0; j < d; j++) sq[j] = (sq[j] as number) + ((X[r * d + j] as number) - (mean[j] as number)) ** 2;
  const std = sq.map((s) => (n > 1 && s / (n - 1) > 1e-12 ? Math.sqrt(s / (n - 1)) : 1));
  return { mean, std };
}

export function normalizeRows(X: ArrayLike<number>, n: number, norm: FeatureNormalization): Float64Array {
  const d = norm.mean.length;
  const out = new Float64Array(n * d);
  for (let r = 0; r < n; r++) for (let j = 0; j < d; j++) out[r * d + j] = ((X[r * d + j] as number) - (norm.mean[j] as number)) / (norm.std[j] as number);
  return out;
}
