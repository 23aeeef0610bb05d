import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { DEFAULT_TRAIN_OPTIONS, parseExemplarSpec, type ExemplarOptions, type HeadKind } from '@tuneline/finetune';
import { DEFAULT_CONFIDENCE_THRESHOLD, SUPPORT_INTENT_EXEMPLARS } from '@tuneline/support';
import { intFlag, listFlag, oddReps, parseFlags, UsageError, type CliDef, type FlagDef, type Help } from './bench-cli';
import { SPLIT_SEED } from './held-out';
import { BUILTIN_DATASETS, DEFAULT_DATA_DIR, resolveDatasets, type LabelledSpec } from './labelled-data';
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

export const ROOFLINE_CLI: CliDef = {
  script: 'tools/bench/roofline.ts',
  summary: 'Roofline of the served encoder (issue 17): operations per text from the fp32 and int8 graphs, ONNX Runtime\'s own peak for the '
    + 'matrix products on this machine (fp32 MatMul; int8 DynamicQuantizeLinear + MatMulInteger + dequantisation, as the int8 graph runs them), '
    + 'and the served and transformers.js rates of docs/benchmarks/inference.json as shares of it. Merges roofline.* keys into that file.',
  flags: [
    { name: 'n', default: '1000', help: 'texts whose token counts set the work per text' },
    { name: 'seconds', default: '3', help: 'seconds each product shape is timed (after warm-up)' },
    ...TEXT_FLAGS,
  ],
};

export interface RooflineOptions { readonly n: number; readonly seconds: number; readonly texts: TextSource }

export function rooflineOptions(argv: readonly string[], root: string): RooflineOptions | Help {
  const p = parseFlags(ROOFLINE_CLI, argv);
  if (p.help) return p;
  return { n: intFlag(p.values, 'n'), seconds: intFlag(p.values, 'seconds'), texts: resolveTextSource(p.values['texts'] as string, p.values['text-field'] as string, root) };
}

export const OP_PROFILE_CLI: CliDef = {
  script: 'tools/bench/op-profile.ts',
  summary: 'Op-level profile of the served Encoder (issue 17): per model, the Encoder at its defaults under --callers concurrent callers '
    + 'on --n texts, once plain (the rate) and once with ONNX Runtime\'s profiler on (enableProfiling); kernel time per op type as a share of '
    + 'session time, the share of wall time outside session.run, the batch shapes run, and the projections\' rate against the roofline peaks. '
    + 'Merges profile.* keys into docs/benchmarks/inference.json (run tools/bench/roofline.ts first for the peaks).',
  flags: [
    { name: 'n', default: '1000', help: 'texts per measurement' },
    { name: 'models', default: 'default,int8', help: 'catalog models or model directories (keys: fp32 for default, else the name)' },
    { name: 'callers', default: '64', help: 'concurrent callers, one text per call (as inference.ts encoder64)' },
    { name: 'trace-dir', default: '.cache/bench/op-profile', help: 'where ORT writes its profile JSON (kept for inspection)' },
    ...TEXT_FLAGS,
  ],
};

export interface OpProfileOptions {
  readonly n: number;
  readonly models: string[];
  readonly callers: number;
  readonly traceDir: string;
  readonly texts: TextSource;
}

export function opProfileOptions(argv: readonly string[], root: string): OpProfileOptions | Help {
  const p = parseFlags(OP_PROFILE_CLI, argv);
  if (p.help) return p;
  return { n: intFlag(p.values, 'n'), models: listFlag(p.values, 'models'), callers: intFlag(p.values, 'callers'),
    traceDir: resolve(root, p.values['trace-dir'] as string), texts: resolveTextSource(p.values['texts'] as string, p.values['text-field'] as string, root) };
}

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

