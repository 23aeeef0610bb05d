import { predictLogits, stratifiedSplit, trainHead, type EmbeddedSplit, type TrainOptions, type TrainResult } from '@tuneline/finetune';
import { labelMetrics, type LabelMetrics } from './sentiment-quality-metrics';

/**
 * Choosing the classifier head without touching the test part: the training part is split
 * again (stratified) into a fit part and a selection part; each candidate trains on the fit
 * part (early stopping on a further stratified 15% of it, as finetune() does) and is scored
 * on the selection part. Works on cached embeddings, so a candidate costs head training only.
 */
export interface HeadCandidate {
  readonly name: string;
  readonly options: Partial<TrainOptions>;
}

/** The MLP settings are the ones docs/benchmarks.md measured best for it (lr 1e-3, dropout 0.2). */
const MLP: Partial<TrainOptions> = { head: 'mlp', hiddenDim: 256, dropout: 0.2, learningRate: 1e-3 };

/** Library defaults first: a tie keeps the earlier (simpler) candidate. */
export const HEAD_CANDIDATES: readonly HeadCandidate[] = [
  { name: 'linear', options: {} },
  { name: 'linear-balanced', options: { classWeights: 'balanced' } },
  { name: 'mlp', options: MLP },
  { name: 'mlp-balanced', options: { ...MLP, classWeights: 'balanced' } },
];

/** Share of the training part the candidates are scored on. */
export const HEAD_SELECTION_FRACTION = 0.2;

/** finetune()'s own early-stopping share of the data it is given. */
export const EARLY_STOPPING_FRACTION = 0.15;

export interface CandidateScore {
  readonly name: string;
  readonly options: Partial<TrainOptions>;
  readonly selection: LabelMetrics;
  readonly epochsRun: number;
  readonly seconds: number;
}

export interface HeadSelection {
  readonly fitRows: number;
  readonly selectionRows: number;
  readonly scores: readonly CandidateScore[];
  readonly best: CandidateScore;
}

export interface LabelledVectors {
  /** Row-major [n×dim]. */
  readonly X: Float64Array;
  readonly dim: number;
  readonly labels: readonly string[];
  /** Gold label per row. */
  readonly gold: readonly string[];
}

/** Highest selection macro-F1; ties go to the earlier candidate. */
export function bestCandidate(scores: readonly CandidateScore[]): CandidateScore {
  if (scores.length === 0) throw new RangeError('scores: no candidates were scored');
  return scores.reduce((best, s) => (s.selection.macroF1 > best.selection.macroF1 ? s : best));
}

function subset(data: LabelledVectors, rows: readonly number[]): EmbeddedSplit {
  const X = new Float64Array(rows.length * data.dim);
  const targets = new Int32Array(rows.length);
  rows.forEach((r, i) => {
    X.set(data.X.subarray(r * data.dim, (r + 1) * data.dim), i * data.dim);
    targets[i] = data.labels.indexOf(data.gold[r] as string);
  });
  return { X, n: rows.length, targets };
}

/** Row indices of the three parts: fit (trains), early (early stopping), select (scores the candidates). */
export interface SelectionParts {
  readonly fit: readonly number[];
  readonly early: readonly number[];
  readonly select: readonly number[];
}

export function selectionParts(gold: readonly string[], selectionFraction: number, seed: number): SelectionParts {
  const all = Array.from({ length: gold.length }, (_, i) => i);
  const labelOf = (i: number) => gold[i] as string;
  const { train: fitAll, validation: select } = stratifiedSplit(all, labelOf, selectionFraction, seed);
  const { train: fit, validation: early } = stratifiedSplit(fitAll, labelOf, EARLY_STOPPING_FRACTION, seed);
  return { fit, early, select };
}

function checkData(data: LabelledVectors): void {
  const n = data.gold.length;
  if (data.X.length !== n * data.dim) throw new RangeError(`X: expected ${n}×${data.dim} values, got ${data.X.length}`);
  data.gold.forEach((g, i) => {
    if (!data.labels.includes(g)) throw new RangeError(`gold[${i}]: "${g}" is not one of [${data.labels.join(', ')}]`);
  });
}

/** One candidate trained on the fit part, early-stopped on the early part. */
export function trainCandidate(data: LabelledVectors, parts: SelectionParts, candidate: HeadCandidate, seed: number): TrainResult {
  checkData(data);
  return trainHead({ dim: data.dim, labels: data.labels, train: subset(data, parts.fit), validation: subset(data, parts.early), options: { seed, ...candidate.options } });
}

/** Argmax label of each row of logits [n×labels]. */
export function argmaxLabels(logits: Float64Array, labels: readonly string[]): string[] {
  const k = labels.length;
  const n = logits.length / k;
  return Array.from({ length: n }, (_, i) => {
    let best = 0;
    for (let j = 1; j < k; j++) if ((logits[i * k + j] as number) > (logits[i * k + best] as number)) best = j;
    return labels[best] as string;
  });
}

export function selectHead(data: LabelledVectors, candidates: readonly HeadCandidate[], o: { selectionFraction: number; seed: number; log?: (m: string) => void }): HeadSelection {
  checkData(data);
  const parts = selectionParts(data.gold, o.selectionFraction, o.seed);
  const selectSplit = subset(data, parts.select);
  const selectGold = parts.select.map((i) => data.gold[i] as string);
  const scores = candidates.map((c): CandidateScore => {
    const t0 = performance.now();
    const res = trainCandidate(data, parts, c, o.seed);
    const predicted = argmaxLabels(predictLogits(res.head, selectSplit.X, selectSplit.n), data.labels);
    const score = { name: c.name, options: c.options, selection: labelMetrics(selectGold, predicted, data.labels), epochsRun: res.history.length, seconds: (performance.now() - t0) / 1000 };
    o.log?.(`head ${c.name}: selection accuracy ${score.selection.accuracy.toFixed(4)} macro-F1 ${score.selection.macroF1.toFixed(4)} (${score.epochsRun} epochs, ${score.seconds.toFixed(1)} s)`);
    return score;
  });
  return { fitRows: parts.fit.length + parts.early.length, selectionRows: parts.select.length, scores, best: bestCandidate(scores) };
}
