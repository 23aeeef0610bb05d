/**
 * Picks the next batch from the waiting requests. The oldest request is always in it
 * (no starvation); the rest are its neighbours by length, so padding stays small.
 * Cost of a batch = size × longest sequence (what the padded tensor really holds).
 */
export interface Sized {
  readonly cost: number;
  readonly seq: number;
}

export function selectBatch<T extends Sized>(waiting: readonly T[], maxBatchSize: number, maxTokens: number): T[] {
  if (waiting.length === 0) return [];
  const oldest = waiting[0] as T;
  if (waiting.length <= maxBatchSize && waiting.length * Math.max(...waiting.map((w) => w.cost)) <= maxTokens) {
    return [...waiting];
  }
  const sorted = [...waiting].sort((a, b) => a.cost - b.cost || a.seq - b.seq);
  let lo = sorted.indexOf(oldest);
  let hi = lo;
  const costAt = (i: number) => (sorted[i] as T).cost;
  while (hi - lo + 1 < maxBatchSize) {
    const n = hi - lo + 2;
    // Prefer a shorter neighbour: it does not raise the padded length.
    if (lo > 0 && n * costAt(hi) <= maxTokens) { lo--; continue; }
    if (hi + 1 < sorted.length && n * costAt(hi + 1) <= maxTokens) { hi++; continue; }
    break;
  }
  return sorted.slice(lo, hi + 1);
}
