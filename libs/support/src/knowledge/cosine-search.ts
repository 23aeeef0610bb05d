/**
 * Exact cosine search over unit vectors stored in one contiguous matrix: a scan is
 * n × d multiply-adds, exact, with no index to build or tune. Measured by
 * tools/bench/cosine-search.ts (docs/benchmarks.md): ~11 ms per query for 10k passages
 * of 384 dims on the dev VM (~15 ms with minScore -1, which sorts every row). Past
 * ~20k passages, or when the scan shows up in turn latency, an HNSW index (usearch,
 * planned) would pay off; see the README.
 */
export interface VectorHit {
  readonly index: number;
  readonly score: number;
}

/** A copy scaled to unit length; a zero vector stays zero (it scores 0 against anything). */
export function normalise(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += (v[i] as number) * (v[i] as number);
  const norm = Math.sqrt(sum);
  const out = new Float32Array(v.length);
  if (norm > 0) for (let i = 0; i < v.length; i++) out[i] = (v[i] as number) / norm;
  return out;
}

export class VectorMatrix {
  private readonly data: Float32Array;

  constructor(
    vectors: readonly Float32Array[],
    readonly dims: number,
  ) {
    this.data = new Float32Array(vectors.length * dims);
    vectors.forEach((v, i) => {
      if (v.length !== dims) throw new RangeError(`vector ${i} has ${v.length} dimensions, expected ${dims}`);
      this.data.set(normalise(v), i * dims);
    });
  }

  get size(): number {
    return this.data.length / this.dims;
  }

  /** The `k` best rows with score >= `minScore`, best first; ties keep row order. */
  search(query: Float32Array, k: number, minScore = -1): VectorHit[] {
    if (query.length !== this.dims) throw new RangeError(`query has ${query.length} dimensions, expected ${this.dims}`);
    if (!Number.isInteger(k) || k < 1) throw new RangeError(`k: ${k} must be a positive integer`);
    const q = normalise(query);
    const hits: VectorHit[] = [];
    for (let row = 0; row < this.size; row++) {
      let dot = 0;
      const base = row * this.dims;
      for (let j = 0; j < this.dims; j++) dot += (this.data[base + j] as number) * (q[j] as number);
      // Unit float32 vectors dot to 1 ± ~1e-7, not exactly: a cosine stays in [-1, 1] (the
      // conversation event's schema refuses a cited passage scoring 1.00000001).
      const score = Math.max(-1, Math.min(1, dot));
      if (score >= minScore) hits.push({ index: row, score });
    }
    hits.sort((a, b) => b.score - a.score || a.index - b.index);
    return hits.slice(0, k);
  }
}
