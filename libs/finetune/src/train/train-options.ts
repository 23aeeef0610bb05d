import type { HeadKind } from '../heads/head';
import { validateExemplarOptions, type ExemplarOptions } from './exemplar-options';

/** Hyper-parameters of head training; every default is written to the model card. */
export interface TrainOptions {
  readonly head: HeadKind;
  readonly hiddenDim: number;
  readonly dropout: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly weightDecay: number;
  readonly warmupFraction: number;
  /** Epochs without a better epoch (validation macro-F1, ties broken by validation loss) before stopping. */
  readonly patience: number;
  readonly seed: number;
  readonly classWeights: 'balanced' | 'none';
  /**
   * Fewest optimizer steps: a small dataset gets more epochs than `epochs` so it trains as
   * long as a large one (100 rows at batch 32 is 4 steps an epoch; 60 epochs left the head
   * underconfident, ECE 0.51 on the support sample; 1,500 steps brought it to 0.12).
   */
  readonly minSteps: number;
  /**
   * Blend a k-nearest-exemplar vote over the training texts into the served probabilities
   * (fused into the graph; single-label heads on the frozen encoder only). Absent: off.
   */
  readonly exemplars?: ExemplarOptions;
}

/**
 * Defaults are the measured best on frozen bge-small embeddings (docs/benchmarks.md): a
 * linear softmax head without class weights beat the MLP on Banking77 (92.2% vs 90.8%, 77
 * classes) in under half the training time; on the 3-class Financial PhraseBank the MLP
 * gains ~1 point (81.3% vs 80.4%), so it stays one flag away (`head: 'mlp'`; lr 1e-3, dropout
 * 0.2 measured best for it). Class weights are for strongly imbalanced data, where minority
 * recall matters more than accuracy; on these sets they cost accuracy.
 */
export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
  head: 'linear',
  hiddenDim: 256,
  dropout: 0.2,
  epochs: 60,
  batchSize: 32,
  learningRate: 5e-3,
  weightDecay: 1e-4,
  warmupFraction: 0.05,
  patience: 8,
  seed: 42,
  classWeights: 'none',
  minSteps: 1500,
};

export function validateTrainOptions(o: TrainOptions): TrainOptions {
  const check = (ok: boolean, field: keyof TrainOptions, rule: string) => {
    if (!ok) throw new RangeError(`${field} ${rule}, got ${String(o[field])}`);
  };
  check(o.head === 'linear' || o.head === 'mlp', 'head', 'must be "linear" or "mlp"');
  check(Number.isInteger(o.hiddenDim) && o.hiddenDim >= 1, 'hiddenDim', 'must be a positive integer');
  check(o.dropout >= 0 && o.dropout < 1, 'dropout', 'must be in [0, 1)');
  check(Number.isInteger(o.epochs) && o.epochs >= 1 && o.epochs <= 10_000, 'epochs', 'must be an integer in [1, 10000]');
  check(Number.isInteger(o.batchSize) && o.batchSize >= 1, 'batchSize', 'must be a positive integer');
  check(o.learningRate > 0 && o.learningRate < 10, 'learningRate', 'must be in (0, 10)');
  check(o.weightDecay >= 0, 'weightDecay', 'must be >= 0');
  check(o.warmupFraction >= 0 && o.warmupFraction < 1, 'warmupFraction', 'must be in [0, 1)');
  check(Number.isInteger(o.patience) && o.patience >= 1, 'patience', 'must be a positive integer');
  check(Number.isInteger(o.seed), 'seed', 'must be an integer');
  check(Number.isInteger(o.minSteps) && o.minSteps >= 0 && o.minSteps <= 10_000_000, 'minSteps', 'must be an integer in [0, 10000000]');
  if (o.exemplars !== undefined) validateExemplarOptions(o.exemplars);
  return o;
}
