import { gelu, geluGrad, linearBackward, linearForward } from '../math/linear-algebra';
import type { Rng } from '../math/random';
import type { Head } from './head';
import { createParameter, type Parameter } from './parameter';

/** One hidden layer: logits = W2·dropout(GELU(W1·x + b1)) + b2. */
export class MlpHead implements Head {
  readonly kind = 'mlp' as const;
  readonly W1: Parameter;
  readonly b1: Parameter;
  readonly W2: Parameter;
  readonly b2: Parameter;

  constructor(readonly inputDim: number, readonly hiddenDim: number, readonly outputDim: number, readonly dropout: number, rng: Rng) {
    if (!(dropout >= 0 && dropout < 1)) throw new RangeError(`dropout must be in [0, 1), got ${dropout}`);
    this.W1 = createParameter('W1', [hiddenDim, inputDim], true, { rng, std: Math.sqrt(2 / inputDim) });
    this.b1 = createParameter('b1', [hiddenDim], false);
    this.W2 = createParameter('W2', [outputDim, hiddenDim], true, { rng, std: 1 / Math.sqrt(hiddenDim) });
    this.b2 = createParameter('b2', [outputDim], false);
  }

  get params(): readonly Parameter[] {
    return [this.W1, this.b1, this.W2, this.b2];
  }

  forward(X: Float64Array, n: number, train: boolean, rng?: Rng) {
    const H = this.hiddenDim;
    const pre = linearForward(X, n, this.inputDim, this.W1.data, this.b1.data, H);
    const act = new Float64Array(n * H);
    // Inverted dropout: scale kept units at train time so inference needs no change.
    const keep = 1 - this.dropout;
    const mask = train && this.dropout > 0 ? new Float64Array(n * H) : undefined;
    for (let i = 0; i < n * H; i++) {
      let a = gelu(pre[i] as number);
      if (mask) {
        const m = (rng ?? Math.random)() < keep ? 1 / keep : 0;
        mask[i] = m;
        a *= m;
      }
      act[i] = a;
    }
    const logits = linearForward(act, n, H, this.W2.data, this.b2.data, this.outputDim);
    return {
      logits,
      backward: (dLogits: Float64Array) => {
        const dAct = linearBackward(act, n, H, this.W2.data, this.outputDim, dLogits, this.W2.grad, this.b2.grad, true) as Float64Array;
        for (let i = 0; i < n * H; i++) dAct[i] = (dAct[i] as number) * geluGrad(pre[i] as number) * (mask ? (mask[i] as number) : 1);
        linearBackward(X, n, this.inputDim, this.W1.data, H, dAct, this.W1.grad, this.b1.grad, false);
      },
    };
  }
}
