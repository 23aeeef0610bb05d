import { DatasetError } from './dataset-error';
import { columnFor, missingColumnReason, type DatasetFields, type FieldRole } from './dataset-fields';
import type { ExamplesByTask, TaskKind } from './examples';
import { readRows, type RawRow } from './read-rows';

export interface LoadOptions {
  /** Labels the model knows; any other label is an error (e.g. when evaluating a trained model). */
  readonly knownLabels?: readonly string[];
  /** Texts longer than this are refused (documented limit). */
  readonly maxTextChars?: number;
  /** Column names when they differ from text / label / labels / text_a / text_b. */
  readonly fields?: DatasetFields;
}

export const DEFAULT_MAX_TEXT_CHARS = 20_000;

/** Loads and validates a dataset; every error names file and line. */
export async function loadDataset<T extends TaskKind>(file: string, task: T, options: LoadOptions = {}): Promise<ExamplesByTask[T][]> {
  const rows = await readRows(file);
  if (rows.length === 0) throw new DatasetError(file, 0, 'dataset is empty');
  const seenIds = new Map<string, number>();
  const known = options.knownLabels ? new Set(options.knownLabels) : undefined;
  const maxChars = options.maxTextChars ?? DEFAULT_MAX_TEXT_CHARS;

  // An absent column is usually a naming difference: say which columns exist and which option maps them.
  const cell = (row: RawRow, role: FieldRole): { name: string; value: unknown } => {
    const name = columnFor(role, task, options.fields);
    if (!(name in row.fields)) throw new DatasetError(file, row.line, missingColumnReason(role, name, Object.keys(row.fields)));
    return { name, value: row.fields[name] };
  };
  const text = (row: RawRow, field: string, v: unknown): string => {
    if (v === undefined || v === null) throw new DatasetError(file, row.line, `missing field "${field}"`);
    if (typeof v !== 'string') throw new DatasetError(file, row.line, `field "${field}" must be a string`);
    if (v.trim() === '') throw new DatasetError(file, row.line, `field "${field}" is empty`);
    if (v.length > maxChars) throw new DatasetError(file, row.line, `field "${field}" has ${v.length} characters; limit is ${maxChars}`);
    return v.trim();
  };
  const textOf = (row: RawRow, role: FieldRole) => {
    const { name, value } = cell(row, role);
    return text(row, name, value);
  };
  const label = (row: RawRow, value: unknown, field: string): string => {
    if (value === undefined || value === null || String(value).trim() === '') throw new DatasetError(file, row.line, `missing field "${field}"`);
    const l = String(value).trim();
    if (known && !known.has(l)) throw new DatasetError(file, row.line, `unknown label "${l}"; the model knows ${[...known].join(', ')}`);
    return l;
  };
  const labelOf = (row: RawRow) => {
    const { name, value } = cell(row, 'label');
    return label(row, value, name);
  };
  const id = (row: RawRow): string => {
    const raw = row.fields['id'];
    const v = raw === undefined || raw === null || raw === '' ? `line-${row.line}` : String(raw);
    const prev = seenIds.get(v);
    if (prev !== undefined) throw new DatasetError(file, row.line, `duplicate id "${v}" (first seen on line ${prev})`);
    seenIds.set(v, row.line);
    return v;
  };

  const out = rows.map((row) => {
    switch (task) {
      case 'classify':
        return { id: id(row), text: textOf(row, 'text'), label: labelOf(row), line: row.line };
      case 'multilabel': {
        const { name, value } = cell(row, 'label');
        const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split('|') : undefined;
        if (!list) throw new DatasetError(file, row.line, `missing field "${name}" (a JSON array, or "a|b" in CSV)`);
        return { id: id(row), text: textOf(row, 'text'), labels: list.map((l) => label(row, l, name)), line: row.line };
      }
      case 'pair':
        return { id: id(row), textA: textOf(row, 'textA'), textB: textOf(row, 'textB'), label: labelOf(row), line: row.line };
      case 'rank': {
        const l = Number(row.fields['label']);
        if (!(l === 0 || l === 1)) throw new DatasetError(file, row.line, `field "label" must be 0 or 1 for ranking, got ${JSON.stringify(row.fields['label'])}`);
        return { id: id(row), user: text(row, 'user', row.fields['user']), itemText: text(row, 'item_text', row.fields['item_text']), label: l, line: row.line };
      }
      default:
        throw new DatasetError(file, 0, `unknown task "${String(task)}"`);
    }
  });
  return out as ExamplesByTask[T][];
}

export function classCounts(labels: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const l of labels) counts[l] = (counts[l] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}
