import { itemCounts, itemUserColumns, type UserItemMatrix } from '../data/user-item-matrix';
import type { Scorer } from '../eval/scorer';
import { topK } from '../eval/top-k';
import { checkHistory, historyOf } from './history';

export const DEFAULT_KNN_NEIGHBOURS = 100;

export interface ItemKnnOptions {
  /** Neighbours kept per item. Default 100. */
  readonly k?: number;
}

/**
 * Item-based kNN on binary interactions: cosine(i, j) = |Uᵢ ∩ Uⱼ| / √(|Uᵢ|·|Uⱼ|) over the
 * training users of each item; every item keeps its k most similar items (ties to the lower
 * index), and a user's score for j is the sum of j's similarity to each history item that
 * has j among its k neighbours (Deshpande & Karypis' item-based top-N).
 */
export class ItemKnnScorer implements Scorer {
  readonly name = 'itemknn';

  private constructor(
    private readonly matrix: UserItemMatrix,
    /** Neighbour lists in CSR form: item i's are nbrIdx[nbrPtr[i] .. nbrPtr[i+1]), best first. */
    private readonly nbrPtr: Int32Array,
    private readonly nbrIdx: Int32Array,
    private readonly nbrSim: Float32Array,
  ) {}

  static fit(matrix: UserItemMatrix, options: ItemKnnOptions = {}): ItemKnnScorer {
    const k = options.k ?? DEFAULT_KNN_NEIGHBOURS;
    if (!(Number.isInteger(k) && k >= 1)) throw new RangeError(`k must be a whole number >= 1, got ${String(k)}`);
    const nItems = matrix.items.size;
    const counts = itemCounts(matrix);
    const cols = itemUserColumns(matrix);
    const co = new Float64Array(nItems); // co-occurrence counts with the current item
    const touched = new Int32Array(nItems);
    const sims = new Float32Array(nItems);
    const nbrPtr = new Int32Array(nItems + 1);
    let nbrIdx: Int32Array = new Int32Array(Math.min(nItems * k, 1 << 20));
    let nbrSim: Float32Array = new Float32Array(nbrIdx.length);
    let filled = 0;
    for (let i = 0; i < nItems; i++) {
      let nTouched = 0;
      for (let p = cols.indptr[i] as number; p < (cols.indptr[i + 1] as number); p++) {
        const u = cols.indices[p] as number;
        for (let q = matrix.indptr[u] as number; q < (matrix.indptr[u + 1] as number); q++) {
          const j = matrix.indices[q] as number;
          if (j === i) continue;
          if (co[j] === 0) touched[nTouched++] = j;
          co[j]++;
        }
      }
      const cand = touched.subarray(0, nTouched).sort(); // ascending, so equal similarities go to the lower index
      const ni = counts[i] as number;
      for (let c = 0; c < nTouched; c++) {
        const j = cand[c] as number;
        sims[c] = (co[j] as number) / Math.sqrt(ni * (counts[j] as number));
        co[j] = 0;
      }
      const best = topK(sims.subarray(0, nTouched), Math.min(k, nTouched));
      if (filled + best.length > nbrIdx.length) {
        const size = Math.max(nbrIdx.length * 2, filled + best.length);
        nbrIdx = grow(nbrIdx, size);
        nbrSim = growF(nbrSim, size);
      }
      for (let b = 0; b < best.length; b++) {
        nbrIdx[filled] = cand[best[b] as number] as number;
        nbrSim[filled] = sims[best[b] as number] as number;
        filled++;
      }
      nbrPtr[i + 1] = filled;
    }
    return new ItemKnnScorer(matrix, nbrPtr, nbrIdx.slice(0, filled), nbrSim.slice(0, filled));
  }

  scoreUser(userId: string): Float32Array {
    return this.scoreHistory(historyOf(this.matrix, userId));
  }

  /** Scores for a history of item indices (a fresh array). */
  scoreHistory(items: Int32Array): Float32Array {
    checkHistory(items, this.matrix.items.size);
    const out = new Float32Array(this.matrix.items.size);
    for (let h = 0; h < items.length; h++) {
      const i = items[h] as number;
      for (let p = this.nbrPtr[i] as number; p < (this.nbrPtr[i + 1] as number); p++) out[this.nbrIdx[p] as number] += this.nbrSim[p] as number;
    }
    return out;
  }

  /** Item `item`'s kept neighbours, most similar first (views into the model). */
  neighbours(item: number): { readonly items: Int32Array; readonly similarities: Float32Array } {
    if (!(Number.isInteger(item) && item >= 0 && item < this.matrix.items.size)) throw new RangeError(`item must be an index in 0..${this.matrix.items.size - 1}, got ${item}`);
    const from = this.nbrPtr[item] as number;
    const to = this.nbrPtr[item + 1] as number;
    return { items: this.nbrIdx.subarray(from, to), similarities: this.nbrSim.subarray(from, to) };
  }
}

function grow(a: Int32Array, size: number): Int32Array {
  const b = new Int32Array(size);
  b.set(a);
  return b;
}

function growF(a: Float32Array, size: number): Float32Array {
  const b = new Float32Array(size);
  b.set(a);
  return b;
}
