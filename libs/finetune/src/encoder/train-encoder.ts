import type { Parameter } from '../heads/parameter';
import { softmaxCrossEntropy } from '../heads/losses';
import { evaluate } from '../eval/metrics';
import { fitTemperature } from '../eval/temperature';
import { softmaxRows } from '../math/linear-algebra';
import { createRng, shuffleInPlace, type Rng } from '../math/random';
import { AdamW, learningRateAt } from '../train/adamw';
import type { EpochRecord } from '../train/train-head';
import { trainHead } from '../train/train-head';
import type { BertGraph } from './bert-graph';
import { defaultLayers, encoderTrainOptions, type EncoderTrainOptions } from './encoder-train-options';
import { hiddenBatch } from './hidden-batch';
import type { MatmulEngine } from './matmul-engine';
import { TunedEncoder } from './tuned-encoder';

/** Texts' cached hidden states (each [tokens × dim]) with class targets. */
export interface HiddenSplit {
  readonly states: readonly Float32Array[];
  readonly targets: Int32Array;
}

export interface EncoderTrainInput {
  readonly engine: MatmulEngine;
  readonly graph: BertGraph;
  readonly labels: readonly string[];
  readonly train: HiddenSplit;
  readonly validation: HiddenSplit;
  readonly pooling: 'cls' | 'mean';
  readonly normalize: boolean;
  readonly options?: Partial<EncoderTrainOptions> & Pick<EncoderTrainOptions, 'method'>;
  readonly onEpoch?: (record: EpochRecord, totalEpochs: number) => void;
  readonly onStep?: (step: number, totalSteps: number) => void;
  /**
   * The frozen encoder's pooled embeddings of both splits, row-major in split order, e.g. from
   * the embedding cache (onnxruntime's whole graph). At step 0 the trained layers are the
   * frozen ones (LoRA's B = 0), so these are what the step-0 pass through them would give;
   * passing them skips that pass, a quarter of a 12-layer PhraseBank run. The first rows of
   * each split are checked against the pass (FROZEN_EMBEDDING_TOLERANCE) before they are trusted.
   */
  readonly frozenEmbeddings?: { readonly train: Float64Array; readonly validation: Float64Array };
}

/** Largest |difference| allowed between given frozen embeddings and the trainer's own step-0 pass (unit vectors, float32 engines). */
export const FROZEN_EMBEDDING_TOLERANCE = 1e-3;
const FROZEN_CHECK_ROWS = 8;

export interface EncoderTrainResult {
  readonly model: TunedEncoder;
  readonly options: EncoderTrainOptions;
  readonly history: readonly EpochRecord[];
  readonly bestEpoch: number;
  readonly stoppedEarly: boolean;
  readonly temperature: number;
  /** Validation embeddings [n × dim] and logits [n × classes] of the kept weights. */
  readonly validationEmbeddings: Float64Array;
  readonly validationLogits: Float64Array;
  /** Macro-F1 of the frozen-encoder probe the head starts from (epoch 0). */
  readonly probeMacroF1: number;
  readonly trainedParameters: number;
}

/** Batches of similar length (less padding), in a seeded random order. */
function lengthBatches(states: readonly Float32Array[], batchSize: number, rng: Rng | undefined): number[][] {
  const order = Array.from({ length: states.length }, (_, i) => i);
  if (rng) shuffleInPlace(order, rng);
  const window = batchSize * 16;
  const batches: number[][] = [];
  for (let s = 0; s < order.length; s += window) {
    const w = order.slice(s, s + window).sort((a, b) => (states[a] as Float32Array).length - (states[b] as Float32Array).length);
    for (let i = 0; i < w.length; i += batchSize) batches.push(w.slice(i, i + batchSize));
  }
  return rng ? shuffleInPlace(batches, rng) : batches;
}

/** Embeddings and logits of a split in its own order, no gradients. */
export async function encodeSplit(model: TunedEncoder, engine: MatmulEngine, states: readonly Float32Array[], batchSize = 64): Promise<{ embeddings: Float64Array; logits: Float64Array }> {
  const D = model.dim;
  const c = model.head.outputDim;
  const embeddings = new Float64Array(states.length * D);
  const logits = new Float64Array(states.length * c);
  for (const idx of lengthBatches(states, batchSize, undefined)) {
    const pass = await model.forward(hiddenBatch(engine, idx.map((i) => states[i] as Float32Array), D), false);
    idx.forEach((row, i) => {
      embeddings.set(pass.embeddings.subarray(i * D, (i + 1) * D), row * D);
      logits.set(pass.logits.subarray(i * c, (i + 1) * c), row * c);
    });
  }
  return { embeddings, logits };
}

