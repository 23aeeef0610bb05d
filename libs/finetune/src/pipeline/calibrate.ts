import { evaluate, type EvaluationReport } from '../eval/metrics';
import type { Head } from '../heads/head';
import { sigmoid, softmaxRows } from '../math/linear-algebra';
import { predictLogits, type EmbeddedSplit } from '../train/train-head';

export interface CalibrationReport {
  /** Metrics of softmax(logits / T) (sigmoid for multilabel): what the fused graph serves. */
  readonly calibrated: EvaluationReport;
  /** The same at T = 1, to show what temperature scaling bought. */
  readonly uncalibrated: EvaluationReport;
}

/** Stage 4: score the head on a split with and without its temperature. */
export function calibrationReport(head: Head, split: EmbeddedSplit, labels: readonly string[], temperature: number, multilabel: boolean): CalibrationReport {
  const logits = predictLogits(head, split.X, split.n);
  const probs = (T: number) => (multilabel ? logits.map((z) => sigmoid(z / T)) : softmaxRows(logits, split.n, labels.length, T));
  return {
    calibrated: evaluate(probs(temperature), split.n, labels, split.targets),
    uncalibrated: evaluate(probs(1), split.n, labels, split.targets),
  };
}
