import type { DatasetFields } from './dataset-fields';
import { loadDataset } from './load-dataset';
import { joinPairText } from './pair-text';

/** Tasks whose rows become one text and one or more labels. */
export type TextTask = 'classify' | 'multilabel' | 'pair';

/** A dataset row as the encoder sees it: pair rows already joined (pair-text.ts). */
export interface TaskRow {
  readonly line: number;
  readonly id: string;
  readonly text: string;
  readonly labels: readonly string[];
}

export interface TaskRowOptions {
  readonly knownLabels?: readonly string[];
  readonly fields?: DatasetFields;
}

/** The one reader training and evaluation share, so both see the same texts. */
export async function readTaskRows(file: string, task: TextTask, options: TaskRowOptions = {}): Promise<TaskRow[]> {
  const opts = { ...(options.knownLabels ? { knownLabels: options.knownLabels } : {}), ...(options.fields ? { fields: options.fields } : {}) };
  if (task === 'classify') return (await loadDataset(file, 'classify', opts)).map((r) => ({ line: r.line, id: r.id, text: r.text, labels: [r.label] }));
  if (task === 'multilabel') return (await loadDataset(file, 'multilabel', opts)).map((r) => ({ line: r.line, id: r.id, text: r.text, labels: r.labels }));
  return (await loadDataset(file, 'pair', opts)).map((r) => ({ line: r.line, id: r.id, text: joinPairText(r.textA, r.textB), labels: [r.label] }));
}
