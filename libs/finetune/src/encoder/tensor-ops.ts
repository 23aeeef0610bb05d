import { erf as erfFloat32 } from '../math/linear-algebra';
import type { Mat, MatmulEngine } from './matmul-engine';

/** Element-wise pieces of a BERT layer and their derivatives, over row-major arrays. */

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/**
 * erf to ~1e-15: erf(x) = 2/√π·e^(−x²)·Σ 2ⁿx^(2n+1)/(1·3·…·(2n+1)), a series of positive
 * terms (no cancellation); erf(±6) is ±1 in float64. Math has no erf, and a 1e-7
 * approximation would make the finite-difference gradient check disagree with GELU′.
 */
export function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax >= 6) return Math.sign(x);
  let term = ax;
  let sum = ax;
  const x2 = 2 * ax * ax;
  for (let n = 1; term > sum * 1e-17; n++) {
    term *= x2 / (2 * n + 1);
    sum += term;
  }
  const r = TWO_OVER_SQRT_PI * Math.exp(-ax * ax) * sum;
  return x < 0 ? -r : r;
}

/**
 * Which erf a GELU over these values uses. float64 arrays (the gradient checks against finite
 * differences) take the series above; float32 arrays (training on onnxruntime) take the
 * rational form (absolute error < 1.2e-7, the order of float32's rounding): the series cost ~35%
 * of a training step (about 40 terms per element at |x| near 4; profile and before/after in
 * docs/benchmarks.md "GELU speed-up", ADR 0019 update).
 */
const erfFor = (a: Mat): ((x: number) => number) => (a instanceof Float64Array ? erf : erfFloat32);

/**
 * GELU as the graph computes it, 0.5·x·(1 + erf(x/√2)), with the erf erfFor picks. Φ(x) = 0.5·(1 + erf(x/√2)) is
 * written to `cdf` when given, so the backward pass needs no second erf.
 */
export function gelu(x: Mat, out: Mat, cdf?: Mat): Mat {
  const erfOf = erfFor(out);
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    const phi = 0.5 * (1 + erfOf(v / Math.SQRT2));
    out[i] = v * phi;
    if (cdf) cdf[i] = phi;
  }
  return out;
}

/** dx = dy·GELU′(x), GELU′(x) = Φ(x) + x·φ(x); written into dy. `cdf`: Φ(x) as gelu() wrote it. */
export function geluBackwardInPlace(x: Mat, dy: Mat, cdf?: Mat): Mat {
  const erfOf = erfFor(dy);
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    const phi = cdf ? (cdf[i] as number) : 0.5 * (1 + erfOf(v / Math.SQRT2));
    dy[i] = (dy[i] as number) * (phi + v * INV_SQRT_2PI * Math.exp(-0.5 * v * v));
  }
  return dy;
}

/** A mulberry32 state that dropout advances call after call: one stream per model, never reseeded. */
export interface DropoutStream {
  state: number;
}

/**
 * Inverted dropout in place: each value is zeroed with probability p, the rest scaled by
 * 1/(1 − p) so the expectation is unchanged. Returns that per-value factor (0 or 1/(1 − p))
 * for the backward pass, which multiplies the gradient by it. Speed: one 32-bit draw serves two
 * values (16 bits each, so p is rounded to a multiple of 1/65536, at most 65535/65536, and the
 * scale uses that p), drawn inline from `stream`: a closure call per value cost ~3× as much
 * (docs/benchmarks.md, "Encoder fine-tuning").
 */
export function dropoutInPlace(e: MatmulEngine, x: Mat, p: number, stream: DropoutStream): Mat {
  const factor = e.alloc(x.length);
  const threshold = Math.min(65535, Math.round(p * 65536));
  const keep = 1 / (1 - threshold / 65536);
  let a = stream.state;
  for (let i = 0; i < x.length; i += 2) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    t = (t ^ (t >>> 14)) >>> 0;
    const f0 = (t & 0xffff) < threshold ? 0 : keep;
    factor[i] = f0;
    x[i] = (x[i] as number) * f0;
    if (i + 1 < x.length) {
      const f1 = t >>> 16 < threshold ? 0 : keep;
      factor[i + 1] = f1;
      x[i + 1] = (x[i + 1] as number) * f1;
    }
  }
  stream.state = a;
  return factor;
}

/** x ⊙ m into a new array (x is still needed as it is). */
export function multiplied(e: MatmulEngine, x: Mat, m: Mat): Mat {
  const out = e.alloc(x.length);
  for (let i = 0; i < x.length; i++) out[i] = (x[i] as number) * (m[i] as number);
  return out;
}

export function addRowVector(x: Mat, rows: number, cols: number, v: ArrayLike<number>): void {
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) x[r * cols + c] = (x[r * cols + c] as number) + (v[c] as number);
}

export function addInto(into: Mat, x: ArrayLike<number>, scale = 1): Mat {
  for (let i = 0; i < into.length; i++) into[i] = (into[i] as number) + scale * (x[i] as number);
  return into;
}

/** grad[c] += Σ_r dy[r, c]. */
export function accumulateColumnSums(grad: Float64Array, dy: Mat, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) grad[c] = (grad[c] as number) + (dy[r * cols + c] as number);
}

