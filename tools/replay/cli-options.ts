import { intFlag, listFlag, parseFlags, UsageError, type CliDef, type Help } from '../bench/bench-cli';
import { parseDuration, parseSurgeSpecs, type SurgeSpec } from './durations';
import { DEFAULT_REPLAY_BATCH, parseRate } from './pacing';
import { SYNTH_DEFAULTS } from './synthesize';

/** Flags of tools/replay/replay.ts and synth.ts, parsed without side effects (cli-options.spec.ts). */

export const REPLAY_CLI: CliDef = {
  script: 'tools/replay/replay.ts',
  summary: 'Produces a JSONL file of news.raw records to Kafka with the libs/events producer, paced or as fast as possible. '
    + 'Every line is validated; bad lines are reported with their line numbers and skipped, and the exit code is then 1.',
  flags: [
    { name: 'file', default: '', help: 'JSONL file of news.raw records (required)' },
    { name: 'rate', default: '', help: 'records per second, e.g. 20/s; none means as fast as possible' },
    { name: 'as-fast-as-possible', boolean: true, help: 'send in batches without pacing (the default when --rate is absent)' },
    { name: 'brokers', default: '', help: 'bootstrap brokers host:port,...; none means $KAFKA_BROKERS or 127.0.0.1:$KAFKA_PORT (9092)' },
    { name: 'topic', default: 'news.raw', help: 'topic to produce to (values are validated with the news.raw schema whatever the name)' },
    { name: 'rebase-time', boolean: true, help: 'shift every published_at so the newest is now (gaps kept; the stream lies in the past)' },
    { name: 'batch', default: String(DEFAULT_REPLAY_BATCH), help: 'most records per produce request' },
  ],
};

export interface ReplayArgs {
  readonly file: string;
  readonly ratePerSec: number | undefined;
  readonly brokers: string;
  readonly topic: string;
  readonly rebaseTime: boolean;
  readonly batchSize: number;
}

export function replayArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): ReplayArgs | Help {
  const p = parseFlags(REPLAY_CLI, argv);
  if (p.help) return p;
  const { values, switches } = p;
  if (!values['file']) throw new UsageError('--file is required');
  if (values['rate'] && switches.has('as-fast-as-possible')) throw new UsageError('--rate and --as-fast-as-possible exclude each other');
  let ratePerSec: number | undefined;
  if (values['rate']) {
    try {
      ratePerSec = parseRate(values['rate']);
    } catch (e) {
      throw new UsageError(`--rate: ${(e as Error).message}`);
    }
  }
  return {
    file: values['file'],
    ratePerSec,
    brokers: values['brokers'] || env['KAFKA_BROKERS'] || `127.0.0.1:${env['KAFKA_PORT'] ?? '9092'}`,
    topic: values['topic'] as string,
    rebaseTime: switches.has('rebase-time'),
    batchSize: intFlag(values, 'batch'),
  };
}

export const SYNTH_CLI: CliDef = {
  script: 'tools/replay/synth.ts',
  summary: 'Synthesises a news.raw stream from a sentiment-labelled file with entity names injected and negative surges at known '
    + 'times, and writes the ground truth (surges, steady entities, counts) for alert-quality measurement.',
  flags: [
    { name: 'input', default: '', help: 'labelled .jsonl/.csv file, e.g. ../shared/datasets/financial_phrasebank/train.jsonl (required)' },
    { name: 'text-field', default: 'text', help: 'field holding the sentence' },
    { name: 'label-field', default: 'label', help: 'field holding negative/neutral/positive' },
    { name: 'entities', default: '', help: 'comma-separated entity names to inject (required)' },
    { name: 'surges', default: '', help: 'comma-separated <entity>@<offset>:<duration>, e.g. "Acme@2h:30m,Globex@4h:20m"' },
    { name: 'out', default: '', help: 'output JSONL stream (required)' },
    { name: 'truth', default: '', help: 'output ground-truth JSON (required)' },
    { name: 'seed', default: '42', help: 'PRNG seed' },
    { name: 'start', default: new Date(SYNTH_DEFAULTS.startMs).toISOString(), help: 'event time of the stream start (ISO-8601)' },
    { name: 'duration', default: '6h', help: 'stream length' },
    { name: 'entity-rate', default: String(SYNTH_DEFAULTS.entityRatePerHour), help: 'items per hour per entity outside surges' },
    { name: 'background-rate', default: String(SYNTH_DEFAULTS.backgroundRatePerHour), help: 'items per hour about no entity' },
    { name: 'surge-multiplier', default: String(SYNTH_DEFAULTS.surgeRateMultiplier), help: 'entity rate multiplier during its surge' },
    { name: 'surge-negative-share', default: String(SYNTH_DEFAULTS.surgeNegativeShare), help: 'probability a surge item is a negative sentence' },
    { name: 'no-tag', boolean: true, help: 'do not list the entity in the record\'s entities (leave it to watch-list matching)' },
  ],
};

export interface SynthArgs {
  readonly input: string;
  readonly textField: string;
  readonly labelField: string;
  readonly entities: string[];
  readonly surges: SurgeSpec[];
  readonly out: string;
  readonly truth: string;
  readonly seed: number;
  readonly startMs: number;
  readonly durationMs: number;
  readonly entityRatePerHour: number;
  readonly backgroundRatePerHour: number;
  readonly surgeRateMultiplier: number;
  readonly surgeNegativeShare: number;
  readonly tagEntities: boolean;
}

function numberFlag(values: Readonly<Record<string, string>>, name: string, min: number, max = Infinity): number {
  const x = Number(values[name]);
  if (!(Number.isFinite(x) && x >= min && x <= max)) throw new UsageError(`--${name} must be a number in [${min}, ${max}], got "${values[name]}"`);
  return x;
}

function usage<T>(flag: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw new UsageError(`--${flag}: ${(e as Error).message}`);
  }
}

export function synthArgs(argv: readonly string[]): SynthArgs | Help {
  const p = parseFlags(SYNTH_CLI, argv);
  if (p.help) return p;
  const { values, switches } = p;
  for (const required of ['input', 'entities', 'out', 'truth']) if (!values[required]) throw new UsageError(`--${required} is required`);
  const startMs = Date.parse(values['start'] as string);
  if (!Number.isFinite(startMs)) throw new UsageError(`--start must be an ISO-8601 time, got "${values['start']}"`);
  return {
    input: values['input'] as string,
    textField: values['text-field'] as string,
    labelField: values['label-field'] as string,
    entities: listFlag(values, 'entities'),
    surges: usage('surges', () => parseSurgeSpecs(values['surges'] ?? '')),
    out: values['out'] as string,
    truth: values['truth'] as string,
    seed: intFlag(values, 'seed', 0),
    startMs,
    durationMs: usage('duration', () => parseDuration(values['duration'] as string)),
    entityRatePerHour: numberFlag(values, 'entity-rate', Number.MIN_VALUE),
    backgroundRatePerHour: numberFlag(values, 'background-rate', 0),
    surgeRateMultiplier: numberFlag(values, 'surge-multiplier', 1),
    surgeNegativeShare: numberFlag(values, 'surge-negative-share', 0, 1),
    tagEntities: !switches.has('no-tag'),
  };
}
