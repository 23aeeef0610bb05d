import type { HeadKind } from '../heads/head';

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
  /** Epochs without a better validation macro-F1 before stopping. */
  readonly patience: number;
  readonly seed: number;
  readonly classWeights: 'balanced' | 'none';
}

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
  head: 'mlp',
  hiddenDim: 512,
  dropout: 0.1,
  epochs: 40,
  batchSize: 32,
  learningRate: 2e-3,
  weightDecay: 0.01,
  warmupFraction: 0.05,
  patience: 6,
  seed: 42,
  classWeights: 'balanced',
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
  return o;
}