/** Refuses frozen embeddings that disagree with the trainer's own step-0 pass (wrong pooling, model or order). */
async function checkFrozenEmbeddings(model: TunedEncoder, engine: MatmulEngine, train: HiddenSplit, validation: HiddenSplit, frozen: { train: Float64Array; validation: Float64Array }): Promise<void> {
  const D = model.dim;
  if (frozen.train.length !== train.states.length * D) throw new RangeError(`frozenEmbeddings.train has ${frozen.train.length} values, expected ${train.states.length} × ${D}`);
  if (frozen.validation.length !== validation.states.length * D) {
    throw new RangeError(`frozenEmbeddings.validation has ${frozen.validation.length} values, expected ${validation.states.length} × ${D}`);
  }
  // The first rows of each split: a swapped or shifted block fails here, not silently in the probe.
  for (const [name, split, given] of [['training', train, frozen.train], ['validation', validation, frozen.validation]] as const) {
    const rows = Math.min(FROZEN_CHECK_ROWS, split.states.length);
    const own = (await encodeSplit(model, engine, split.states.slice(0, rows))).embeddings;
    let worst = 0;
    for (let i = 0; i < rows * D; i++) worst = Math.max(worst, Math.abs((own[i] as number) - (given[i] as number)));
    if (!(worst <= FROZEN_EMBEDDING_TOLERANCE)) {
      throw new RangeError(`frozenEmbeddings disagree with the step-0 pass: max |difference| ${worst.toExponential(2)} > ${FROZEN_EMBEDDING_TOLERANCE} over the first ${rows} ${name} rows`);
    }
  }
}

function clipGradients(params: readonly Parameter[], maxNorm: number): void {
  let sq = 0;
  for (const p of params) for (const g of p.grad) sq += g * g;
  const norm = Math.sqrt(sq);
  if (norm <= maxNorm) return;
  const s = maxNorm / norm;
  for (const p of params) for (let i = 0; i < p.grad.length; i++) p.grad[i] = (p.grad[i] as number) * s;
}

/**
 * Trains the top k layers (LoRA adapters or all weights) and a linear head on cached hidden
 * states: the head first fits the frozen encoder's embeddings (a probe, so the encoder's
 * first steps follow a useful gradient, not a random head's), then AdamW with warm-up and
 * cosine decay, separate rates for encoder and head, global-norm clipping, and early stopping
 * on validation macro-F1 keeping the best epoch's weights; the temperature is fitted last.
 */
