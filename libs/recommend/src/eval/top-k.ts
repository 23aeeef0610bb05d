/**
 * The indices of the `k` highest scores, best first, skipping the ascending indices in
 * `exclude` (a user's training items). Ties go to the lower index, so rankings are
 * deterministic. A NaN score is a scorer bug and throws. O(n log k), one small heap, and
 * `scores` is never written.
 */
export function topK(scores: Float32Array | Float64Array, k: number, exclude: Int32Array = EMPTY): Int32Array {
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`k must be a whole number >= 0, got ${k}`);
  const heapIdx = new Int32Array(k); // min-heap on (score, -index): the root is the weakest kept
  const heapVal = new Float64Array(k);
  let size = 0;
  let ex = 0;
  const n = scores.length;
  for (let i = 0; i < n; i++) {
    while (ex < exclude.length && (exclude[ex] as number) < i) ex++;
    if (ex < exclude.length && exclude[ex] === i) continue;
    const s = scores[i] as number;
    if (s !== s) throw new RangeError(`scores[${i}] is NaN`);
    if (size < k) {
      // sift up
      let c = size++;
      while (c > 0) {
        const p = (c - 1) >> 1;
        if (!weaker(s, i, heapVal[p] as number, heapIdx[p] as number)) break;
        heapVal[c] = heapVal[p] as number;
        heapIdx[c] = heapIdx[p] as number;
        c = p;
      }
      heapVal[c] = s;
      heapIdx[c] = i;
    } else if (k > 0 && weaker(heapVal[0] as number, heapIdx[0] as number, s, i)) {
      // replace the root, sift down
      let c = 0;
      for (;;) {
        const l = 2 * c + 1;
        if (l >= size) break;
        const r = l + 1;
        const m = r < size && weaker(heapVal[r] as number, heapIdx[r] as number, heapVal[l] as number, heapIdx[l] as number) ? r : l;
        if (!weaker(heapVal[m] as number, heapIdx[m] as number, s, i)) break;
        heapVal[c] = heapVal[m] as number;
        heapIdx[c] = heapIdx[m] as number;
        c = m;
      }
      heapVal[c] = s;
      heapIdx[c] = i;
    }
  }
  // Pop the heap into best-first order.
  const out = new Int32Array(size);
  for (let end = size - 1; end >= 0; end--) {
    out[end] = heapIdx[0] as number;
    const s = heapVal[end] as number;
    const i = heapIdx[end] as number;
    let c = 0;
    for (;;) {
      const l = 2 * c + 1;
      if (l >= end) break;
      const r = l + 1;
      const m = r < end && weaker(heapVal[r] as number, heapIdx[r] as number, heapVal[l] as number, heapIdx[l] as number) ? r : l;
      if (!weaker(heapVal[m] as number, heapIdx[m] as number, s, i)) break;
      heapVal[c] = heapVal[m] as number;
      heapIdx[c] = heapIdx[m] as number;
      c = m;
    }
    heapVal[c] = s;
    heapIdx[c] = i;
  }
  return out;
}

const EMPTY = new Int32Array(0);

/** Whether (s1, i1) ranks below (s2, i2): lower score, or equal score and higher index. */
function weaker(s1: number, i1: number, s2: number, i2: number): boolean {
  return s1 < s2 || (s1 === s2 && i1 > i2);
}
