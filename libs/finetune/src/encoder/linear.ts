import { createParameter, type Parameter } from '../heads/parameter';
import { gaussian, type Rng } from '../math/random';
import type { Mat, MatmulEngine } from './matmul-engine';
import { accumulateColumnSums, addInto, addRowVector } from './tensor-ops';

/** A weight that is either frozen (the graph's float32 values) or trained (a Parameter). */
export interface Slot {
  readonly value: Mat;
  readonly param?: Parameter;
}

export const frozenSlot = (value: Float32Array): Slot => ({ value });

export function trainedSlot(name: string, shape: readonly number[], init: Float32Array, decay: boolean): Slot {
  const param = createParameter(name, shape, decay);
  param.data.set(init);
  return { value: param.data, param };
}

/** LoRA adapter on a [in × out] weight: ΔW = (alpha/rank)·A·B, A [in × r] random, B [r × out] zero (ΔW = 0 at step 0). */
export interface LoraAdapter {
  readonly A: Parameter;
  readonly B: Parameter;
  readonly scale: number;
}

export function createLora(name: string, din: number, dout: number, rank: number, alpha: number, rng: Rng): LoraAdapter {
  const A = createParameter(`${name}.lora_A`, [din, rank], true);
  for (let i = 0; i < A.data.length; i++) A.data[i] = gaussian(rng) / Math.sqrt(din);
  return { A, B: createParameter(`${name}.lora_B`, [rank, dout], true), scale: alpha / rank };
}

/** The merged weight W + scale·A·B, [in × out], in float64. */
export function mergedWeight(w: ArrayLike<number>, lora: LoraAdapter, din: number, dout: number): Float64Array {
  const r = lora.A.shape[1] as number;
  const out = Float64Array.from(w as ArrayLike<number>);
  for (let i = 0; i < din; i++) for (let k = 0; k < r; k++) {
    const a = lora.scale * (lora.A.data[i * r + k] as number);
    if (a === 0) continue;
    for (let j = 0; j < dout; j++) out[i * dout + j] = (out[i * dout + j] as number) + a * (lora.B.data[k * dout + j] as number);
  }
  return out;
}

export interface LinearPass {
  readonly y: Mat;
  /** Accumulates trained gradients; returns dx when asked. */
  back(dy: Mat, needDx: boolean): Promise<Mat | undefined>;
}

/** True when back() has anything to do besides dx. */
export const linearTrains = (w: Slot, b: Slot, lora?: LoraAdapter): boolean => !!(w.param || b.param || lora);

/** y = x·W + b (+ scale·(x·A)·B), x [n × din]. */
export async function linear(e: MatmulEngine, x: Mat, n: number, din: number, dout: number, w: Slot, b: Slot, lora?: LoraAdapter): Promise<LinearPass> {
  const y = await e.matmul(x, w.value, { batch: 1, m: n, k: din, n: dout });
  addRowVector(y, n, dout, b.value);
  const r = lora ? (lora.A.shape[1] as number) : 0;
  let u: Mat | undefined;
  if (lora) {
    u = await e.matmul(x, lora.A.data, { batch: 1, m: n, k: din, n: r });
    addInto(y, await e.matmul(u, lora.B.data, { batch: 1, m: n, k: r, n: dout }), lora.scale);
  }
  return {
    y,
    back: async (dy, needDx) => {
      if (w.param) addInto(w.param.grad, await e.matmul(x, dy, { batch: 1, m: din, k: n, n: dout, transA: true }));
      if (b.param) accumulateColumnSums(b.param.grad, dy, n, dout);
      let du: Mat | undefined;
      if (lora && u) {
        addInto(lora.B.grad, await e.matmul(u, dy, { batch: 1, m: r, k: n, n: dout, transA: true }), lora.scale);
        du = await e.matmul(dy, lora.B.data, { batch: 1, m: n, k: dout, n: r, transB: true });
        for (let i = 0; i < du.length; i++) du[i] = (du[i] as number) * lora.scale;
        addInto(lora.A.grad, await e.matmul(x, du, { batch: 1, m: din, k: n, n: r, transA: true }));
      }
      if (!needDx) return undefined;
      const dx = await e.matmul(dy, w.value, { batch: 1, m: n, k: dout, n: din, transB: true });
      if (lora && du) addInto(dx, await e.matmul(du, lora.A.data, { batch: 1, m: n, k: r, n: din, transB: true }));
      return dx;
    },
  };
}
