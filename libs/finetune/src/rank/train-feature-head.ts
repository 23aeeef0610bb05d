import type { Head } from '../heads/head';
import { headWeights, type HeadWeights } from '../heads/head';
import { sigmoidBinaryCrossEntropy } from '../heads/losses';
import { createRng, shuffleInPlace, type Rng } from '../math/random';
import { AdamW, learningRateAt } from '../train/adamw';
import { createHead } from '../train/train-head';
import { DEFAULT_TRAIN_OPTIONS } from '../train/train-options';
import { DEFAULT_FEATURE_HEAD_OPTIONS, validateFeatureHeadOptions, type FeatureHeadOptions } from './feature-head-options';
import { groupAuc, groupNdcg } from './group-auc';
import { featureNormalization, normalizeRows, type FeatureNormalization } from './normalization';

/** Feature vectors [n × dim] with 1 (positive) / 0 (negative) labels, grouped by query (a user). */
export interface FeatureRows {
  readonly X: Float32Array | Float64Array;
  readonly n: number;
  readonly labels: Uint8Array;
  /** Group of each row; pairwise training and the AUC compare rows of one group only. */
  readonly groups: Int32Array;
}

export interface FeatureEpochRecord {
  readonly epoch: number;
  readonly trainLoss: number;
  /** Mean over validation groups of P(score of a positive > score of a negative). */
  readonly validationAuc: number;
  /** Mean over validation groups with a positive of NDCG@10 within the group. */
  readonly validationNdcg10: number;
  readonly learningRate: number;
  readonly seconds: number;
}

export interface FeatureHeadInput {
  readonly featureNames: readonly string[];
  readonly train: FeatureRows;
  readonly validation: FeatureRows;
  readonly options?: Partial<FeatureHeadOptions>;
  /** Use this normalisation instead of fitting one on `train` (members of an ensemble share one). */
  readonly normalization?: FeatureNormalization;
  readonly onEpoch?: (record: FeatureEpochRecord, totalEpochs: number) => void;
}

/** A trained scorer of feature vectors: z-score the row with `normalization`, then the head's one output. */
export interface FeatureHead {
  readonly featureNames: readonly string[];
  readonly weights: HeadWeights;
  readonly normalization: FeatureNormalization;
}

export interface FeatureHeadResult extends FeatureHead {
  readonly head: Head;
  readonly history: readonly FeatureEpochRecord[];
  readonly bestEpoch: number;
  readonly validationAuc: number;
  readonly validationNdcg10: number;
  readonly options: FeatureHeadOptions;
}

function checkRows(rows: FeatureRows, dim: number, field: string): void {
  if (!Number.isInteger(rows?.n) || rows.n < 0) throw new RangeError(`${field}.n must be an integer >= 0`);
  if (rows.X.length !== rows.n * dim) throw new RangeError(`${field}.X has ${rows.X.length} values, expected n × dim = ${rows.n * dim}`);
  if (rows.labels.length !== rows.n) throw new RangeError(`${field}.labels has ${rows.labels.length} entries, expected ${rows.n}`);
  if (rows.groups.length !== rows.n) throw new RangeError(`${field}.groups has ${rows.groups.length} entries, expected ${rows.n}`);
  for (let i = 0; i < rows.X.length; i++) if (!Number.isFinite(rows.X[i])) throw new RangeError(`${field}.X[${i}] is not finite`);
}

/** Per group: its positive and negative rows. */
function pairsByGroup(rows: FeatureRows): { pos: number[]; negOf: Map<number, number[]> } {
  const pos: number[] = [];
  const negOf = new Map<number, number[]>();
  for (let i = 0; i < rows.n; i++) {
    if (rows.labels[i]) pos.push(i);
    else {
      const g = rows.groups[i] as number;
      const list = negOf.get(g);
      if (list) list.push(i);
      else negOf.set(g, [i]);
    }
  }
  return { pos: pos.filter((i) => negOf.has(rows.groups[i] as number)), negOf };
}

function gather(X: Float64Array, dim: number, idx: readonly number[]): Float64Array {
  const out = new Float64Array(idx.length * dim);
  idx.forEach((r, i) => out.set(X.subarray(r * dim, (r + 1) * dim), i * dim));
  return out;
}

/**
 * Trains a one-output head on feature rows (pairwise BPR by default), with AdamW under the
 * warm-up + cosine schedule, keeping the epoch of best validation group AUC.
 */
