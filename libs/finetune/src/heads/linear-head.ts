import { linearBackward, linearForward } from '../math/linear-algebra';
import type { Rng } from '../math/random';
import type { Head } from './head';
import { createParameter, type Parameter } from './parameter';

/** Softmax regression / logistic probe: logits = x·Wᵀ + b. */
export class LinearHead implements Head {
  readonly kind = 'linear' as const;
  readonly W: Parameter;
  readonly b: Parameter;

  constructor(readonly inputDim: number, readonly outputDim: number, rng: Rng) {
    this.W = createParameter('W', [outputDim, inputDim], true, { rng, std: 1 / Math.sqrt(inputDim) });
    this.b = createParameter('b', [outputDim], false);
  }

  get params(): readonly Parameter[] {
    return [this.W, this.b];
  }

  forward(X: Float64Array, n: number) {
    const logits = linearForward(X, n, this.inputDim, this.W.data, this.b.data, this.outputDim);
    return {
      logits,
      backward: (dLogits: Float64Array) => {
        linearBackward(X, n, this.inputDim, this.W.data, this.outputDim, dLogits, this.W.grad, this.b.grad, false);
      },
    };
  }
}
