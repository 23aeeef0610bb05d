import { evaluate, type EvaluationReport } from '../eval/metrics';
import { blendWithVote, exemplarVote } from '../export/exemplar-vote';
import type { FusedExemplars } from '../export/fuse-exemplars';
import type { Head } from '../heads/head';
import { sigmoid, softmaxRows } from '../math/linear-algebra';
import { predictLogits, type EmbeddedSplit } from '../train/train-head';

export interface CalibrationReport {
  /** Metrics of softmax(logits / T) (sigmoid for multilabel), blended with the exemplar vote when set: what the fused graph serves. */
  readonly calibrated: EvaluationReport;
  /** The same at T = 1, to show what temperature scaling bought. */
  readonly uncalibrated: EvaluationReport;
  /** With exemplars: the calibrated head alone, to show what the vote bought. */
  readonly headOnly?: EvaluationReport;
}

/** Stage 4: score the head on a split with and without its temperature (and the exemplar vote, when fused). */
export function calibrationReport(head: Head, split: EmbeddedSplit, labels: readonly string[], temperature: number, multilabel: boolean,
  exemplars?: FusedExemplars): CalibrationReport {
  const logits = predictLogits(head, split.X, split.n);
  const headProbs = (T: number) => (multilabel ? logits.map((z) => sigmoid(z / T)) : softmaxRows(logits, split.n, labels.length, T));
  // The vote does not depend on T: computed once (N·D multiply-adds per validation row).
  const vote = exemplars ? exemplarVote(exemplars.set, split.X, split.n, exemplars.options).probabilities : undefined;
  const served = (T: number) => (vote && exemplars ? blendWithVote(headProbs(T), vote, exemplars.options.weight) : headProbs(T));
  return {
    calibrated: evaluate(served(temperature), split.n, labels, split.targets),
    uncalibrated: evaluate(served(1), split.n, labels, split.targets),
    ...(vote ? { headOnly: evaluate(headProbs(temperature), split.n, labels, split.targets) } : {}),
  };
}