export function trainFeatureHead(input: FeatureHeadInput): FeatureHeadResult {
  const o = validateFeatureHeadOptions({ ...DEFAULT_FEATURE_HEAD_OPTIONS, ...input.options });
  const names = input.featureNames;
  if (!Array.isArray(names) || names.length === 0 || !names.every((n) => typeof n === 'string' && n)) throw new TypeError('featureNames must be a non-empty array of names');
  const dim = names.length;
  checkRows(input.train, dim, 'train');
  checkRows(input.validation, dim, 'validation');
  const normalization = input.normalization ?? featureNormalization(input.train.X, input.train.n, names);
  if (normalization.mean.length !== dim || normalization.std.length !== dim || normalization.std.some((s) => !(s > 0))) {
    throw new RangeError(`normalization must have ${dim} means and ${dim} positive standard deviations`);
  }
  const X = normalizeRows(input.train.X, input.train.n, normalization);
  const V = normalizeRows(input.validation.X, input.validation.n, normalization);
  const head = createHead({ ...DEFAULT_TRAIN_OPTIONS, head: o.head, hiddenDim: o.hiddenDim, dropout: o.dropout }, dim, 1, o.seed);
  const rng = createRng(o.seed + 1);
  const opt = new AdamW(head.params, { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: o.weightDecay });
  const { pos, negOf } = pairsByGroup(input.train);
  const lists = o.loss === 'listwise' ? rankedLists(input.train) : [];
  const units = o.loss === 'pairwise' ? pos.length : o.loss === 'listwise' ? lists.length : input.train.n;
  if (units === 0) throw new RangeError(o.loss === 'pointwise' ? 'train is empty' : 'train has no group with both a positive and a negative');
  const batchSize = o.loss === 'listwise' ? Math.max(1, Math.round(o.batchSize / 16)) : o.batchSize;
  const stepsPerEpoch = Math.ceil(units / batchSize);
  const epochLimit = Math.max(o.epochs, Math.ceil(o.minSteps / stepsPerEpoch));
  const totalSteps = stepsPerEpoch * epochLimit;
  const warmup = Math.max(1, Math.round(totalSteps * o.warmupFraction));
  const order = o.loss === 'pairwise' ? pos.slice() : Array.from({ length: units }, (_, i) => i);
  const history: FeatureEpochRecord[] = [];
  let best = { metric: -1, auc: NaN, ndcg: NaN, epoch: 0, weights: head.params.map((p) => Float64Array.from(p.data)) };
  let step = 0;
  const predict = (M: Float64Array, n: number) => head.forward(M, n, false).logits;
  for (let epoch = 1; epoch <= epochLimit; epoch++) {
    const started = performance.now();
    shuffleInPlace(order, rng);
    let lossSum = 0;
    let lr = 0;
    for (let s = 0; s < order.length; s += batchSize) {
      const batch = order.slice(s, s + batchSize);
      opt.zeroGrad();
      const l = o.loss === 'pairwise' ? pairwiseStep(head, X, dim, batch, input.train, negOf, rng, o.negativeSamples)
        : o.loss === 'listwise' ? listwiseStep(head, X, dim, batch.map((g) => lists[g] as number[]), input.train, rng)
          : pointwiseStep(head, X, dim, batch, input.train, rng);
      lr = learningRateAt(step++, totalSteps, o.learningRate, warmup);
      opt.step(lr);
      lossSum += l * batch.length;
    }
    const valScores = predict(V, input.validation.n);
    const auc = groupAuc(valScores, input.validation.labels, input.validation.groups);
    const ndcg = groupNdcg(valScores, input.validation.labels, input.validation.groups, 10);
    const record = { epoch, trainLoss: lossSum / order.length, validationAuc: auc, validationNdcg10: ndcg, learningRate: lr, seconds: (performance.now() - started) / 1000 };
    history.push(record);
    input.onEpoch?.(record, epochLimit);
    const metric = o.selectBy === 'auc' ? auc : o.selectBy === 'ndcg10' ? ndcg : epoch;
    if (metric > best.metric + 1e-6 || best.epoch === 0) best = { metric, auc, ndcg, epoch, weights: head.params.map((p) => Float64Array.from(p.data)) };
    else if (epoch - best.epoch >= o.patience && step >= o.minSteps) break; // a tiny set's epochs are single steps: no verdict before minSteps
  }
  head.params.forEach((p, k) => p.data.set(best.weights[k] as Float64Array));
  return {
    featureNames: [...names], weights: headWeights(head, o.head === 'mlp' ? o.hiddenDim : undefined), normalization,
    head, history, bestEpoch: best.epoch, validationAuc: best.auc, validationNdcg10: best.ndcg, options: o,
  };
}