export const TOKEN_BUDGET_CLI: CliDef = {
  script: 'tools/bench/token-budget.ts',
  summary: 'Token-budget sweep (issue 17): the Encoder under 64 callers on mixed-length texts (1-12 consecutive sentences joined) with maxTokensPerBatch forced to each value, models interleaved, median of --reps. Writes docs/benchmarks/token-budget.json.',
  flags: [
    { name: 'n', default: '600', help: 'texts per measurement' },
    { name: 'reps', default: '3', help: 'repetitions, odd (the median run is reported)' },
    { name: 'budgets', default: '512,1024,2048,4096,16384', help: 'maxTokensPerBatch values (padded tokens per run)' },
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

/** What support-chat trains its intent model with. */
const EXEMPLAR_SPEC = `k=${SUPPORT_INTENT_EXEMPLARS.k},t=${SUPPORT_INTENT_EXEMPLARS.temperature},w=${SUPPORT_INTENT_EXEMPLARS.weight}`;

export const SUPPORT_CHAT_CLI: CliDef = {
  script: 'tools/bench/support-chat-quality.ts',
  summary: 'Support chat quality: trains the intent classifier with finetune() on --train, scores the fused model on --test (default: '
    + 'a stratified 80/20 split of --train) through the Classifier, replays each test text as a one-turn conversation through '
    + "libs/support's policy (no knowledge base), and reports intent accuracy, the selective-answering curve (coverage vs precision of "
    + 'answered turns) and coverage/precision/handoff rate at --threshold. Merges its keys into --out-json; draws the curve to --out-png.',
  flags: [
    { name: 'train', default: '', help: 'labelled training file (.csv/.jsonl); when absent, the Banking77 training split under --data-dir' },
    { name: 'test', default: '', help: 'labelled test file; when absent, --train is split 80/20 (stratified, --seed) as the quality bench does' },
    { name: 'text-field', default: 'text', help: 'text field of --train/--test' },
    { name: 'label-field', default: '', help: 'label field of --train/--test; none means "label", or "category" for the default Banking77 file' },
    { name: 'data-dir', default: DEFAULT_DATA_DIR, help: 'where the default Banking77 file lives (only without --train)' },
    { name: 'seed', default: String(SPLIT_SEED), help: 'seed of the 80/20 split (without --test)' },
    { name: 'threshold', default: String(DEFAULT_CONFIDENCE_THRESHOLD), help: "intent confidence threshold (libs/support's DEFAULT_CONFIDENCE_THRESHOLD)" },
    { name: 'base', default: 'default', help: 'base encoder (catalog name or directory)' },
    { name: 'head', default: DEFAULT_TRAIN_OPTIONS.head, help: 'classifier head: linear or mlp' },
    { name: 'epochs', default: String(DEFAULT_TRAIN_OPTIONS.epochs), help: 'most training epochs (early stopping may end sooner)' },
    { name: 'lr', default: String(DEFAULT_TRAIN_OPTIONS.learningRate), help: 'learning rate (the MLP head is documented at 0.001)' },
    { name: 'exemplars', default: EXEMPLAR_SPEC, help: 'exemplar vote fused into the model (k=,t=,w=; as support-chat trains); the head alone is trained and scored too, for comparison' },
    { name: 'no-exemplars', boolean: true, help: 'train and score the head alone (no exemplar vote)' },
    { name: 'model', default: '', help: 'a model version directory already trained on this split\'s training part (checked by sha256; tools/bench/trained-model.ts), e.g. an encoder-tuned one: scored instead of training (no head-only comparison)' },
    { name: 'cache', default: '.cache/bench/embeddings', help: 'embedding cache root (reused between runs)' },
    { name: 'out-json', default: 'docs/benchmarks/support-chat.json', help: 'JSON the quality keys are merged into (other keys kept)' },
    { name: 'out-png', default: 'docs/benchmarks/support-chat-selective.png', help: 'selective-answering curve' },
  ],
};

export interface SupportChatOptions {
  readonly train: LabelledSpec;
  /** Absent: the test rows are the held-out 20% of `train`. */
  readonly test?: LabelledSpec;
  readonly seed: number;
  readonly threshold: number;
  readonly base: string;
  readonly head: HeadKind;
  readonly epochs: number;
  readonly learningRate: number;
  /** Absent with --no-exemplars: the head alone. */
  readonly exemplars?: ExemplarOptions;
  /** --model: a trained version directory scored instead of training (absolute path). */
  readonly model?: string;
  readonly cache: string;
  readonly outJson: string;
  readonly outPng: string;
  /** Every resolved flag, for the JSON's reproducible `command`. */
  readonly flags: string;
}

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

export interface TokenBudgetOptions extends InferenceOptions { readonly budgets: number[] }

export function tokenBudgetOptions(argv: readonly string[], root: string): TokenBudgetOptions | Help {
  const p = parseFlags(TOKEN_BUDGET_CLI, argv);
  if (p.help) return p;
  const budgets = listFlag(p.values, 'budgets').map(Number);
  if (!budgets.every((b) => Number.isInteger(b) && b >= 64)) throw new UsageError(`--budgets must be integers >= 64, got "${p.values['budgets']}"`);
  return { n: intFlag(p.values, 'n'), reps: oddReps(p.values), models: listFlag(p.values, 'models'), budgets,
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

function labelledFile(flag: string, path: string, textField: string, labelField: string, root: string): LabelledSpec {
  const file = resolve(root, path);
  if (!existsSync(file)) throw new UsageError(`--${flag} ${path}: file not found (${file})`);
  return { name: flag, file, textField, labelField };
}

function unitNumber(values: Readonly<Record<string, string>>, name: string, lo: number, hi: number, loOpen: boolean): number {
  const x = Number(values[name]);
  if (!(Number.isFinite(x) && (loOpen ? x > lo : x >= lo) && x <= hi)) throw new UsageError(`--${name} must be a number in ${loOpen ? '(' : '['}${lo}, ${hi}], got "${values[name]}"`);
  return x;
}

export function supportChatOptions(argv: readonly string[], root: string): SupportChatOptions | Help {
  const p = parseFlags(SUPPORT_CHAT_CLI, argv);
  if (p.help) return p;
  const v = p.values;
  const textField = v['text-field'] as string;
  let train: LabelledSpec;
  if (v['train']) {
    train = labelledFile('train', v['train'], textField, v['label-field'] || 'label', root);
  } else {
    // No silent fallback to the samples: without the shared file there is nothing comparable to report.
    const b = BUILTIN_DATASETS['banking77'] as { file: string; textField: string; labelField: string };
    const file = join(resolve(root, v['data-dir'] as string), b.file);
    if (!existsSync(file)) {
      throw new UsageError(`no --train given and the default Banking77 training file is missing (${file}): this benchmark runs on the `
        + '../shared/datasets training splits (tests do not). Pass --train <file> [--test <file>] --text-field … --label-field …, or --data-dir <copy>.');
    }
    train = { name: 'banking77', file, textField, labelField: v['label-field'] || b.labelField };
  }
  const test = v['test'] ? labelledFile('test', v['test'], textField, train.labelField, root) : undefined;
  const head = v['head'] as string;
  if (head !== 'linear' && head !== 'mlp') throw new UsageError(`--head must be linear or mlp, got "${head}"`);
  let exemplars: ExemplarOptions | undefined;
  try {
    exemplars = p.switches.has('no-exemplars') ? undefined : parseExemplarSpec(v['exemplars'] as string);
  } catch (err) {
    throw new UsageError(`--exemplars: ${(err as Error).message}`);
  }
  const model = v['model'] ? resolve(root, v['model'] as string) : undefined;
  // The model's card says how it was trained: training flags beside it are refused, not ignored.
  if (model) {
    const given = ['base', 'head', 'epochs', 'lr', 'exemplars'].filter((f) => v[f] !== SUPPORT_CHAT_CLI.flags.find((d) => d.name === f)?.default);
    if (given.length > 0 || p.switches.has('no-exemplars')) {
      throw new UsageError(`--model takes how it was trained from its model card: leave out ${[...given.map((f) => `--${f}`), ...(p.switches.has('no-exemplars') ? ['--no-exemplars'] : [])].join(', ')}`);
    }
    exemplars = undefined;
  }
  const o = {
    train, ...(test ? { test } : {}), seed: intFlag(v, 'seed', 0), threshold: unitNumber(v, 'threshold', 0, 1, false), base: v['base'] as string,
    head, epochs: intFlag(v, 'epochs'), learningRate: unitNumber(v, 'lr', 0, 10, true), ...(exemplars ? { exemplars } : {}), ...(model ? { model } : {}), cache: v['cache'] as string,
    outJson: v['out-json'] as string, outPng: v['out-png'] as string,
  } as const;
  const rel = (f: string) => relative(root, f) || '.';
  const flags = [`--train ${rel(train.file)}`, ...(test ? [`--test ${rel(test.file)}`] : [`--seed ${o.seed}`]), `--text-field ${textField}`,
    `--label-field ${train.labelField}`, `--threshold ${o.threshold}`,
    ...(model ? [`--model ${rel(model)}`] : [`--base ${o.base}`, `--head ${head}`, `--epochs ${o.epochs}`, `--lr ${o.learningRate}`,
      exemplars ? `--exemplars k=${exemplars.k},t=${exemplars.temperature},w=${exemplars.weight}` : '--no-exemplars'])].join(' ');
  return { ...o, flags };
}

/** `--messages samples`: the shipped sample intents (120 short texts, repeated; not comparable with Banking77 runs). */
export const SAMPLE_MESSAGES = 'samples';
export const SAMPLE_MESSAGES_FILE = 'libs/finetune/samples/support-intents.jsonl';
export const DEFAULT_MESSAGES_FILE = '../shared/datasets/banking77/train.csv';

export const SUPPORT_CHAT_LOAD_CLI: CliDef = {
  script: 'tools/bench/support-chat-load.ts',
  summary: 'Support chat load: starts apps/support-chat as a child process (as `nx run support-chat:serve` does; throwaway model repository, '
    + 'events on, auth off), drives POST /v1/chat with autocannon at --connections (each request a new session and the next distinct message), '
    + 'then the bare libs/inference Classifier on the same model directory at the same concurrency over the same messages (the ceiling), and '
    + 'Classifier + KB Encoder together (the model work of one turn). Modes interleaved, --reps times, median reported. Merges its keys into --out-json.',
  flags: [
    { name: 'messages', default: DEFAULT_MESSAGES_FILE, help: `messages file (.csv/.jsonl/.txt); "${SAMPLE_MESSAGES}" for ${SAMPLE_MESSAGES_FILE} (short, not comparable)` },
    { name: 'text-field', default: 'text', help: 'field (CSV column or JSON key) holding the message' },
    { name: 'connections', default: '64', help: 'concurrent HTTP connections, and concurrent Classifier callers for the ceiling' },
    { name: 'duration', default: '20', help: 'seconds each measurement runs' },
    { name: 'warmup', default: '5', help: 'seconds of unmeasured load before the first measurement of each mode' },
    { name: 'reps', default: '3', help: 'repetitions, odd (modes interleaved; the median run is reported)' },
    { name: 'no-events', boolean: true, help: 'SUPPORT_PUBLISH_EVENTS=false (default: events on, Kafka at KAFKA_BROKERS must answer)' },
    { name: 'out-json', default: 'docs/benchmarks/support-chat.json', help: 'JSON the load keys are merged into (other keys kept)' },
  ],
};

export interface SupportChatLoadOptions {
  /** Absolute path of the messages file. */
  readonly messages: string;
  readonly samples: boolean;
  readonly textField: string;
  readonly connections: number;
  readonly durationS: number;
  readonly warmupS: number;
  readonly reps: number;
  readonly events: boolean;
  readonly outJson: string;
  /** The resolved flags, for the JSON's reproducible `command`. */
  readonly flags: string;
}

export function supportChatLoadOptions(argv: readonly string[], root: string): SupportChatLoadOptions | Help {
  const p = parseFlags(SUPPORT_CHAT_LOAD_CLI, argv);
  if (p.help) return p;
  const v = p.values;
  const samples = v['messages'] === SAMPLE_MESSAGES;
  const messages = resolve(root, samples ? SAMPLE_MESSAGES_FILE : (v['messages'] as string));
  if (!existsSync(messages)) {
    throw new UsageError(`--messages ${v['messages']}: file not found (${messages}). The published figures use the shared Banking77 training `
      + `texts (${DEFAULT_MESSAGES_FILE}); pass --messages <file> [--text-field …], or --messages ${SAMPLE_MESSAGES} for ${SAMPLE_MESSAGES_FILE} `
      + '(120 short texts, not comparable).');
  }
  const o = {
    messages, samples, textField: v['text-field'] as string, connections: intFlag(v, 'connections'), durationS: intFlag(v, 'duration'),
    warmupS: intFlag(v, 'warmup', 0), reps: oddReps(v), events: !p.switches.has('no-events'), outJson: v['out-json'] as string,
  };
  const flags = [`--messages ${samples ? SAMPLE_MESSAGES : relative(root, messages)}`, `--text-field ${o.textField}`, `--connections ${o.connections}`,
    `--duration ${o.durationS}`, `--warmup ${o.warmupS}`, `--reps ${o.reps}`, ...(o.events ? [] : ['--no-events'])].join(' ');
  return { ...o, flags };
}
