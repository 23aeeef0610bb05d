import { itemCounts, itemUserColumns, type UserItemMatrix } from '../data/user-item-matrix';
import type { Scorer } from '../eval/scorer';
import { checkHistory, historyOf } from './history';
import { spdInverse } from './spd-inverse';

/**
 * EASE (Steck 2019) on binary interactions X (users × items): P = (XᵀX + λI)⁻¹,
 * B = I − P·diag(1/diag P), score = x·B (B's diagonal is 0). Two exact ways to get there:
 *
 * - `items`: the n × n Gram matrix over the items with at least one training user (the
 *   others have zero rows and columns in XᵀX, so their P is 1/λ on the diagonal and their B
 *   is zero: leaving them out is exact), inverted in Float64; about n³/2 multiply-adds.
 * - `users`: the Woodbury identity, P = (I − Xᵀ(λI + XXᵀ)⁻¹X)/λ, inverts the m × m user
 *   Gram matrix instead and never forms B; scoring a history costs one m × m product and
 *   a pass over X's nonzeros.
 *
 * `auto` (default) takes the smaller side. Both give the same scores (a spec checks it).
 */
export type EaseSolver = 'auto' | 'items' | 'users';

export interface EaseOptions {
  /** L2 weight λ > 0 (tuned on validation; tuneEaseLambda). */
  readonly lambda: number;
  readonly solver?: EaseSolver;
}

export class EaseScorer implements Scorer {
  readonly name = 'ease';

  private constructor(
    private readonly matrix: UserItemMatrix,
    readonly lambda: number,
    /** The solver that ran: `items` or `users`. */
    readonly solver: 'items' | 'users',
    /** Dimension of the inverted matrix. */
    readonly size: number,
    private readonly score: (items: Int32Array) => Float32Array,
  ) {}

  static fit(matrix: UserItemMatrix, options: EaseOptions): EaseScorer {
    const lambda = options?.lambda;
    if (typeof lambda !== 'number' || !(lambda > 0) || !Number.isFinite(lambda)) throw new RangeError(`lambda must be a finite number > 0, got ${String(lambda)}`);
    const solver = options.solver ?? 'auto';
    if (solver !== 'auto' && solver !== 'items' && solver !== 'users') throw new RangeError(`solver must be auto, items or users, got ${String(solver)}`);
    const counts = itemCounts(matrix);
    let nActive = 0;
    for (let i = 0; i < counts.length; i++) if ((counts[i] as number) > 0) nActive++;
    const nUsers = matrix.indptr.length - 1;
    const useItems = solver === 'items' || (solver === 'auto' && nActive <= nUsers);
    if (useItems) {
      const score = itemSpace(matrix, counts, nActive, lambda);
      return new EaseScorer(matrix, lambda, 'items', nActive, score);
    }
    return new EaseScorer(matrix, lambda, 'users', nUsers, userSpace(matrix, lambda));
  }

  scoreUser(userId: string): Float32Array {
    return this.score(historyOf(this.matrix, userId));
  }

  /** Scores for a history of item indices (a fresh array); repeated items count once. */
  scoreHistory(items: Int32Array): Float32Array {
    checkHistory(items, this.matrix.items.size);
    return this.score(dedupe(items));
  }
}

function dedupe(items: Int32Array): Int32Array {
  const sorted = items.slice().sort();
  let n = 0;
  for (let p = 0; p < sorted.length; p++) if (p === 0 || sorted[p] !== sorted[p - 1]) sorted[n++] = sorted[p] as number;
  return sorted.subarray(0, n);
}

/** Item-space EASE: dense B over the active items (Float32, row-major). */
function itemSpace(m: UserItemMatrix, counts: Int32Array, nActive: number, lambda: number): (items: Int32Array) => Float32Array {
  const nItems = m.items.size;
  const active = new Int32Array(nActive); // active position → item
  const pos = new Int32Array(nItems).fill(-1); // item → active position
  for (let i = 0, a = 0; i < nItems; i++) if ((counts[i] as number) > 0) { active[a] = i; pos[i] = a++; }
  const n = nActive;
  const g = new Float64Array(n * n);
  const nUsers = m.indptr.length - 1;
  for (let u = 0; u < nUsers; u++) {
    const from = m.indptr[u] as number;
    const to = m.indptr[u + 1] as number;
    for (let p = from; p < to; p++) {
      const row = (pos[m.indices[p] as number] as number) * n;
      // rows ascend by item, so positions ascend too: fill the lower triangle only
      for (let q = from; q <= p; q++) g[row + (pos[m.indices[q] as number] as number)]++;
    }
  }
  for (let a = 0; a < n; a++) g[a * n + a] += lambda;
  const p = spdInverse(g, n);
  const b = new Float32Array(n * n);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) b[r * n + c] = r === c ? 0 : -(p[r * n + c] as number) / (p[c * n + c] as number);
  }
  return (items) => {
    const acc = new Float64Array(n);
    for (let h = 0; h < items.length; h++) {
      const a = pos[items[h] as number] as number;
      if (a < 0) continue; // an item without training users has a zero row in B
      const row = a * n;
      for (let c = 0; c < n; c++) acc[c] += b[row + c] as number;
    }
    const out = new Float32Array(nItems);
    for (let a = 0; a < n; a++) out[active[a] as number] = acc[a] as number;
    return out;
  };
}

/**
 * User-space EASE by Woodbury. With K = (λI + XXᵀ)⁻¹, q_j = 1 − c_jᵀKc_j (c_j: item j's
 * column of X) is λ·P_jj, and for a history x, t = (K·Xxᵀ)ᵀX gives x·P = (x − t)/λ, so
 * score_j = x_j − (x_j − t_j)/q_j.
 */
function userSpace(m: UserItemMatrix, lambda: number): (items: Int32Array) => Float32Array {
  const nItems = m.items.size;
  const nUsers = m.indptr.length - 1;
  const cols = itemUserColumns(m);
  const k = new Float64Array(nUsers * nUsers); // XXᵀ: items each pair of users shares
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
    const from = cols.indptr[j] as number;
    const to = cols.indptr[j + 1] as number;
    let s = 0;
    for (let p = from; p < to; p++) {
      const row = (cols.indices[p] as number) * nUsers;
      for (let r = from; r < to; r++) s += kInv[row + (cols.indices[r] as number)] as number;
    }
    q[j] = 1 - s;
  }
  return (items) => {
    const g = new Float64Array(nUsers); // X·xᵀ: how many history items each training user has
    for (let h = 0; h < items.length; h++) {
      const j = items[h] as number;
      for (let p = cols.indptr[j] as number; p < (cols.indptr[j + 1] as number); p++) g[cols.indices[p] as number]++;
    }
    const t = new Float64Array(nItems);
    for (let u = 0; u < nUsers; u++) {
      const row = u * nUsers;
      let w = 0; // (K·g)_u; K is symmetric, so its row u serves
      for (let v = 0; v < nUsers; v++) {
        const gv = g[v] as number;
        if (gv !== 0) w += (kInv[row + v] as number) * gv;
      }
      if (w === 0) continue;
      for (let p = m.indptr[u] as number; p < (m.indptr[u + 1] as number); p++) t[m.indices[p] as number] += w;
    }
    const out = new Float32Array(nItems);
    for (let j = 0; j < nItems; j++) out[j] = (t[j] as number) / (q[j] as number); // x_j = 0
    for (let h = 0; h < items.length; h++) {
      const j = items[h] as number;
      out[j] = 1 - (1 - (t[j] as number)) / (q[j] as number);
    }
    return out;
  };
}
