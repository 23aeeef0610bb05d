import { gaussian, type Rng } from '../math/random';

/** A trainable tensor with its gradient; `decay` says whether AdamW weight decay applies (not to biases). */
export interface Parameter {
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: Float64Array;
  readonly grad: Float64Array;
  readonly decay: boolean;
}

export function createParameter(name: string, shape: readonly number[], decay: boolean, init?: { rng: Rng; std: number }): Parameter {
  const size = shape.reduce((a, b) => a * b, 1);
  const data = new Float64Array(size);
  if (init) for (let i = 0; i < size; i++) data[i] = gaussian(init.rng) * init.std;
  return { name, shape, data, grad: new Float64Array(size), decay };
}
