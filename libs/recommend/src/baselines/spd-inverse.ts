/**
 * Inverse of a symmetric positive-definite n × n matrix (row-major Float64Array; only its
 * lower triangle is read), by Cholesky A = L·Lᵀ, then L⁻¹, then A⁻¹ = L⁻ᵀ·L⁻¹. About n³/2
 * multiply-adds, each inner loop running along contiguous row segments. Returns a new
 * matrix with both triangles filled; `a` is overwritten with L⁻¹ (lower triangle).
 * A matrix that is not positive definite (a pivot ≤ 0) throws a RangeError.
 */
export function spdInverse(a: Float64Array, n: number): Float64Array {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a whole number >= 0, got ${n}`);
  if (a.length !== n * n) throw new RangeError(`a must hold n × n = ${n * n} numbers, got ${a.length}`);
  choleskyInPlace(a, n);
  invertLowerInPlace(a, n);
  // A⁻¹ = Σ_k (row k of L⁻¹)ᵀ (row k of L⁻¹): rank-1 updates of the lower triangle.
  const inv = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const rk = k * n;
    for (let p = 0; p <= k; p++) {
      const f = a[rk + p] as number;
      if (f === 0) continue;
      const rp = p * n;
      for (let q = 0; q <= p; q++) inv[rp + q] += f * (a[rk + q] as number);
    }
  }
  for (let p = 0; p < n; p++) for (let q = 0; q < p; q++) inv[q * n + p] = inv[p * n + q] as number;
  return inv;
}

/** Lower Cholesky factor in place (dot-product form: row i against every earlier row j). */
function choleskyInPlace(a: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      let s = a[ri + j] as number;
      for (let k = 0; k < j; k++) s -= (a[ri + k] as number) * (a[rj + k] as number);
      if (i === j) {
        if (!(s > 0)) throw new RangeError(`matrix is not positive definite (pivot ${i} is ${s})`);
        a[ri + i] = Math.sqrt(s);
      } else {
        a[ri + j] = s / (a[rj + j] as number);
      }
    }
    for (let j = i + 1; j < n; j++) a[ri + j] = 0;
  }
}

/** L⁻¹ of a lower-triangular L in place, row by row: row i = (eᵢ − Σ_{k<i} L[i][k]·(row k of L⁻¹)) / L[i][i]. */
function invertLowerInPlace(a: Float64Array, n: number): void {
  const row = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    row.fill(0, 0, i + 1);
    row[i] = 1;
    for (let k = 0; k < i; k++) {
      const f = a[ri + k] as number;
      if (f === 0) continue;
      const rk = k * n;
      for (let j = 0; j <= k; j++) row[j] -= f * (a[rk + j] as number);
    }
    const d = a[ri + i] as number;
    for (let j = 0; j <= i; j++) a[ri + j] = (row[j] as number) / d;
  }
}
