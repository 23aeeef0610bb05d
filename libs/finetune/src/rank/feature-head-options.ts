import type { HeadKind } from '../heads/head';

/**
 * Hyper-parameters of a ranking head on feature vectors (libs/recommend's ranker). The
 * head reuses libs/finetune's LinearHead / MlpHead with one output (the score), AdamW and
 * the warm-up + cosine schedule.
 * - `pairwise`: BPR, −log σ(s⁺ − s⁻) over a positive and a negative of the same group
 *   (user), each epoch one fresh negative per positive; only the order within a group is
 *   learnt, which is what a ranking needs.
 * - `pointwise`: binary cross-entropy on every row (scores become comparable across groups).
 * - `listwise`: softmax cross-entropy over each group's rows with the positives as the target
 *   (ListNet with binary relevance): every negative of the group competes at once, the
 *   highest-scoring ones hardest, which is what NDCG@10 rewards. A batch holds
 *   max(1, batchSize / 16) groups.
 */
export interface FeatureHeadOptions {
  readonly head: HeadKind;
  readonly hiddenDim: number;
  readonly dropout: number;
  readonly loss: 'pairwise' | 'pointwise' | 'listwise';
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly weightDecay: number;
  readonly warmupFraction: number;
  /** Epochs without a better validation AUC before stopping, once minSteps ran (the best epoch's weights are kept). */
  readonly patience: number;
  readonly seed: number;
  /**
   * Pairwise only: each positive is paired with the highest-scoring (under the current head)
   * of this many random negatives of its group, so training concentrates on the negatives
   * that would sit at the top of the list, as NDCG@10 does (WARP-style). 1: a uniform negative.
   */
  readonly negativeSamples: number;
  /**
   * The epoch kept: best validation group AUC (the whole list; default) or NDCG@10 (the top).
   * On MovieLens small NDCG@10 over ~90 held-out users was too noisy to choose by: it kept
   * epoch 6 of 84 and lost 10% of test-protocol NDCG against choosing by AUC (libs/recommend README).
   * `last`: no early stopping; the weights after the last epoch are kept.
   */
  readonly selectBy: 'ndcg10' | 'auc' | 'last';
  /** Fewest optimizer steps: a small set gets more epochs than `epochs` (as TrainOptions.minSteps). */
  readonly minSteps: number;
}

export const DEFAULT_FEATURE_HEAD_OPTIONS: FeatureHeadOptions = {
  head: 'mlp',
  hiddenDim: 32,
  dropout: 0,
  loss: 'pairwise',
  epochs: 30,
  batchSize: 256,
  learningRate: 3e-3,
  weightDecay: 1e-4,
  warmupFraction: 0.05,
  patience: 4,
  seed: 42,
  minSteps: 1000,
  negativeSamples: 1,
  selectBy: 'auc',
};

export function validateFeatureHeadOptions(o: FeatureHeadOptions): FeatureHeadOptions {
  const check = (ok: boolean, field: keyof FeatureHeadOptions, rule: string) => {
    if (!ok) throw new RangeError(`${field} ${rule}, got ${String(o[field])}`);
  };
  check(o.head === 'linear' || o.head === 'mlp', 'head', 'must be "linear" or "mlp"');
  check(o.loss === 'pairwise' || o.loss === 'pointwise' || o.loss === 'listwise', 'loss', 'must be "pairwise", "pointwise" or "listwise"');
  check(Number.isInteger(o.hiddenDim) && o.hiddenDim >= 1, 'hiddenDim', 'must be a positive integer');
  check(o.dropout >= 0 && o.dropout < 1, 'dropout', 'must be in [0, 1)');
  check(Number.isInteger(o.epochs) && o.epochs >= 1 && o.epochs <= 10_000, 'epochs', 'must be an integer in [1, 10000]');
  check(Number.isInteger(o.batchSize) && o.batchSize >= 1, 'batchSize', 'must be a positive integer');
  check(o.learningRate > 0 && o.learningRate < 10, 'learningRate', 'must be in (0, 10)');
  check(o.weightDecay >= 0, 'weightDecay', 'must be >= 0');
  check(o.warmupFraction >= 0 && o.warmupFraction < 1, 'warmupFraction', 'must be in [0, 1)');
  check(Number.isInteger(o.patience) && o.patience >= 1, 'patience', 'must be a positive integer');
  check(Number.isInteger(o.seed), 'seed', 'must be an integer');
  check(Number.isInteger(o.negativeSamples) && o.negativeSamples >= 1 && o.negativeSamples <= 1000, 'negativeSamples', 'must be an integer in [1, 1000]');
  check(o.selectBy === 'ndcg10' || o.selectBy === 'auc' || o.selectBy === 'last', 'selectBy', 'must be "ndcg10", "auc" or "last"');
  check(Number.isInteger(o.minSteps) && o.minSteps >= 0 && o.minSteps <= 10_000_000, 'minSteps', 'must be an integer in [0, 10000000]');
  return o;
}
