import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { alertingOptions, DEFAULT_ALERTING_OPTIONS, type AlertingOptions } from '@tuneline/sentiment';
import { intFlag, parseFlags, UsageError, type CliDef, type Help } from './bench-cli';
import { SPLIT_SEED, HELD_OUT_FRACTION } from './held-out';
import type { LabelledSpec } from './labelled-data';

/** Flags of tools/bench/sentiment-quality.ts, parsed without side effects (spec beside it). */

export const DEFAULT_SENTIMENT_TRAIN = '../shared/datasets/financial_phrasebank/train.jsonl';

/** Head choice: `auto` compares the candidates on a validation part carved from the training part. */
export type HeadChoice = 'auto' | 'linear' | 'mlp';

/**
 * Entity names of the synthesised stream: libs/sentiment/samples/watchlist.json's eight, then
 * eight more fictional ones (none is a word Financial PhraseBank sentences use on their own).
 */
export const STREAM_ENTITY_NAMES: readonly string[] = [
  'Northwind Bank', 'Acme Robotics', 'Helios Energy', 'Bluefin Insurance', 'Quantra Semiconductors', 'Meridian Motors', 'Kestrel Pharma', 'Crédit Alpin',
  'Orion Logistics', 'Sable Telecom', 'Vantage Retail', 'Cobalt Mining', 'Ardent Foods', 'Lumen Airlines', 'Pioneer Shipping', 'Tessera Software',
];

export const SENTIMENT_QUALITY_CLI: CliDef = {
  script: 'tools/bench/sentiment-quality.ts',
  summary: 'Sentiment monitor quality. (1) Fine-tunes the financial-sentiment classifier with libs/finetune on --train (with --head auto, '
    + 'the head is chosen on a validation part carved from the training part, never on the test part) and scores the test part through the '
    + 'fused model.onnx: accuracy, macro-F1, per-class P/R/F1. (2) Synthesises a news.raw stream from the TEST texts with tools/replay '
    + '(entities injected, negative surges at known times, steady entities, fixed seed), scores every item with the trained model and '
    + "runs libs/sentiment's AlertEngine on the window events: surge recall, precision and detection delay. Merges its keys into --out.",
  flags: [
    { name: 'train', default: DEFAULT_SENTIMENT_TRAIN, help: 'labelled training file (.jsonl/.csv), labels negative/neutral/positive' },
    { name: 'test', default: '', help: 'labelled test file; when absent, a stratified --split of --train is held out (seed --seed)' },
    { name: 'text-field', default: 'text', help: 'text field of --train/--test' },
    { name: 'label-field', default: 'label', help: 'label field of --train/--test' },
    { name: 'split', default: String(HELD_OUT_FRACTION), help: 'held-out fraction of --train when --test is absent' },
    { name: 'seed', default: String(SPLIT_SEED), help: 'seed of the splits, the head, and the synthesised stream' },
    { name: 'base', default: 'default', help: 'base encoder (catalog name or directory)' },
    { name: 'head', default: 'auto', help: 'classifier head: auto (best validation macro-F1 of the candidates), linear or mlp' },
    { name: 'method', default: 'head', help: 'head (frozen encoder), lora or top-layers (libs/finetune encoder tuning, library defaults; the head is then the method\'s own)' },
    { name: 'model', default: '', help: 'a model version directory already trained on this split\'s training part (checked by sha256; tools/bench/trained-model.ts): scored instead of training one, its method read from its card' },
    { name: 'cache', default: '.cache/bench/embeddings', help: 'embedding cache root (reused between runs)' },
    { name: 'surging-entities', default: '10', help: 'entities that get negative surges' },
    { name: 'steady-entities', default: '2', help: 'entities with a steady mix throughout (any alert is false)' },
    { name: 'surges-per-entity', default: '5', help: 'surges per surging entity' },
    { name: 'hours', default: '24', help: 'event-time length of the stream' },
    { name: 'alerting', default: '', help: 'JSON overrides of DEFAULT_ALERTING_OPTIONS, e.g. \'{"minVolume":6}\' (none: the defaults the service runs)' },
    { name: 'validate-alerting', boolean: true, help: 'also compare the alerting settings of tools/bench/alerting-candidates.ts on a validation stream synthesised from a part of --train (not the test part)' },
    { name: 'out', default: 'docs/benchmarks/sentiment-monitor.json', help: 'JSON the quality keys are merged into (other keys kept)' },
  ],
};

export interface SentimentQualityOptions {
  readonly train: LabelledSpec;
  readonly test?: LabelledSpec;
  readonly split: number;
  readonly seed: number;
  readonly base: string;
  readonly head: HeadChoice;
  /** `head`: a head on the frozen encoder (chosen by --head); `lora` / `top-layers`: the encoder's top layers trained too (library defaults). */
  readonly method: 'head' | 'lora' | 'top-layers';
  /** --model: a trained version directory to score instead of training (absolute path). */
  readonly model?: string;
  readonly cache: string;
  readonly surgingEntities: readonly string[];
  readonly steadyEntities: readonly string[];
  readonly surgesPerEntity: number;
  readonly hours: number;
  readonly alerting: AlertingOptions;
  readonly validateAlerting: boolean;
  /** Only the fields --alerting changed. */
  readonly alertingOverrides: Readonly<Partial<AlertingOptions>>;
  readonly out: string;
  /** Every resolved flag, for the JSON's reproducible `command`. */
  readonly flags: string;
}

