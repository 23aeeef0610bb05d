import type { TaskKind } from './examples';

/** Column names of a dataset, for files that do not use the default ones (e.g. Banking77: `category`). */
export interface DatasetFields {
  readonly text?: string;
  /** The label column; for multilabel the column holding the label list. */
  readonly label?: string;
  readonly textA?: string;
  readonly textB?: string;
}

export type FieldRole = keyof DatasetFields;

const DEFAULT_COLUMNS: Readonly<Record<FieldRole, string>> = { text: 'text', label: 'label', textA: 'text_a', textB: 'text_b' };

/** The CLI flag that sets each role, named in errors so the fix is one flag away. */
export const FIELD_FLAGS: Readonly<Record<FieldRole, string>> = {
  text: '--text-field', label: '--label-field', textA: '--text-a-field', textB: '--text-b-field',
};

export function columnFor(role: FieldRole, task: TaskKind, fields: DatasetFields = {}): string {
  const given = fields[role];
  if (given !== undefined) return given;
  return role === 'label' && task === 'multilabel' ? 'labels' : DEFAULT_COLUMNS[role];
}

export function missingColumnReason(role: FieldRole, column: string, found: readonly string[]): string {
  const what = role === 'label' ? 'the labels are' : role === 'text' ? 'the text is' : `${role === 'textA' ? 'the first' : 'the second'} text is`;
  return `missing field "${column}" (columns found: ${found.join(', ') || 'none'}); ` +
    `if ${what} in another column, name it with ${FIELD_FLAGS[role]} (fields.${role})`;
}
