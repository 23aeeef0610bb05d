import type { Rng } from '../math/random';
import type { Parameter } from './parameter';

export type HeadKind = 'linear' | 'mlp';

/** A task head on frozen embeddings: logits = head(x). */
export interface Head {
  readonly kind: HeadKind;
  readonly inputDim: number;
  readonly outputDim: number;
  readonly params: readonly Parameter[];
  /** Logits [n×outputDim]; `train` enables dropout. */
  forward(X: Float64Array, n: number, train: boolean, rng?: Rng): { logits: Float64Array; backward(dLogits: Float64Array): void };
}

/** Serialisable weights, as stored in checkpoints and fused into ONNX. */
export interface HeadWeights {
  readonly kind: HeadKind;
  readonly inputDim: number;
  readonly outputDim: number;
  readonly hiddenDim?: number;
  readonly tensors: Readonly<Record<string, { shape: readonly number[]; data: readonly number[] }>>;
}

export function headWeights(head: Head, hiddenDim?: number): HeadWeights {
  const tensors: Record<string, { shape: readonly number[]; data: number[] }> = {};
  for (const p of head.params) tensors[p.name] = { shape: p.shape, data: Array.from(p.data) };
  return { kind: head.kind, inputDim: head.inputDim, outputDim: head.outputDim, ...(hiddenDim ? { hiddenDim } : {}), tensors };
}
