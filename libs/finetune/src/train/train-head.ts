import type { Head } from '../heads/head';
import { balancedClassWeights, sigmoidBinaryCrossEntropy, softmaxCrossEntropy } from '../heads/losses';
import { LinearHead } from '../heads/linear-head';
import { MlpHead } from '../heads/mlp-head';
import { evaluate } from '../eval/metrics';
import { fitTemperature } from '../eval/temperature';
import { sigmoid, softmaxRows } from '../math/linear-algebra';
import { createRng, shuffleInPlace } from '../math/random';
import { AdamW, learningRateAt } from './adamw';
import { DEFAULT_TRAIN_OPTIONS, type TrainOptions, validateTrainOptions } from './train-options';

/** Embeddings [n×dim] with integer class targets, or multi-hot targets [n×classes]. */
export interface EmbeddedSplit {
  readonly X: Float64Array;
  readonly n: number;
  readonly targets: Int32Array;
  readonly multiHot?: Float64Array;
}

export interface EpochRecord {
  readonly epoch: number;
  readonly trainLoss: number;
  readonly valLoss: number;
  readonly valAccuracy: number;
  readonly valMacroF1: number;
  readonly learningRate: number;
  readonly seconds: number;
}

export interface TrainResult {
  readonly head: Head;
  readonly history: readonly EpochRecord[];
  readonly bestEpoch: number;
  readonly stoppedEarly: boolean;
  /** `epochs`, or more when `minSteps` needed them. */
  readonly epochLimit: number;
  readonly temperature: number;
  readonly options: TrainOptions;
}

export interface TrainInput {
  readonly dim: number;
  readonly labels: readonly string[];
  readonly train: EmbeddedSplit;
  readonly validation: EmbeddedSplit;
  readonly multilabel?: boolean;
  readonly options?: Partial<TrainOptions>;
  readonly onEpoch?: (record: EpochRecord, totalEpochs: number) => void;
}

export function createHead(o: TrainOptions, dim: number, classes: number, seed: number): Head {
  const rng = createRng(seed);
  return o.head === 'linear' ? new LinearHead(dim, classes, rng) : new MlpHead(dim, o.hiddenDim, classes, o.dropout, rng);
}

/** Logits for a whole split, in chunks (no dropout). */
export function predictLogits(head: Head, X: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * head.outputDim);
  const chunk = 1024;
  for (let s = 0; s < n; s += chunk) {
    const m = Math.min(chunk, n - s);
    out.set(head.forward(X.subarray(s * head.inputDim, (s + m) * head.inputDim), m, false).logits, s * head.outputDim);
  }
  return out;
}

/**
 * Mini-batch AdamW with warm-up and cosine decay, early stopping on validation macro-F1
 * (ties broken by validation loss, so a head that reaches F1 = 1 early keeps gaining
 * confidence instead of stopping underconfident; the best epoch's weights are kept), then
 * temperature scaling fitted on validation.
 */
export function trainHead(input: TrainInput): TrainResult {
  const o = validateTrainOptions({ ...DEFAULT_TRAIN_OPTIONS, ...input.options });
  const { dim, labels, train, validation } = input;
  const c = labels.length;
  if (c < 2) throw new RangeError(`need at least 2 labels, got ${c}`);
  if (train.n === 0) throw new RangeError('training split is empty');
  const head = createHead(o, dim, c, o.seed);
  const rng = createRng(o.seed + 1);
  const opt = new AdamW(head.params, { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: o.weightDecay });
  const weights = o.classWeights === 'balanced' && !input.multilabel ? balancedClassWeights(train.targets, c) : undefined;
  const stepsPerEpoch = Math.ceil(train.n / o.batchSize);
  const epochLimit = Math.max(o.epochs, Math.ceil(o.minSteps / stepsPerEpoch));
  const totalSteps = stepsPerEpoch * epochLimit;
  const warmup = Math.max(1, Math.round(totalSteps * o.warmupFraction));
  const order = Array.from({ length: train.n }, (_, i) => i);
  const history: EpochRecord[] = [];
  let best = { f1: -1, loss: Infinity, epoch: 0, weights: head.params.map((p) => Float64Array.from(p.data)) };
  let step = 0;
  let stoppedEarly = false;

  const loss = (logits: Float64Array, n: number, idx: ArrayLike<number>, split: EmbeddedSplit) => {
    if (input.multilabel) {
      const T = new Float64Array(n * c);
      for (let i = 0; i < n; i++) T.set((split.multiHot as Float64Array).subarray((idx[i] as number) * c, ((idx[i] as number) + 1) * c), i * c);
      return sigmoidBinaryCrossEntropy(logits, n, c, T);
    }
    const t = new Int32Array(n);
    for (let i = 0; i < n; i++) t[i] = split.targets[idx[i] as number] as number;
    return softmaxCrossEntropy(logits, n, c, t, weights);
  };

  for (let epoch = 1; epoch <= epochLimit; epoch++) {
    const started = performance.now();
    shuffleInPlace(order, rng);
    let lossSum = 0;
    let lr = 0;
    for (let s = 0; s < train.n; s += o.batchSize) {
      const idx = order.slice(s, s + o.batchSize);
      const X = new Float64Array(idx.length * dim);
      idx.forEach((r, i) => X.set(train.X.subarray(r * dim, (r + 1) * dim), i * dim));
      opt.zeroGrad();
      const fwd = head.forward(X, idx.length, true, rng);
      const l = loss(fwd.logits, idx.length, idx, train);
      fwd.backward(l.grad);
      lr = learningRateAt(step++, totalSteps, o.learningRate, warmup);
      opt.step(lr);
      lossSum += l.loss * idx.length;
    }
    const valLogits = predictLogits(head, validation.X, validation.n);
    const all = Array.from({ length: validation.n }, (_, i) => i);
    const valLoss = validation.n ? loss(valLogits, validation.n, all, validation).loss : 0;
    const P = input.multilabel ? valLogits.map(sigmoid) : softmaxRows(valLogits, validation.n, c);
    const rep = evaluate(P, validation.n, labels, validation.targets);
    const record: EpochRecord = { epoch, trainLoss: lossSum / train.n, valLoss, valAccuracy: rep.accuracy, valMacroF1: rep.macroF1,
      learningRate: lr, seconds: (performance.now() - started) / 1000 };
    history.push(record);
    input.onEpoch?.(record, epochLimit);
    const better = rep.macroF1 > best.f1 + 1e-9 || (rep.macroF1 >= best.f1 - 1e-9 && valLoss < best.loss - 1e-6);
    if (better) {
      best = { f1: rep.macroF1, loss: valLoss, epoch, weights: head.params.map((p) => Float64Array.from(p.data)) };
    } else if (epoch - best.epoch >= o.patience) {
      stoppedEarly = epoch < epochLimit;
      break;
    }
  }
  head.params.forEach((p, k) => p.data.set(best.weights[k] as Float64Array));
  const temperature = input.multilabel || validation.n === 0 ? 1 : fitTemperature(predictLogits(head, validation.X, validation.n), validation.n, c, validation.targets);
  return { head, history, bestEpoch: best.epoch, stoppedEarly, epochLimit, temperature, options: o };
}
