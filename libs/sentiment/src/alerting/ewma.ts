/**
 * Exponentially weighted mean and variance of one series (a key's negative share or
 * negative count per closed window). Pure functions over a plain, JSON-safe record.
 *
 * Incremental form (West 1979 / Finch 2009): diff = x − μ; μ += α·diff;
 * σ² = (1 − α)(σ² + α·diff²). The first observation seeds μ with σ² = 0, so a key's
 * baseline starts from its own data rather than from zero.
 */
export interface Ewma {
  readonly mean: number;
  readonly variance: number;
  /** Observations folded in so far. */
  readonly count: number;
}

export const EMPTY_EWMA: Ewma = Object.freeze({ mean: 0, variance: 0, count: 0 });

export function ewmaAdd(s: Ewma, x: number, alpha: number): Ewma {
  if (s.count === 0) return { mean: x, variance: 0, count: 1 };
  const diff = x - s.mean;
  const incr = alpha * diff;
  return { mean: s.mean + incr, variance: (1 - alpha) * (s.variance + diff * incr), count: s.count + 1 };
}

/**
 * Folds `k` observations of 0 at once (a quiet key's empty windows), in closed form so a
 * key idle for days costs O(1): with r = 1 − α, μ_k = r^k·μ and σ²_k = r^k·(σ² + μ²·(1 − r^k)).
 * Equal to k calls of ewmaAdd(s, 0) up to rounding.
 */
export function ewmaAddZeros(s: Ewma, k: number, alpha: number): Ewma {
  if (k <= 0) return s;
  let cur = s;
  let left = k;
  if (cur.count === 0) {
    cur = { mean: 0, variance: 0, count: 1 };
    left -= 1;
    if (left === 0) return cur;
  }
  const rk = Math.pow(1 - alpha, left);
  return {
    mean: rk * cur.mean,
    variance: rk * (cur.variance + cur.mean * cur.mean * (1 - rk)),
    count: cur.count + left,
  };
}

export function ewmaStd(s: Ewma): number {
  return Math.sqrt(Math.max(0, s.variance));
}