function labelledFile(flag: string, path: string, textField: string, labelField: string, root: string): LabelledSpec {
  const file = resolve(root, path);
  if (!existsSync(file)) {
    const hint = path === DEFAULT_SENTIMENT_TRAIN
      ? ': the default is the shared Financial PhraseBank training split (../shared/datasets), which this checkout lacks. Pass --train <file> '
        + '(labels negative/neutral/positive) [--test <file>] --text-field … --label-field …; there is no fallback to the samples'
      : '';
    throw new UsageError(`--${flag} ${path}: file not found (${file})${hint}`);
  }
  return { name: flag, file, textField, labelField };
}

function parseAlerting(text: string): Partial<AlertingOptions> {
  if (text === '') return {};
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new UsageError(`--alerting must be a JSON object, got ${JSON.stringify(text)}`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new UsageError(`--alerting must be a JSON object, got ${JSON.stringify(text)}`);
  return v as Partial<AlertingOptions>;
}

export function sentimentQualityOptions(argv: readonly string[], root: string): SentimentQualityOptions | Help {
  const p = parseFlags(SENTIMENT_QUALITY_CLI, argv);
  if (p.help) return p;
  const v = p.values;
  const textField = v['text-field'] as string;
  const labelField = v['label-field'] as string;
  const train = labelledFile('train', v['train'] as string, textField, labelField, root);
  const test = v['test'] ? labelledFile('test', v['test'], textField, labelField, root) : undefined;
  const split = Number(v['split']);
  if (!(Number.isFinite(split) && split > 0 && split < 1)) throw new UsageError(`--split must be a number in (0, 1), got "${v['split']}"`);
  const head = v['head'] as string;
  if (head !== 'auto' && head !== 'linear' && head !== 'mlp') throw new UsageError(`--head must be auto, linear or mlp, got "${head}"`);
  const method = v['method'] as string;
  if (method !== 'head' && method !== 'lora' && method !== 'top-layers') throw new UsageError(`--method must be head, lora or top-layers, got "${method}"`);
  if (method !== 'head' && p.switches.has('validate-alerting')) throw new UsageError('--validate-alerting trains heads on the frozen encoder: use it with --method head');
  const model = v['model'] ? resolve(root, v['model'] as string) : undefined;
  if (model && p.switches.has('validate-alerting')) throw new UsageError('--validate-alerting trains heads of its own: not with --model');
  // What the model card already says: flags that would train differently are refused, not ignored.
  if (model && (method !== 'head' || head !== 'auto' || v['base'] !== 'default')) throw new UsageError('--model takes its method, head and base from the model card: leave --method, --head and --base out');
  const surging = intFlag(v, 'surging-entities');
  const steady = intFlag(v, 'steady-entities', 0);
  if (surging + steady > STREAM_ENTITY_NAMES.length) {
    throw new UsageError(`--surging-entities + --steady-entities must be at most ${STREAM_ENTITY_NAMES.length} (the stream's entity names), got ${surging + steady}`);
  }
  const overrides = parseAlerting(v['alerting'] as string);
  const unknown = Object.keys(overrides).filter((k) => !(k in DEFAULT_ALERTING_OPTIONS));
  if (unknown.length > 0) throw new UsageError(`--alerting: unknown option ${unknown.join(', ')}`);
  let alerting: AlertingOptions;
  try {
    alerting = alertingOptions(overrides);
  } catch (e) {
    throw new UsageError(`--alerting: ${(e as Error).message}`);
  }
  const o = {
    train, ...(test ? { test } : {}), split, seed: intFlag(v, 'seed', 0), base: v['base'] as string, head: head as HeadChoice, method: method as SentimentQualityOptions['method'], ...(model ? { model } : {}), cache: v['cache'] as string,
    surgingEntities: STREAM_ENTITY_NAMES.slice(0, surging), steadyEntities: STREAM_ENTITY_NAMES.slice(surging, surging + steady),
    surgesPerEntity: intFlag(v, 'surges-per-entity'), hours: intFlag(v, 'hours'), alerting, alertingOverrides: overrides, validateAlerting: p.switches.has('validate-alerting'), out: v['out'] as string,
  };
  const rel = (f: string) => relative(root, f) || '.';
  const flags = [`--train ${rel(train.file)}`, ...(test ? [`--test ${rel(test.file)}`] : [`--split ${split}`]), `--seed ${o.seed}`,
    `--text-field ${textField}`, `--label-field ${labelField}`,
    ...(model ? [`--model ${rel(model)}`] : [`--base ${o.base}`, `--head ${head}`, ...(method === 'head' ? [] : [`--method ${method}`])]), `--surging-entities ${surging}`, `--steady-entities ${steady}`, `--surges-per-entity ${o.surgesPerEntity}`, `--hours ${o.hours}`,
    ...(Object.keys(overrides).length > 0 ? [`--alerting '${JSON.stringify(overrides)}'`] : []), ...(o.validateAlerting ? ['--validate-alerting'] : [])].join(' ');
  return { ...o, flags };
}
