import type { MatmulEngine } from './matmul-engine';
import type { HiddenBatch } from './tuned-encoder';

/** Pads texts' cached hidden states [tokens × dim] to the longest in the batch. */
export function hiddenBatch(e: MatmulEngine, states: readonly Float32Array[], dim: number): HiddenBatch {
  const B = states.length;
  const T = Math.max(...states.map((s) => s.length / dim));
  const hidden = e.alloc(B * T * dim);
  const mask = new Uint8Array(B * T);
  states.forEach((s, b) => {
    hidden.set(s, b * T * dim);
    mask.fill(1, b * T, b * T + s.length / dim);
  });
  return { hidden, mask, B, T };
}
