/**
 * The exemplar vote in TypeScript: the reference the fused graph (fuse-exemplars.ts) is
 * verified against, and what the trainer's own validation metrics use. Exemplars are stored
 * as float32 because that is what the graph holds; similarities are summed in float64.
 */
import type { ExemplarOptions } from '../train/exemplar-options';

export interface ExemplarSet {
  readonly count: number;
  readonly dim: number;
  readonly classes: number;
  /** Row-major [count×dim], every row L2-normalised. */
  readonly embeddings: Float32Array;
  /** Class index of each exemplar row. */
  readonly labels: Int32Array;
}

export interface ExemplarRow {
  readonly text: string;
  readonly label: number;
}

/**
 * Indices of the rows that become exemplars: identical (text, label) pairs once, or a
 * repeated text would vote k times for itself. A text with two labels keeps both: the
 * data is ambiguous there and the vote should say so.
 */
export function distinctExemplarRows(rows: readonly ExemplarRow[]): number[] {
  const seen = new Set<string>();
  const keep: number[] = [];
  rows.forEach((r, i) => {
    const key = `${r.label}\u0000${r.text}`;
    if (seen.has(key)) return;
    seen.add(key);
    keep.push(i);
  });
  return keep;
}

/** Exemplars from `rows` (indices into X [·×dim]); rows are L2-normalised so the vote is cosine. */
export function buildExemplarSet(X: Float64Array | Float32Array, dim: number, labels: readonly number[], rows: readonly number[], classes: number): ExemplarSet {
  const embeddings = new Float32Array(rows.length * dim);
  const out = new Int32Array(rows.length);
  rows.forEach((row, i) => {
    const label = labels[row] as number;
    if (!(Number.isInteger(label) && label >= 0 && label < classes)) throw new RangeError(`exemplar row ${row}: label index ${label} is not in [0, ${classes})`);
    const norm = Math.sqrt(sumSquares(X, row * dim, dim));
    if (!(norm > 0)) throw new RangeError(`exemplar row ${row} has a zero embedding`);
    for (let d = 0; d < dim; d++) embeddings[i * dim + d] = (X[row * dim + d] as number) / norm;
    out[i] = label;
  });
  return { count: rows.length, dim, classes, embeddings, labels: out };
}

function sumSquares(x: ArrayLike<number>, offset: number, n: number): number {
  let s = 0;
  for (let d = 0; d < n; d++) s += (x[offset + d] as number) ** 2;
  return s;
}

export interface ExemplarVote {
  /** Class probabilities of the vote, row-major [n×classes]. */
  readonly probabilities: Float64Array;
  /**
   * Per query: similarity of the k-th neighbour minus that of the (k+1)-th (Infinity when
   * k = count). Below float32 rounding the graph may pick the other neighbour.
   */
  readonly boundaryGap: Float64Array;
}

/**
 * knn = Σ over the top-k exemplars by cosine of softmax(sim / temperature) · onehot(label).
 * Ties rank the lower exemplar index first, as ONNX TopK does.
 */
export function exemplarVote(set: ExemplarSet, Q: Float64Array | Float32Array, n: number, o: ExemplarOptions): ExemplarVote {
  const { count, dim, classes, embeddings } = set;
  if (o.k > count) throw new RangeError(`exemplars.k (${o.k}) exceeds the ${count} exemplars`);
  if (Q.length !== n * dim) throw new RangeError(`queries hold ${Q.length} numbers, expected ${n}×${dim}`);
  const probabilities = new Float64Array(n * classes);
  const boundaryGap = new Float64Array(n);
  const sims = new Float64Array(count);
  const top = new Int32Array(o.k + 1);
  for (let i = 0; i < n; i++) {
    const qNorm = Math.sqrt(sumSquares(Q, i * dim, dim)) || 1;
    for (let e = 0; e < count; e++) {
      let dot = 0;
      for (let d = 0; d < dim; d++) dot += (Q[i * dim + d] as number) * (embeddings[e * dim + d] as number);
      sims[e] = dot / qNorm;
    }
    const kept = topIndices(sims, Math.min(o.k + 1, count), top);
    const k = o.k;
    boundaryGap[i] = kept > k ? (sims[top[k - 1] as number] as number) - (sims[top[k] as number] as number) : Infinity;
    const best = sims[top[0] as number] as number;
    let z = 0;
    for (let j = 0; j < k; j++) z += Math.exp(((sims[top[j] as number] as number) - best) / o.temperature);
    for (let j = 0; j < k; j++) {
      const e = top[j] as number;
      const c = set.labels[e] as number;
      probabilities[i * classes + c] = (probabilities[i * classes + c] as number) + Math.exp(((sims[e] as number) - best) / o.temperature) / z;
    }
  }
  return { probabilities, boundaryGap };
}

/** The m largest of xs into out[0..m), descending, lower index first on ties; returns m. */
function topIndices(xs: Float64Array, m: number, out: Int32Array): number {
  let size = 0;
  for (let e = 0; e < xs.length; e++) {
    const v = xs[e] as number;
    if (size === m && v <= (xs[out[m - 1] as number] as number)) continue;
    let j = size < m ? size++ : m - 1;
    while (j > 0 && v > (xs[out[j - 1] as number] as number)) {
      out[j] = out[j - 1] as number;
      j--;
    }
    out[j] = e;
  }
  return size;
}

/** p = weight·head + (1 − weight)·vote, elementwise over [n×classes]. */
export function blendWithVote(head: Float64Array, vote: Float64Array, weight: number): Float64Array {
  if (head.length !== vote.length) throw new RangeError(`head gives ${head.length} probabilities, the vote ${vote.length}`);
  return head.map((p, i) => weight * p + (1 - weight) * (vote[i] as number));
}
