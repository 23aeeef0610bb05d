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
    const canLeft = lo > 0 && n * costAt(hi) <= maxTokens;
    const canRight = hi + 1 < sorted.length && n * costAt(hi + 1) <= maxTokens;
    if (!canLeft && !canRight) break;
    // Grow towards whichever neighbour keeps the length spread (hence padding) smallest.
    const spreadLeft = canLeft ? costAt(hi) - costAt(lo - 1) : Infinity;
    const spreadRight = canRight ? costAt(hi + 1) - costAt(lo) : Infinity;
    if (spreadLeft <= spreadRight) lo--;
    else hi++;
  }
  return sorted.slice(lo, hi + 1);
}
