import type { EmbeddingMatrix } from '../catalog/item-catalog';

export interface TextNeighboursOptions {
  /** Neighbours kept per item. Default 50. */
  readonly k?: number;
  /** Items remembered (least recently used dropped). Default 20 000. */
  readonly maxCached?: number;
}

/** The catalog's embeddings as TextNeighbours reads them (re-read after every catalog change). */
export interface EmbeddingSource {
  readonly revision: number;
  embeddings(): EmbeddingMatrix;
}

/**
 * Exact item-to-item nearest neighbours in embedding space, computed on first use per item
 * (one pass over the catalog: n × dim multiply-adds, about 4 ms at 9.7k × 384) and
 * memoised until the catalog changes. "More like this one" for each liked item finds the
 * niche items a mean profile blurs away. Past a few hundred thousand items an ANN index
 * (usearch, hnswlib-node) should replace the scan.
 */
export class TextNeighbours {
  private readonly k: number;
  private readonly maxCached: number;
  private memo = new Map<number, { readonly items: Int32Array; readonly similarities: Float32Array }>();
  private revision = -1;

  constructor(private readonly catalog: EmbeddingSource, options: TextNeighboursOptions = {}) {
    this.k = options.k ?? 50;
    this.maxCached = options.maxCached ?? 20_000;
    if (!Number.isInteger(this.k) || this.k < 1) throw new RangeError(`k must be a positive integer, got ${String(this.k)}`);
    if (!Number.isInteger(this.maxCached) || this.maxCached < 1) throw new RangeError(`maxCached must be a positive integer, got ${String(this.maxCached)}`);
  }

  /** `item`'s k most similar other items, most similar first (ties to the lower index). */
  of(item: number): { readonly items: Int32Array; readonly similarities: Float32Array } {
    if (this.catalog.revision !== this.revision) {
      this.memo = new Map();
      this.revision = this.catalog.revision;
    }
    const hit = this.memo.get(item);
    if (hit) {
      this.memo.delete(item);
      this.memo.set(item, hit);
      return hit;
    }
    const m = this.catalog.embeddings();
    if (!(Number.isInteger(item) && item >= 0 && item < m.rows)) throw new RangeError(`item must be an index in 0..${m.rows - 1}, got ${item}`);
    const found = nearest(m, item, this.k);
    this.memo.set(item, found);
    if (this.memo.size > this.maxCached) this.memo.delete(this.memo.keys().next().value as number);
    return found;
  }

  /**
   * Computes every item's list now, `chunk` items per turn of the event loop, so a service can
   * warm up at start (or after a catalog load) without blocking requests: a cold list costs a
   * full catalog scan (about 4 ms at 9.7k × 384) on the first request that needs it, and a
   * user's 50 latest likes can need 50 of them. Resolves with the number of lists computed.
   */
  async warmUp(chunk = 64, signal?: AbortSignal): Promise<number> {
    let done = 0;
    const rows = this.catalog.embeddings().rows;
    for (let start = 0; start < rows; start += chunk) {
      if (signal?.aborted) break;
      for (let i = start; i < Math.min(rows, start + chunk); i++) {
        this.of(i);
        done++;
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return done;
  }

  /**
   * maxSimilarity for a vector outside the catalog (a Rank request's inline item): its highest
   * similarity to one of `history` among the history items it would count as a neighbour of
   * were it in the catalog (more similar than that item's k-th neighbour, or the list not
   * full); 0 when none. Reads the memo (filling it as `of` does) and never changes the catalog.
   */
  similarityOfOutside(history: ArrayLike<number>, vector: Float32Array): number {
    let best = 0;
    const m = this.catalog.embeddings();
    if (vector.length !== m.dim) throw new RangeError(`vector has ${vector.length} values, expected ${m.dim}`);
    for (let h = 0; h < history.length; h++) {
      const item = history[h] as number;
      const { similarities } = this.of(item);
      const s = dotRow(vector, m, item);
      // Ties go to the lower index, and an outside item would be the highest: it must beat the k-th.
      const enters = similarities.length < this.k || s > (similarities[similarities.length - 1] as number);
      if (enters && s > best) best = s;
    }
    return best;
  }

  /**
   * For each catalog item, its highest similarity to any of `history` (0 when it is no one's
   * neighbour): Float32Array over `nItems` items.
   */
  maxSimilarity(history: ArrayLike<number>, nItems: number): Float32Array {
    const out = new Float32Array(nItems);
    for (let h = 0; h < history.length; h++) {
      const { items, similarities } = this.of(history[h] as number);
      for (let p = 0; p < items.length; p++) {
        const j = items[p] as number;
        if (j < nItems && (similarities[p] as number) > (out[j] as number)) out[j] = similarities[p] as number;
      }
    }
    return out;
  }
}

/** Dot product of unit vectors `a` and row `row` of `m`. */
function dotRow(a: Float32Array, m: EmbeddingMatrix, row: number): number {
  const base = row * m.dim;
  let s = 0;
  for (let d = 0; d < m.dim; d++) s += (a[d] as number) * (m.data[base + d] as number);
  return Math.fround(s);
}

function nearest(m: EmbeddingMatrix, item: number, k: number): { items: Int32Array; similarities: Float32Array } {
  const { data, dim, rows } = m;
  const q = data.subarray(item * dim, (item + 1) * dim);
  const size = Math.min(k, rows - 1);
  // A small min-heap of the best `size` (similarity, index) pairs.
  const hi = new Int32Array(size);
  const hv = new Float32Array(size);
  let filled = 0;
  const weaker = (va: number, ia: number, vb: number, ib: number) => va < vb || (va === vb && ia > ib);
  for (let j = 0; j < rows; j++) {
    if (j === item) continue;
    const base = j * dim;
    // Four accumulators keep more multiplies in flight (the scan dominates retrieval cost).
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    let d = 0;
    for (; d + 3 < dim; d += 4) {
      s0 += (q[d] as number) * (data[base + d] as number);
      s1 += (q[d + 1] as number) * (data[base + d + 1] as number);
      s2 += (q[d + 2] as number) * (data[base + d + 2] as number);
      s3 += (q[d + 3] as number) * (data[base + d + 3] as number);
    }
    for (; d < dim; d++) s0 += (q[d] as number) * (data[base + d] as number);
    const s = Math.fround(s0 + s1 + s2 + s3);
    if (filled < size) {
      let c = filled++;
      while (c > 0) {
        const p = (c - 1) >> 1;
        if (!weaker(s, j, hv[p] as number, hi[p] as number)) break;
        hv[c] = hv[p] as number; hi[c] = hi[p] as number; c = p;
      }
      hv[c] = s; hi[c] = j;
    } else if (size > 0 && weaker(hv[0] as number, hi[0] as number, s, j)) {
      let c = 0;
      for (;;) {
        const l = 2 * c + 1;
        if (l >= size) break;
        const r = l + 1;
        const w = r < size && weaker(hv[r] as number, hi[r] as number, hv[l] as number, hi[l] as number) ? r : l;
        if (!weaker(hv[w] as number, hi[w] as number, s, j)) break;
        hv[c] = hv[w] as number; hi[c] = hi[w] as number; c = w;
      }
      hv[c] = s; hi[c] = j;
    }
  }
  const order = Array.from({ length: filled }, (_, i) => i).sort((a, b) => (hv[b] as number) - (hv[a] as number) || (hi[a] as number) - (hi[b] as number));
  return { items: Int32Array.from(order, (i) => hi[i] as number), similarities: Float32Array.from(order, (i) => hv[i] as number) };
}
