/**
 * The few dense kernels a task head needs, on row-major Float64Arrays. Written by hand
 * (see docs/adr/0006): a linear/MLP head on frozen embeddings is a few matrix products,
 * and the maintained JS numeric libraries either need native downloads (tfjs-node) or
 * are slower than these loops for our sizes. Gradients are proven by finite differences.
 */

/** Y[n×m] = X[n×k] · Wᵀ (W is [m×k]) + b[m]. Four accumulators let V8 keep more multiplies in flight. */
export function linearForward(X: Float64Array, n: number, k: number, W: Float64Array, b: Float64Array, m: number): Float64Array {
  const Y = new Float64Array(n * m);
  const k4 = k - (k % 4);
  for (let i = 0; i < n; i++) {
    const xo = i * k;
    for (let j = 0; j < m; j++) {
      const wo = j * k;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      let t = 0;
      for (; t < k4; t += 4) {
        s0 += (X[xo + t] as number) * (W[wo + t] as number);
        s1 += (X[xo + t + 1] as number) * (W[wo + t + 1] as number);
        s2 += (X[xo + t + 2] as number) * (W[wo + t + 2] as number);
        s3 += (X[xo + t + 3] as number) * (W[wo + t + 3] as number);
      }
      for (; t < k; t++) s0 += (X[xo + t] as number) * (W[wo + t] as number);
      Y[i * m + j] = (b[j] as number) + s0 + s1 + s2 + s3;
    }
  }
  return Y;
}

/** Accumulates dW += dYᵀ·X and db += Σ dY; returns dX = dY·W (or nothing when not needed). */
export function linearBackward(
  X: Float64Array, n: number, k: number, W: Float64Array, m: number, dY: Float64Array,
  dW: Float64Array, db: Float64Array, needInputGrad: boolean,
): Float64Array | undefined {
  const dX = needInputGrad ? new Float64Array(n * k) : undefined;
  for (let i = 0; i < n; i++) {
    const xo = i * k;
    for (let j = 0; j < m; j++) {
      const g = dY[i * m + j] as number;
      if (g === 0) continue;
      db[j] = (db[j] as number) + g;
      const wo = j * k;
      for (let t = 0; t < k; t++) dW[wo + t] = (dW[wo + t] as number) + g * (X[xo + t] as number);
      if (dX) for (let t = 0; t < k; t++) dX[xo + t] = (dX[xo + t] as number) + g * (W[wo + t] as number);
    }
  }
  return dX;
}

/** erf with |error| < 1.2e-7 (Numerical Recipes erfc), enough for GELU to match ONNX's Erf within 1e-6. */
export function erf(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? 1 - r : r - 1;
}

/** Exact GELU: x·Φ(x), the form the fused ONNX graph computes with Erf. */
export function gelu(x: number): number {
  return 0.5 * x * (1 + erf(x / Math.SQRT2));
}

export function geluGrad(x: number): number {
  const cdf = 0.5 * (1 + erf(x / Math.SQRT2));
  const pdf = Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
  return cdf + x * pdf;
}

/** Row-wise softmax of logits [n×c] divided by a temperature. */
export function softmaxRows(logits: Float64Array, n: number, c: number, temperature = 1): Float64Array {
  const P = new Float64Array(n * c);
  for (let i = 0; i < n; i++) {
    let max = -Infinity;
    for (let j = 0; j < c; j++) max = Math.max(max, (logits[i * c + j] as number) / temperature);
    let sum = 0;
    for (let j = 0; j < c; j++) {
      const e = Math.exp((logits[i * c + j] as number) / temperature - max);
      P[i * c + j] = e;
      sum += e;
    }
    for (let j = 0; j < c; j++) P[i * c + j] = (P[i * c + j] as number) / sum;
  }
  return P;
}

export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}
