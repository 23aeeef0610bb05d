import type { LoraTarget } from './bert-layer';
import type { EncoderMethod } from './tuned-encoder';

/** Hyper-parameters of encoder fine-tuning (LoRA or top layers); all go to the model card. */
export interface EncoderTrainOptions {
  readonly method: EncoderMethod;
  /** Top layers trained (LoRA adapters or all their weights); the ones below run once per text and are cached. */
  readonly layers: number;
  readonly loraRank: number;
  readonly loraAlpha: number;
  readonly loraTargets: readonly LoraTarget[];
  readonly epochs: number;
  readonly batchSize: number;
  /** Peak rate for the encoder's trained weights (adapters or layers). */
  readonly learningRate: number;
  /** Peak rate for the head, separate: it starts from a probe and moves on another scale. */
  readonly headLearningRate: number;
  readonly weightDecay: number;
  readonly warmupFraction: number;
  /** Epochs without a better validation macro-F1 (ties: lower loss) before stopping. */
  readonly patience: number;
  /** Global L2 norm the gradient is clipped to. */
  readonly maxGradNorm: number;
  /** Hidden dropout in the trained layers while training (BERT's hidden_dropout_prob); 0 = off. */
  readonly dropout: number;
  /**
   * Whether the probe (epoch 0) may be the epoch early stopping keeps. Its validation score is
   * the best of up to 60 head epochs (more on small data) chosen on that same split, so it is biased upward against
   * the adapted epochs; false keeps the best adapted epoch, to measure what adaptation does.
   */
  readonly probeCompetes: boolean;
  readonly seed: number;
}

/**
 * LoRA: r = 8, α = 16 as in the LoRA paper's GLUE runs, on query, value and both FFN matrices
 * of the top 12 layers (all of bge-small's; capped at a shallower encoder's depth by
 * defaultLayers), 2 epochs, hidden dropout 0.1 as
 * BERT was pretrained with: the highest PhraseBank validation macro-F1 of every setting tried,
 * in ~9-10 min on the 2-core dev VM (docs/benchmarks.md "Encoder fine-tuning", ADR 0025; the
 * earlier defaults, k = 2 on q and v for 4 epochs without dropout, scored 0.806 against 0.836).
 * Top-layers trains ~1.8 M weights per layer, so its rate is an order lower.
 */
export const DEFAULT_ENCODER_TRAIN_OPTIONS: Readonly<Record<EncoderMethod, EncoderTrainOptions>> = {
  lora: {
    method: 'lora', layers: 12, loraRank: 8, loraAlpha: 16, loraTargets: ['query', 'value', 'ffn'], epochs: 2, batchSize: 32,
    learningRate: 1e-3, headLearningRate: 2e-3, weightDecay: 0.01, warmupFraction: 0.1, patience: 2, maxGradNorm: 1, dropout: 0.1, probeCompetes: true, seed: 42,
  },
  'top-layers': {
    method: 'top-layers', layers: 1, loraRank: 0, loraAlpha: 0, loraTargets: [], epochs: 4, batchSize: 32,
    learningRate: 1e-4, headLearningRate: 2e-3, weightDecay: 0.01, warmupFraction: 0.1, patience: 2, maxGradNorm: 1, dropout: 0, probeCompetes: true, seed: 42,
  },
};

/** The default k for an encoder of `depth` layers: the method's default, at most every layer. */
export function defaultLayers(method: EncoderMethod, depth: number): number {
  return Math.min(DEFAULT_ENCODER_TRAIN_OPTIONS[method].layers, depth);
}

export function encoderTrainOptions(method: EncoderMethod, overrides: Partial<EncoderTrainOptions> = {}): EncoderTrainOptions {
  const base = DEFAULT_ENCODER_TRAIN_OPTIONS[method];
  if (!base) throw new RangeError(`method must be "lora" or "top-layers", got ${String(method)}`);
  const o: EncoderTrainOptions = { ...base, ...overrides, method };
  const check = (ok: boolean, field: keyof EncoderTrainOptions, rule: string) => {
    if (!ok) throw new RangeError(`${field} ${rule}, got ${String(o[field])}`);
  };
  check(Number.isInteger(o.layers) && o.layers >= 1, 'layers', 'must be a positive integer');
  if (method === 'lora') {
    check(Number.isInteger(o.loraRank) && o.loraRank >= 1 && o.loraRank <= 256, 'loraRank', 'must be an integer in [1, 256]');
    check(o.loraAlpha > 0, 'loraAlpha', 'must be > 0');
    check(o.loraTargets.length > 0 && o.loraTargets.every((t) => t === 'query' || t === 'value' || t === 'ffn'), 'loraTargets', 'must be a non-empty list of query, value, ffn');
  }
  check(Number.isInteger(o.epochs) && o.epochs >= 1 && o.epochs <= 1000, 'epochs', 'must be an integer in [1, 1000]');
  check(Number.isInteger(o.batchSize) && o.batchSize >= 1, 'batchSize', 'must be a positive integer');
  check(o.learningRate > 0 && o.learningRate < 1, 'learningRate', 'must be in (0, 1)');
  check(o.headLearningRate > 0 && o.headLearningRate < 10, 'headLearningRate', 'must be in (0, 10)');
  check(o.weightDecay >= 0, 'weightDecay', 'must be >= 0');
  check(o.warmupFraction >= 0 && o.warmupFraction < 1, 'warmupFraction', 'must be in [0, 1)');
  check(Number.isInteger(o.patience) && o.patience >= 1, 'patience', 'must be a positive integer');
  check(o.maxGradNorm > 0, 'maxGradNorm', 'must be > 0');
  check(o.dropout >= 0 && o.dropout < 1, 'dropout', 'must be in [0, 1)');
  check(typeof o.probeCompetes === 'boolean', 'probeCompetes', 'must be true or false');
  check(Number.isInteger(o.seed), 'seed', 'must be an integer');
  return o;
}
