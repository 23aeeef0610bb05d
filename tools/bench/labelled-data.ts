import { existsSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { UsageError } from './bench-cli';
import { fieldOf, readRecords } from './sentences';

/** Labelled data for the quality bench and the probe: built-in names under --data-dir, or any file via --data. */
export interface LabelledSpec {
  readonly name: string;
  readonly file: string;
  readonly textField: string;
  readonly labelField: string;
}

export interface Row { readonly text: string; readonly label: string }

/** The ../shared/datasets training splits by name, with their field names (see its README). */
export const BUILTIN_DATASETS: Readonly<Record<string, { file: string; textField: string; labelField: string }>> = {
  banking77: { file: 'banking77/train.csv', textField: 'text', labelField: 'category' },
  financial_phrasebank: { file: 'financial_phrasebank/train.jsonl', textField: 'text', labelField: 'label' },
};

export const DEFAULT_DATA_DIR = '../shared/datasets';

export interface DatasetFlags {
  readonly datasets: readonly string[];
  readonly dataDir: string;
  /** One file instead of the named datasets. */
  readonly data?: string;
  readonly textField: string;
  readonly labelField: string;
}

/** Every file must exist before anything is trained: a UsageError names what is missing and what to pass. */
export function resolveDatasets(flags: DatasetFlags, root: string): LabelledSpec[] {
  if (flags.data) {
    const file = resolve(root, flags.data);
    if (!existsSync(file)) throw new UsageError(`--data ${flags.data}: file not found (${file})`);
    return [{ name: basename(file, extname(file)), file, textField: flags.textField, labelField: flags.labelField }];
  }
  const dir = resolve(root, flags.dataDir);
  return flags.datasets.map((name) => {
    const b = BUILTIN_DATASETS[name];
    if (!b) throw new UsageError(`unknown dataset "${name}" (known: ${Object.keys(BUILTIN_DATASETS).join(', ')}); for any other file use --data <file> --text-field … --label-field …`);
    const file = join(dir, b.file);
    if (!existsSync(file)) {
      throw new UsageError(`dataset ${name} not found at ${file}: the quality report runs on the ../shared/datasets training splits `
        + '(tests do not). Point --data-dir at a copy, or pass --data <file> with --text-field/--label-field.');
    }
    return { name, file, textField: b.textField, labelField: b.labelField };
  });
}

/** Rows with trimmed texts (nine Banking77 texts carry stray spaces or line breaks). */
export function loadLabelled(spec: LabelledSpec): Row[] {
  const records = readRecords(spec.file);
  const texts = fieldOf(spec.file, records, spec.textField);
  const labels = fieldOf(spec.file, records, spec.labelField);
  return texts.map((t, i) => ({ text: t.trim(), label: labels[i] as string }));
}
