import type { Interaction } from '../data/catalog-item';
import type { IdIndex } from '../data/id-index';
import { buildUserItemMatrix, itemUserColumns, type UserItemMatrix } from '../data/user-item-matrix';
import { spdInverse } from '../baselines/spd-inverse';

/**
 * EASE (Steck 2019) fitted by the Woodbury identity on the user side, like the baseline's
 * `users` solver, but scoring a *weighted* history: score = x·B for a real-valued x, so a
 * user's recent likes can count more than old ones. With K = (λI + XXᵀ)⁻¹ and
 * q_j = 1 − c_jᵀKc_j (c_j: item j's column of X): t = (K·Xx)ᵀX, x·P = (x − t)/λ and
 * score_j = x_j − (x_j − t_j)/q_j. Binary x gives the baseline's scores exactly.
 */
export class WeightedEase {
  private constructor(
    private readonly m: UserItemMatrix,
    private readonly cols: ReturnType<typeof itemUserColumns>,
    private readonly kInv: Float64Array,
    private readonly q: Float64Array,
    readonly lambda: number,
  ) {}

  /** Fits on the binary matrix of `interactions` (all counted as positives) over `items`. */
  static fit(interactions: readonly Interaction[], items: IdIndex, lambda: number): WeightedEase {
    if (!(lambda > 0 && Number.isFinite(lambda))) throw new RangeError(`lambda must be a finite number > 0, got ${String(lambda)}`);
    const m = buildUserItemMatrix(interactions, items).matrix;
    const nItems = items.size;
    const nUsers = m.indptr.length - 1;
    const cols = itemUserColumns(m);
    const k = new Float64Array(nUsers * nUsers);
    for (let j = 0; j < nItems; j++) {
      const from = cols.indptr[j] as number;
      const to = cols.indptr[j + 1] as number;
      for (let p = from; p < to; p++) {
        const row = (cols.indices[p] as number) * nUsers;
        for (let r = from; r < to; r++) k[row + (cols.indices[r] as number)]++;
      }
    }
    for (let u = 0; u < nUsers; u++) k[u * nUsers + u] += lambda;
    const kInv = spdInverse(k, nUsers);
    const q = new Float64Array(nItems).fill(1);
    for (let j = 0; j < nItems; j++) {
      let s = 0;
      for (let p = cols.indptr[j] as number; p < (cols.indptr[j + 1] as number); p++) {
        const row = (cols.indices[p] as number) * nUsers;
        for (let r = cols.indptr[j] as number; r < (cols.indptr[j + 1] as number); r++) s += kInv[row + (cols.indices[r] as number)] as number;
      }
      q[j] = 1 - s;
    }
    return new WeightedEase(m, cols, kInv, q, lambda);
  }

  /** Items it scores: indices 0..itemCount-1. */
  get itemCount(): number {
    return this.m.items.size;
  }

  /** Scores for history `items` with `weights` (default 1 each; a repeated item adds up). */
  scoreHistory(items: ArrayLike<number>, weights?: ArrayLike<number>): Float32Array {
    const nItems = this.m.items.size;
    const nUsers = this.m.indptr.length - 1;
    const x = new Float64Array(nItems);
    for (let h = 0; h < items.length; h++) {
      const j = items[h] as number;
      if (!(Number.isInteger(j) && j >= 0 && j < nItems)) throw new RangeError(`items[${h}] = ${j} is outside 0..${nItems - 1}`);
      x[j] = (x[j] as number) + (weights ? (weights[h] as number) : 1);
    }
    const g = new Float64Array(nUsers);
    for (let h = 0; h < items.length; h++) {
      const j = items[h] as number;
      const w = weights ? (weights[h] as number) : 1;
      for (let p = this.cols.indptr[j] as number; p < (this.cols.indptr[j + 1] as number); p++) g[this.cols.indices[p] as number] += w;
    }
    const t = new Float64Array(nItems);
    for (let u = 0; u < nUsers; u++) {
      const row = u * nUsers;
      let w = 0;
      for (let v = 0; v < nUsers; v++) {
        const gv = g[v] as number;
        if (gv !== 0) w += (this.kInv[row + v] as number) * gv;
      }
      if (w === 0) continue;
      for (let p = this.m.indptr[u] as number; p < (this.m.indptr[u + 1] as number); p++) t[this.m.indices[p] as number] += w;
    }
    const out = new Float32Array(nItems);
    for (let j = 0; j < nItems; j++) {
      const xj = x[j] as number;
      out[j] = xj - (xj - (t[j] as number)) / (this.q[j] as number);
    }
    return out;
  }
}