export interface LayerNormCache {
  readonly y: Mat;
  readonly xhat: Mat;
  readonly invStd: Float64Array;
}

/** y = (x − mean)/√(var + ε)·γ + β over the last axis (biased variance, as the graph's ReduceMean of Pow). */
export function layerNorm(e: MatmulEngine, x: Mat, rows: number, cols: number, gamma: ArrayLike<number>, beta: ArrayLike<number>, eps: number): LayerNormCache {
  const y = e.alloc(rows * cols);
  const xhat = e.alloc(rows * cols);
  const invStd = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let mean = 0;
    for (let c = 0; c < cols; c++) mean += x[o + c] as number;
    mean /= cols;
    let v = 0;
    for (let c = 0; c < cols; c++) v += ((x[o + c] as number) - mean) ** 2;
    const inv = 1 / Math.sqrt(v / cols + eps);
    invStd[r] = inv;
    for (let c = 0; c < cols; c++) {
      const h = ((x[o + c] as number) - mean) * inv;
      xhat[o + c] = h;
      y[o + c] = h * (gamma[c] as number) + (beta[c] as number);
    }
  }
  return { y, xhat, invStd };
}

/** dx of LayerNorm; accumulates dγ and dβ when given. */
export function layerNormBackward(e: MatmulEngine, cache: LayerNormCache, dy: Mat, rows: number, cols: number, gamma: ArrayLike<number>, dGamma?: Float64Array, dBeta?: Float64Array): Mat {
  const dx = e.alloc(rows * cols);
  const { xhat, invStd } = cache;
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let sum = 0;
    let dot = 0;
    for (let c = 0; c < cols; c++) {
      const g = (dy[o + c] as number) * (gamma[c] as number);
      sum += g;
      dot += g * (xhat[o + c] as number);
      if (dGamma) dGamma[c] = (dGamma[c] as number) + (dy[o + c] as number) * (xhat[o + c] as number);
      if (dBeta) dBeta[c] = (dBeta[c] as number) + (dy[o + c] as number);
    }
    const inv = (invStd[r] as number) / cols;
    for (let c = 0; c < cols; c++) {
      const g = (dy[o + c] as number) * (gamma[c] as number);
      dx[o + c] = inv * (cols * g - sum - (xhat[o + c] as number) * dot);
    }
  }
  return dx;
}

/** [B·T, H·dh] → [B·H, T, dh]. */
export function splitHeads(e: MatmulEngine, x: Mat, B: number, T: number, H: number, dh: number): Mat {
  const out = e.alloc(x.length);
  const D = H * dh;
  for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) for (let h = 0; h < H; h++) {
    const src = (b * T + t) * D + h * dh;
    const dst = ((b * H + h) * T + t) * dh;
    for (let d = 0; d < dh; d++) out[dst + d] = x[src + d] as number;
  }
  return out;
}

/** [B·H, T, dh] → [B·T, H·dh]. */
export function mergeHeads(e: MatmulEngine, x: Mat, B: number, T: number, H: number, dh: number): Mat {
  const out = e.alloc(x.length);
  const D = H * dh;
  for (let b = 0; b < B; b++) for (let h = 0; h < H; h++) for (let t = 0; t < T; t++) {
    const src = ((b * H + h) * T + t) * dh;
    const dst = (b * T + t) * D + h * dh;
    for (let d = 0; d < dh; d++) out[dst + d] = x[src + d] as number;
  }
  return out;
}

/**
 * In place: scores [B·H, T, T] → softmax over the unmasked keys of scale·scores. The graph
 * adds (1 − mask)·min_float before Softmax, whose exp underflows to exactly 0: the same.
 */
export function maskedSoftmaxInPlace(s: Mat, mask: Uint8Array, B: number, H: number, T: number, scale: number): Mat {
  for (let b = 0; b < B; b++) for (let h = 0; h < H; h++) for (let i = 0; i < T; i++) {
    const o = ((b * H + h) * T + i) * T;
    let max = -Infinity;
    for (let j = 0; j < T; j++) if (mask[b * T + j]) max = Math.max(max, (s[o + j] as number) * scale);
    let sum = 0;
    for (let j = 0; j < T; j++) {
      const p = mask[b * T + j] ? Math.exp((s[o + j] as number) * scale - max) : 0;
      s[o + j] = p;
      sum += p;
    }
    for (let j = 0; j < T; j++) s[o + j] = (s[o + j] as number) / sum;
  }
  return s;
}

/** In place: dP → dScores of scale·scores: P·(dP − Σ_j dP·P)·scale. */
export function softmaxBackwardInPlace(p: Mat, dp: Mat, rows: number, T: number, scale: number): Mat {
  for (let r = 0; r < rows; r++) {
    const o = r * T;
    let dot = 0;
    for (let j = 0; j < T; j++) dot += (dp[o + j] as number) * (p[o + j] as number);
    for (let j = 0; j < T; j++) dp[o + j] = (p[o + j] as number) * ((dp[o + j] as number) - dot) * scale;
  }
  return dp;
}
