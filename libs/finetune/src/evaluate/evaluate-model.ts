import type { Prediction } from '@tuneline/inference';
import type { DatasetFields } from '../data/dataset-fields';
import { readTaskRows, type TextTask } from '../data/task-rows';
import { evaluate, type EvaluationReport } from '../eval/metrics';
import { openPredictor, type PredictOptions } from './predict-texts';

export type EvaluateTask = TextTask;

/** The requested task does not fit the model (e.g. multilabel data on a single-label model). */
export class TaskMismatchError extends Error {
  readonly code = 'INVALID_ARGUMENT';
  readonly retriable = false;
  constructor(message: string) {
    super(message);
    this.name = 'TaskMismatchError';
  }
}

export interface RowPrediction {
  readonly line: number;
  readonly id: string;
  readonly text: string;
  readonly expected: readonly string[];
  readonly predicted: string;
  readonly labels: readonly string[];
  readonly scores: Readonly<Record<string, number>>;
  /** The predicted label is the (first) expected one: what accuracy counts. */
  readonly correct: boolean;
}

export interface FileEvaluation extends EvaluationReport {
  readonly file: string;
  readonly task: EvaluateTask;
  /** The model's labels: the order of `confusion` rows and columns. */
  readonly labels: readonly string[];
  readonly predictions?: readonly RowPrediction[];
}

export interface EvaluateFileOptions extends PredictOptions {
  readonly includePredictions?: boolean;
  /** Column names when the file does not use text / label / labels / text_a / text_b. */
  readonly fields?: DatasetFields;
}

/**
 * Scores a trained model directory on a labelled file. Labels the model does not know are
 * a DatasetError naming the line. Metrics are computed as in training: accuracy and the
 * confusion matrix use the first expected label (multilabel rows included).
 */
export async function evaluateModelOnFile(modelDir: string, file: string, task: EvaluateTask, options: EvaluateFileOptions = {}): Promise<FileEvaluation> {
  const predictor = await openPredictor(modelDir);
  try {
    if ((task === 'multilabel') !== (predictor.task === 'multilabel')) {
      throw new TaskMismatchError(`task "${task}" does not fit ${modelDir}, a ${predictor.task} model`);
    }
    const labels = predictor.labels;
    // The reader training uses, so pair texts are joined exactly as the model was trained on.
    const rows = await readTaskRows(file, task, { knownLabels: labels, ...(options.fields ? { fields: options.fields } : {}) });
    const predictions: Prediction[] = await predictor.predict(rows.map((r) => r.text), options);
    const c = labels.length;
    const index = new Map(labels.map((l, i) => [l, i]));
    const P = new Float64Array(rows.length * c);
    predictions.forEach((p, i) => labels.forEach((l, j) => { P[i * c + j] = p.scores[l] ?? 0; }));
    const targets = Int32Array.from(rows.map((r) => index.get(r.labels[0] as string) as number));
    const report = evaluate(P, rows.length, labels, targets);
    const result: FileEvaluation = { ...report, file, task, labels };
    if (!options.includePredictions) return result;
    return {
      ...result,
      predictions: rows.map((r, i) => {
        const p = predictions[i] as Prediction;
        return { line: r.line, id: r.id, text: r.text, expected: r.labels, predicted: p.label, labels: p.labels, scores: p.scores, correct: p.label === r.labels[0] };
      }),
    };
  } finally {
    await predictor.dispose();
  }
}