/**
 * BPR on (positive, negative of its group) pairs; the negative is the best-scoring of
 * `samples` random ones (1: uniform). Returns the batch's mean loss.
 */
function pairwiseStep(head: Head, X: Float64Array, dim: number, batch: readonly number[], rows: FeatureRows, negOf: Map<number, number[]>, rng: Rng, samples: number): number {
  const b = batch.length;
  const idx = new Array<number>(2 * b);
  const drawn = new Array<number>(b * samples);
  batch.forEach((p, i) => {
    const negs = negOf.get(rows.groups[p] as number) as number[];
    idx[i] = p;
    for (let s = 0; s < samples; s++) drawn[i * samples + s] = negs[Math.floor(rng() * negs.length)] as number;
  });
  if (samples === 1) drawn.forEach((r, i) => (idx[b + i] = r));
  else {
    const scored = head.forward(gather(X, dim, drawn), drawn.length, false).logits;
    for (let i = 0; i < b; i++) {
      let at = i * samples;
      for (let s = 1; s < samples; s++) if ((scored[i * samples + s] as number) > (scored[at] as number)) at = i * samples + s;
      idx[b + i] = drawn[at] as number;
    }
  }
  const fwd = head.forward(gather(X, dim, idx), 2 * b, true, rng);
  const grad = new Float64Array(2 * b);
  let loss = 0;
  for (let i = 0; i < b; i++) {
    const d = (fwd.logits[i] as number) - (fwd.logits[b + i] as number);
    // −log σ(d) = softplus(−d), written stably; its derivative is −σ(−d).
    loss += Math.max(-d, 0) + Math.log1p(Math.exp(-Math.abs(d)));
    const g = -1 / (1 + Math.exp(d)) / b;
    grad[i] = g;
    grad[b + i] = -g;
  }
  fwd.backward(grad);
  return loss / b;
}

/** Rows of each group that has both a positive and a negative. */
function rankedLists(rows: FeatureRows): number[][] {
  const byGroup = new Map<number, number[]>();
  for (let i = 0; i < rows.n; i++) {
    const g = rows.groups[i] as number;
    const list = byGroup.get(g);
    if (list) list.push(i);
    else byGroup.set(g, [i]);
  }
  return [...byGroup.values()].filter((l) => l.some((r) => rows.labels[r]) && l.some((r) => !rows.labels[r]));
}

/** Softmax cross-entropy per group against its positives (uniform target); the batch's mean loss. */
function listwiseStep(head: Head, X: Float64Array, dim: number, groups: readonly number[][], rows: FeatureRows, rng: Rng): number {
  const idx = groups.flat();
  const fwd = head.forward(gather(X, dim, idx), idx.length, true, rng);
  const grad = new Float64Array(idx.length);
  let loss = 0;
  let at = 0;
  for (const g of groups) {
    let max = -Infinity;
    for (let k = 0; k < g.length; k++) max = Math.max(max, fwd.logits[at + k] as number);
    let z = 0;
    for (let k = 0; k < g.length; k++) z += Math.exp((fwd.logits[at + k] as number) - max);
    const positives = g.filter((r) => rows.labels[r]).length;
    for (let k = 0; k < g.length; k++) {
      const p = Math.exp((fwd.logits[at + k] as number) - max) / z;
      const y = rows.labels[g[k] as number] ? 1 / positives : 0;
      if (y > 0) loss -= y * Math.log(Math.max(p, 1e-300));
      grad[at + k] = (p - y) / groups.length;
    }
    at += g.length;
  }
  fwd.backward(grad);
  return loss / groups.length;
}

function pointwiseStep(head: Head, X: Float64Array, dim: number, batch: readonly number[], rows: FeatureRows, rng: Rng): number {
  const fwd = head.forward(gather(X, dim, batch), batch.length, true, rng);
  const T = Float64Array.from(batch, (r) => rows.labels[r] as number);
  const l = sigmoidBinaryCrossEntropy(fwd.logits, batch.length, 1, T);
  fwd.backward(l.grad);
  return l.loss;
}
