import type { DatasetFields } from '../data/dataset-fields';
import { stratifiedSplit } from '../data/split';
import { readTaskRows, type TaskRow, type TextTask } from '../data/task-rows';

export interface PrepareDataInput {
  readonly task: TextTask;
  readonly dataFile: string;
  readonly validationFile?: string;
  readonly validationFraction?: number;
  readonly seed?: number;
  readonly fields?: DatasetFields;
}

export interface PreparedData {
  /** Rows of the training file (before the split). */
  readonly rows: readonly TaskRow[];
  /** Sorted; the model's output order. */
  readonly labels: readonly string[];
  readonly train: readonly TaskRow[];
  readonly validation: readonly TaskRow[];
}

export const DEFAULT_VALIDATION_FRACTION = 0.15;
export const DEFAULT_SPLIT_SEED = 42;

/** Stage 1: load and validate the data, fix the label set, split off validation. */
export async function prepareData(input: PrepareDataInput): Promise<PreparedData> {
  const fields = input.fields ? { fields: input.fields } : {};
  const rows = await readTaskRows(input.dataFile, input.task, fields);
  const labels = [...new Set(rows.flatMap((r) => r.labels))].sort();
  if (labels.length < 2) throw new RangeError(`${input.dataFile}: need at least 2 distinct labels, found ${labels.length}`);
  if (input.validationFile) {
    return { rows, labels, train: rows, validation: await readTaskRows(input.validationFile, input.task, { knownLabels: labels, ...fields }) };
  }
  const split = stratifiedSplit(rows, (r) => r.labels[0] as string, input.validationFraction ?? DEFAULT_VALIDATION_FRACTION, input.seed ?? DEFAULT_SPLIT_SEED);
  return { rows, labels, ...split };
}