export async function trainEncoder(input: EncoderTrainInput): Promise<EncoderTrainResult> {
  const method = input.options?.method ?? 'lora';
  const o = encoderTrainOptions(method, { ...input.options, layers: input.options?.layers ?? defaultLayers(method, input.graph.layers) });
  const { engine, labels, train, validation } = input;
  const c = labels.length;
  if (c < 2) throw new RangeError(`need at least 2 labels, got ${c}`);
  if (train.states.length === 0) throw new RangeError('training split is empty');
  const model = new TunedEncoder(engine, input.graph, { method: o.method, layers: o.layers, lora: { rank: o.loraRank, alpha: o.loraAlpha, targets: o.loraTargets },
    pooling: input.pooling, normalize: input.normalize, classes: c, seed: o.seed, dropout: o.dropout });
  const D = model.dim;

  // Probe: the head on step-0 embeddings (the encoder's own; LoRA's B = 0).
  const frozen = input.frozenEmbeddings;
  if (frozen) await checkFrozenEmbeddings(model, engine, train, validation, frozen);
  const trainEmb = frozen ? frozen.train : (await encodeSplit(model, engine, train.states)).embeddings;
  const valEmb0 = frozen ? frozen.validation : (await encodeSplit(model, engine, validation.states)).embeddings;
  const probe = trainHead({ dim: D, labels, train: { X: trainEmb, n: train.states.length, targets: train.targets },
    validation: { X: valEmb0, n: validation.states.length, targets: validation.targets }, options: { seed: o.seed } });
  probe.head.params.forEach((p, i) => (model.headParams[i] as Parameter).data.set(p.data));
  const probeMacroF1 = probe.history[probe.bestEpoch - 1]?.valMacroF1 ?? 0;

  const encoderParams = model.encoderParams;
  const headParams = model.headParams;
  const all = [...encoderParams, ...headParams];
  const encOpt = new AdamW(encoderParams, { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: o.weightDecay });
  const headOpt = new AdamW(headParams, { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: o.weightDecay });
  const rng = createRng(o.seed + 1);
  const stepsPerEpoch = Math.ceil(train.states.length / o.batchSize);
  const totalSteps = stepsPerEpoch * o.epochs;
  const warmup = Math.max(1, Math.round(totalSteps * o.warmupFraction));
  const snapshot = () => all.map((p) => Float64Array.from(p.data));
  const scored = (embeddings: Float64Array, logits: Float64Array) => {
    const n = validation.states.length;
    const loss = n ? softmaxCrossEntropy(logits, n, c, validation.targets).loss : 0;
    return { embeddings, logits, loss, report: evaluate(softmaxRows(logits, n, c), n, labels, validation.targets) };
  };
  const scoreValidation = async () => {
    const { embeddings, logits } = await encodeSplit(model, engine, validation.states);
    return scored(embeddings, logits);
  };
  // Epoch 0 is the probe on the step-0 embeddings already at hand: no second pass.
  const start = scored(valEmb0, model.head.forward(valEmb0, validation.states.length).logits);
  // Without the probe in the running, the first adapted epoch replaces it whatever it scores.
  let best = { f1: o.probeCompetes ? start.report.macroF1 : -Infinity, loss: start.loss, epoch: 0, weights: snapshot(), embeddings: start.embeddings, logits: start.logits };
  const history: EpochRecord[] = [];
  let step = 0;
  let stoppedEarly = false;
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    const started = performance.now();
    let lossSum = 0;
    let lr = 0;
    for (const idx of lengthBatches(train.states, o.batchSize, rng)) {
      const batch = hiddenBatch(engine, idx.map((i) => train.states[i] as Float32Array), D);
      for (const p of all) p.grad.fill(0);
      const pass = await model.forward(batch, true);
      const l = softmaxCrossEntropy(pass.logits, idx.length, c, Int32Array.from(idx, (i) => train.targets[i] as number));
      await pass.backward(l.grad);
      clipGradients(all, o.maxGradNorm);
      lr = learningRateAt(step, totalSteps, o.learningRate, warmup);
      encOpt.step(lr);
      headOpt.step(learningRateAt(step, totalSteps, o.headLearningRate, warmup));
      // Counted outside the optional call: `onStep?.(++step)` skips the increment when no
      // callback is given, which froze the schedule at its first warm-up rate.
      step++;
      input.onStep?.(step, totalSteps);
      lossSum += l.loss * idx.length;
    }
    const val = await scoreValidation();
    const record: EpochRecord = { epoch, trainLoss: lossSum / train.states.length, valLoss: val.loss, valAccuracy: val.report.accuracy, valMacroF1: val.report.macroF1,
      learningRate: lr, seconds: (performance.now() - started) / 1000 };
    history.push(record);
    input.onEpoch?.(record, o.epochs);
    if (val.report.macroF1 > best.f1 + 1e-9 || (val.report.macroF1 >= best.f1 - 1e-9 && val.loss < best.loss - 1e-6)) {
      best = { f1: val.report.macroF1, loss: val.loss, epoch, weights: snapshot(), embeddings: val.embeddings, logits: val.logits };
    } else if (epoch - best.epoch >= o.patience) {
      stoppedEarly = epoch < o.epochs;
      break;
    }
  }
  all.forEach((p, i) => p.data.set(best.weights[i] as Float64Array));
  const n = validation.states.length;
  const temperature = n ? fitTemperature(best.logits, n, c, validation.targets) : 1;
  return { model, options: o, history, bestEpoch: best.epoch, stoppedEarly, temperature, validationEmbeddings: best.embeddings, validationLogits: best.logits,
    probeMacroF1, trainedParameters: all.reduce((a, p) => a + p.data.length, 0) };
}
