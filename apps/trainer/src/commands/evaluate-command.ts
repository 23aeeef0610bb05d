import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { evaluateModelOnFile, resolveTrainedModelDir, type EvaluateTask, type FileEvaluation } from '@tuneline/finetune';
import { addDatasetFieldOptions, datasetFieldsFrom, type DatasetFieldFlags } from '../dataset-field-options';
import { writeJsonLine, type CliIO } from '../io';
import { FINETUNE_TASKS } from './finetune-command';

export interface EvaluateCliOptions extends DatasetFieldFlags {
  readonly model: string;
  readonly data: string;
  readonly task: EvaluateTask;
  readonly out?: string;
  readonly predictions?: string;
  readonly json?: boolean;
}

/** What --out and --json write: the evaluation without per-row predictions. */
export interface MetricsDocument {
  readonly model: string;
  readonly data: string;
  readonly task: EvaluateTask;
  readonly evaluatedAt: string;
  readonly count: number;
  readonly accuracy: number;
  readonly macroF1: number;
  readonly ece: number;
  readonly nll: number;
  readonly labels: readonly string[];
  readonly perClass: FileEvaluation['perClass'];
  readonly confusion: FileEvaluation['confusion'];
}

export function metricsDocument(model: string, data: string, r: FileEvaluation, now = new Date()): MetricsDocument {
  return {
    model, data, task: r.task, evaluatedAt: now.toISOString(), count: r.count, accuracy: r.accuracy, macroF1: r.macroF1,
    ece: r.ece, nll: r.nll, labels: r.labels, perClass: r.perClass, confusion: r.confusion,
  };
}

function columns(rows: readonly (readonly string[])[], rightFrom = 1): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((c, i) => (i >= rightFrom ? c.padStart(widths[i] as number) : c.padEnd(widths[i] as number))).join('  ').trimEnd()).join('\n');
}

/** Human-readable summary and per-class table for the terminal. */
export function formatMetricsTable(doc: MetricsDocument): string {
  const f = (n: number) => n.toFixed(4);
  const summary = columns([
    ['model', doc.model],
    ['data', `${doc.data} (${doc.count} rows, task ${doc.task})`],
    ['accuracy', f(doc.accuracy)],
    ['macro-F1', f(doc.macroF1)],
    ['ECE', f(doc.ece)],
    ['NLL', f(doc.nll)],
  ], 2);
  const perClass = columns([
    ['label', 'precision', 'recall', 'F1', 'support'],
    ...doc.labels.map((l) => {
      const m = doc.perClass[l];
      return m ? [l, f(m.precision), f(m.recall), f(m.f1), String(m.support)] : [l, '-', '-', '-', '0'];
    }),
  ]);
  return `${summary}\n\n${perClass}\n`;
}

async function writeOut(file: string, content: string): Promise<void> {
  await mkdir(dirname(resolve(file)), { recursive: true });
  await writeFile(file, content);
}

async function runEvaluate(o: EvaluateCliOptions, io: CliIO): Promise<void> {
  const model = resolveTrainedModelDir(o.model);
  const result = await evaluateModelOnFile(model, o.data, o.task, { includePredictions: o.predictions !== undefined, fields: datasetFieldsFrom(o) });
  const doc = metricsDocument(model, resolve(o.data), result);
  if (o.out) await writeOut(o.out, `${JSON.stringify(doc, null, 2)}\n`);
  if (o.predictions) await writeOut(o.predictions, (result.predictions ?? []).map((p) => JSON.stringify(p)).join('\n') + '\n');
  if (o.json === true) writeJsonLine(io, doc);
  else io.stdout.write(formatMetricsTable(doc));
}

export function registerEvaluateCommand(program: Command, io: CliIO): Command {
  const cmd = program
    .command('evaluate')
    .description('score a trained model on a labelled file: metrics table on stdout, JSON with --out')
    .requiredOption('--model <dir>', 'model version directory, or <repo>/<name> for its latest version')
    .requiredOption('--data <file>', 'labelled data (.jsonl or .csv), same fields as for finetune')
    .addOption(new Option('--task <task>', 'task of the data').choices(FINETUNE_TASKS).default('classify'));
  return addDatasetFieldOptions(cmd)
    .option('--out <file>', 'write the metrics as JSON (e.g. metrics.json)')
    .option('--predictions <file>', 'write one JSON line per row: expected, predicted, scores, correct')
    .option('--json', 'print the metrics JSON on stdout instead of the table')
    .action((opts: EvaluateCliOptions) => runEvaluate(opts, io));
}
