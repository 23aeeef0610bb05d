import { sigmoid, softmaxRows } from '../math/linear-algebra';

/**
 * Weighted softmax cross-entropy: L = Σᵢ w_yᵢ·(−log p_iyᵢ) / Σᵢ w_yᵢ.
 * Returns the loss and dL/dlogits.
 */
export function softmaxCrossEntropy(logits: Float64Array, n: number, c: number, targets: Int32Array, classWeights?: Float64Array): { loss: number; grad: Float64Array } {
  const P = softmaxRows(logits, n, c);
  const grad = new Float64Array(n * c);
  let loss = 0;
  let wsum = 0;
  for (let i = 0; i < n; i++) wsum += classWeights ? (classWeights[targets[i] as number] as number) : 1;
  for (let i = 0; i < n; i++) {
    const y = targets[i] as number;
    const w = (classWeights ? (classWeights[y] as number) : 1) / wsum;
    loss -= w * Math.log(Math.max(P[i * c + y] as number, 1e-12));
    for (let j = 0; j < c; j++) grad[i * c + j] = w * ((P[i * c + j] as number) - (j === y ? 1 : 0));
  }
  return { loss, grad };
}

/** Mean binary cross-entropy over every (row, label) for multi-label heads. */
export function sigmoidBinaryCrossEntropy(logits: Float64Array, n: number, c: number, targets: Float64Array, classWeights?: Float64Array): { loss: number; grad: Float64Array } {
  const grad = new Float64Array(n * c);
  let loss = 0;
  const norm = n * c;
  for (let i = 0; i < n * c; i++) {
    const w = classWeights ? (classWeights[i % c] as number) : 1;
    const z = logits[i] as number;
    const y = targets[i] as number;
    // log(1+e^z) − y·z, written stably.
    loss += (w * (Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z))))) / norm;
    grad[i] = (w * (sigmoid(z) - y)) / norm;
  }
  return { loss, grad };
}

/** Inverse-frequency weights normalised to mean 1; absent classes get weight 0. */
export function balancedClassWeights(targets: Int32Array, c: number): Float64Array {
  const counts = new Float64Array(c);
  for (const t of targets) counts[t] = (counts[t] as number) + 1;
  const present = counts.filter((x) => x > 0).length;
  const w = new Float64Array(c);
  for (let j = 0; j < c; j++) w[j] = (counts[j] as number) > 0 ? targets.length / (present * (counts[j] as number)) : 0;
  return w;
}
