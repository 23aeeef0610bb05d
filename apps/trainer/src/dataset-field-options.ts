import { InvalidArgumentError, type Command } from 'commander';
import type { DatasetFields } from '@tuneline/finetune';

/** Flags naming dataset columns (e.g. Banking77's CSV has `text,category`). */
export interface DatasetFieldFlags {
  readonly textField?: string;
  readonly labelField?: string;
  readonly textAField?: string;
  readonly textBField?: string;
}

export function columnNameOption(value: string): string {
  const name = value.trim();
  if (name === '') throw new InvalidArgumentError('expected a column name');
  return name;
}

/** Adds the column flags; `withLabel` false for predict, whose input has no labels. */
export function addDatasetFieldOptions(cmd: Command, withLabel = true): Command {
  cmd.option('--text-field <column>', 'column holding the text (default text)', columnNameOption);
  if (withLabel) cmd.option('--label-field <column>', 'column holding the label (default label; labels for multilabel)', columnNameOption);
  return cmd
    .option('--text-a-field <column>', 'pairs: column holding the first text (default text_a)', columnNameOption)
    .option('--text-b-field <column>', 'pairs: column holding the second text (default text_b)', columnNameOption);
}

/** The flags given, as @tuneline/finetune dataset fields; unset flags keep the loader's defaults. */
export function datasetFieldsFrom(o: DatasetFieldFlags): DatasetFields {
  return {
    ...(o.textField !== undefined ? { text: o.textField } : {}),
    ...(o.labelField !== undefined ? { label: o.labelField } : {}),
    ...(o.textAField !== undefined ? { textA: o.textAField } : {}),
    ...(o.textBField !== undefined ? { textB: o.textBField } : {}),
  };
}
