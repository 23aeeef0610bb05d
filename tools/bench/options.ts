import { intFlag, listFlag, oddReps, parseFlags, UsageError, type CliDef, type FlagDef, type Help } from './bench-cli';
import { DEFAULT_DATA_DIR, resolveDatasets, type LabelledSpec } from './labelled-data';
import { DEFAULT_TEXT_FILES, resolveTextSource, type TextSource } from './sentences';

/**
 * Flags of every bench driver, parsed without side effects so tools/bench/options.spec.ts
 * can check them; the drivers pass these to runCli (usage → exit 0, UsageError → exit 2).
 */

const TEXT_FLAGS: readonly FlagDef[] = [
  { name: 'texts', default: DEFAULT_TEXT_FILES, help: 'comma-separated text files (.csv/.jsonl/.txt), interleaved; or "samples" for libs/finetune/samples (not comparable)' },
  { name: 'text-field', default: 'text', help: 'field (CSV column or JSON key) holding the text' },
];

const DATASET_FLAGS: readonly FlagDef[] = [
  { name: 'datasets', default: 'banking77,financial_phrasebank', help: 'built-in training splits under --data-dir' },
  { name: 'data-dir', default: DEFAULT_DATA_DIR, help: 'where the built-in datasets live' },
  { name: 'data', default: '', help: 'one labelled file (.csv/.jsonl) instead of --datasets' },
  { name: 'text-field', default: 'text', help: 'text field of --data' },
  { name: 'label-field', default: 'label', help: 'label field of --data' },
];

export const INFERENCE_CLI: CliDef = {
  script: 'tools/bench/inference.ts',
  summary: 'Inference benchmark: raw ORT session, transformers.js, the Encoder under 64 callers, overload; each measurement in its own process, modes interleaved, median of --reps. Writes docs/benchmarks/inference.json.',
  flags: [
    { name: 'n', default: '1000', help: 'texts per measurement' },
    { name: 'models', default: 'default,int8', help: 'catalog models or model directories' },
    { name: 'reps', default: '3', help: 'repetitions, odd (the median run is reported)' },
    ...TEXT_FLAGS,
  ],
};

export const BATCH_TUNING_CLI: CliDef = {
  script: 'tools/bench/batch-tuning.ts',
  summary: 'Batch-size tuning (ADR 0009): the Encoder under 64 callers with maxBatchSize forced to each size, median of --reps. Writes docs/benchmarks/batch-tuning.json.',
  flags: [
    { name: 'n', default: '1000', help: 'texts per measurement' },
    { name: 'reps', default: '3', help: 'repetitions, odd (the median run is reported)' },
    { name: 'sizes', default: '1,4,8,16,32', help: 'maxBatchSize values' },
    { name: 'models', default: 'default,int8', help: 'catalog models or model directories' },
    ...TEXT_FLAGS,
  ],
};

export const QUALITY_CLI: CliDef = {
  script: 'tools/bench/finetune-quality.ts',
  summary: 'Fine-tuning quality: each dataset split 80/20 (stratified, seed 42), library defaults (cold and warm cache) and the MLP head trained on the 80%, scored on the held-out 20% through the fused graph. Writes docs/benchmarks/finetune.json (keeps the logistic-regression probe figures of tools/bench/probe_logreg.py).',
  flags: [{ name: 'base', default: 'default', help: 'base encoder (catalog name or directory)' }, ...DATASET_FLAGS],
};

export const PROBE_EMBEDDINGS_CLI: CliDef = {
  script: 'tools/bench/probe-embeddings.ts',
  summary: 'Dumps the frozen-encoder embeddings of the quality bench\'s split (80/20, stratified, seed 42) as float32 + JSON for tools/bench/probe_logreg.py.',
  flags: [
    { name: 'base', default: 'default', help: 'base encoder (catalog name or directory)' },
    ...DATASET_FLAGS,
    { name: 'out', default: '.cache/bench/probe', help: 'output directory' },
    { name: 'cache', default: '.cache/bench/embeddings', help: 'embedding cache root (reused between runs)' },
  ],
};

export interface InferenceOptions { readonly n: number; readonly reps: number; readonly models: string[]; readonly texts: TextSource }
export interface BatchTuningOptions extends InferenceOptions { readonly sizes: number[] }
export interface QualityOptions {
  readonly base: string;
  readonly datasets: LabelledSpec[];
  /** The dataset flags as resolved, for the JSON's reproducible `command`. */
  readonly flags: string;
}
export interface ProbeEmbeddingsOptions extends QualityOptions { readonly out: string; readonly cache: string }

export function inferenceOptions(argv: readonly string[], root: string): InferenceOptions | Help {
  const p = parseFlags(INFERENCE_CLI, argv);
  if (p.help) return p;
  return { n: intFlag(p.values, 'n'), reps: oddReps(p.values), models: listFlag(p.values, 'models'),
    texts: resolveTextSource(p.values['texts'] as string, p.values['text-field'] as string, root) };
}

export function batchTuningOptions(argv: readonly string[], root: string): BatchTuningOptions | Help {
  const p = parseFlags(BATCH_TUNING_CLI, argv);
  if (p.help) return p;
  const sizes = listFlag(p.values, 'sizes').map(Number);
  if (!sizes.every((s) => Number.isInteger(s) && s >= 1)) throw new UsageError(`--sizes must be integers >= 1, got "${p.values['sizes']}"`);
  return { n: intFlag(p.values, 'n'), reps: oddReps(p.values), models: listFlag(p.values, 'models'), sizes,
    texts: resolveTextSource(p.values['texts'] as string, p.values['text-field'] as string, root) };
}

function datasetFlags(values: Readonly<Record<string, string>>): string {
  if (values['data']) return `--data ${values['data']} --text-field ${values['text-field']} --label-field ${values['label-field']}`;
  return `--datasets ${values['datasets']}${values['data-dir'] === DEFAULT_DATA_DIR ? '' : ` --data-dir ${values['data-dir']}`}`;
}

function datasets(values: Readonly<Record<string, string>>, root: string): LabelledSpec[] {
  return resolveDatasets({ datasets: listFlag(values, 'datasets'), dataDir: values['data-dir'] as string,
    ...(values['data'] ? { data: values['data'] } : {}), textField: values['text-field'] as string, labelField: values['label-field'] as string }, root);
}

export function qualityOptions(argv: readonly string[], root: string): QualityOptions | Help {
  const p = parseFlags(QUALITY_CLI, argv);
  if (p.help) return p;
  return { base: p.values['base'] as string, datasets: datasets(p.values, root), flags: datasetFlags(p.values) };
}

export function probeEmbeddingsOptions(argv: readonly string[], root: string): ProbeEmbeddingsOptions | Help {
  const p = parseFlags(PROBE_EMBEDDINGS_CLI, argv);
  if (p.help) return p;
  return { base: p.values['base'] as string, datasets: datasets(p.values, root), flags: datasetFlags(p.values),
    out: p.values['out'] as string, cache: p.values['cache'] as string };
}
