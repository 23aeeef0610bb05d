import type { Parameter } from '../heads/parameter';

export interface AdamWOptions {
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
}

export const DEFAULT_ADAMW: AdamWOptions = { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 };

/**
 * AdamW (Loshchilov & Hutter): Adam on the gradient, and weight decay applied directly
 * to the weights, decoupled from the adaptive step: θ ← θ − η·m̂/(√v̂+ε) − η·λ·θ.
 */
export class AdamW {
  private readonly m: Float64Array[];
  private readonly v: Float64Array[];
  private t = 0;

  constructor(private readonly params: readonly Parameter[], private readonly options: AdamWOptions = DEFAULT_ADAMW) {
    this.m = params.map((p) => new Float64Array(p.data.length));
    this.v = params.map((p) => new Float64Array(p.data.length));
  }

  step(lr: number): void {
    this.t++;
    const { beta1, beta2, eps, weightDecay } = this.options;
    const c1 = 1 - beta1 ** this.t;
    const c2 = 1 - beta2 ** this.t;
    this.params.forEach((p, k) => {
      const m = this.m[k] as Float64Array;
      const v = this.v[k] as Float64Array;
      const decay = p.decay ? lr * weightDecay : 0;
      for (let i = 0; i < p.data.length; i++) {
        const g = p.grad[i] as number;
        m[i] = beta1 * (m[i] as number) + (1 - beta1) * g;
        v[i] = beta2 * (v[i] as number) + (1 - beta2) * g * g;
        const update = ((m[i] as number) / c1) / (Math.sqrt((v[i] as number) / c2) + eps);
        p.data[i] = (p.data[i] as number) - lr * update - decay * (p.data[i] as number);
      }
    });
  }

  zeroGrad(): void {
    for (const p of this.params) p.grad.fill(0);
  }
}

/** Linear warm-up to the peak rate, then cosine decay to `minFraction` of it. */
export function learningRateAt(step: number, totalSteps: number, peak: number, warmupSteps: number, minFraction = 0.05): number {
  if (step < warmupSteps) return (peak * (step + 1)) / warmupSteps;
  const progress = Math.min(1, (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps));
  return peak * (minFraction + (1 - minFraction) * 0.5 * (1 + Math.cos(Math.PI * progress)));
}
