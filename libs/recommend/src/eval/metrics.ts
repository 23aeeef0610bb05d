/**
 * Top-k ranking metrics with binary relevance. `ranked` is a best-first list of item
 * indices (at least k long when the catalog allows; a shorter list counts its missing
 * tail as misses), `relevant` the user's relevant items, ascending and distinct.
 */

function checkK(k: number): void {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a whole number >= 1, got ${k}`);
}

/** Whether ascending `sorted` holds `x` (binary search; relevant lists are short). */
export function sortedHas(sorted: Int32Array, x: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = sorted[mid] as number;
    if (v === x) return true;
    if (v < x) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** Number of relevant items in the first k of `ranked`. */
export function hitsAtK(ranked: Int32Array, relevant: Int32Array, k: number): number {
  checkK(k);
  let hits = 0;
  for (let r = 0; r < Math.min(k, ranked.length); r++) if (sortedHas(relevant, ranked[r] as number)) hits++;
  return hits;
}

/** HR@k: 1 when any relevant item is in the first k, else 0. */
export function hitRateAtK(ranked: Int32Array, relevant: Int32Array, k: number): number {
  return hitsAtK(ranked, relevant, k) > 0 ? 1 : 0;
}

/** Recall@k: relevant items in the first k over all relevant items (|R|, not min(k, |R|)); 0 when none is relevant. */
export function recallAtK(ranked: Int32Array, relevant: Int32Array, k: number): number {
  const hits = hitsAtK(ranked, relevant, k);
  return relevant.length === 0 ? 0 : hits / relevant.length;
}

/**
 * NDCG@k: DCG = Σ over ranks r (1-based) ≤ k of a hit's 1/log2(r+1), over the ideal DCG
 * (min(k, |R|) hits at the top); 0 when none is relevant.
 */
export function ndcgAtK(ranked: Int32Array, relevant: Int32Array, k: number): number {
  checkK(k);
  if (relevant.length === 0) return 0;
  let dcg = 0;
  for (let r = 0; r < Math.min(k, ranked.length); r++) if (sortedHas(relevant, ranked[r] as number)) dcg += 1 / Math.log2(r + 2);
  let ideal = 0;
  for (let r = 0; r < Math.min(k, relevant.length); r++) ideal += 1 / Math.log2(r + 2);
  return dcg / ideal;
}
