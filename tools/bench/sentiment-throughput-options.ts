import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { intFlag, oddReps, parseFlags, UsageError, type CliDef, type Help } from './bench-cli';

/** Flags of tools/bench/sentiment-throughput.ts, parsed without side effects (spec beside it). */

export const DEFAULT_NEWS_FILE = 'libs/sentiment/samples/news-sample.jsonl';
export const DEFAULT_BROKERS = '127.0.0.1:9092';

export const SENTIMENT_THROUGHPUT_CLI: CliDef = {
  script: 'tools/bench/sentiment-throughput.ts',
  summary: 'Sentiment monitor throughput against the local Kafka, on uniquely named topic copies, with the service started by its own '
    + 'start function (apps/sentiment-monitor, the integration specs\' child process). (1) The classifier ceiling: the served version through '
    + 'ModelRepository.infer with embeddings, one chunk per news.raw partition in flight, no Kafka. (2) Items/s end to end: --items records '
    + 'pre-produced to news.raw, the service started, first to last sentiment.scored record read (read_committed). (3) Alert latency: a live '
    + 'stream at half of (2)\'s rate (or --latency-rate) with rotating negative surges, alert received - trigger item sent. Merges its keys into --out.',
  flags: [
    { name: 'items', default: '2000', help: 'records pre-produced for the throughput run' },
    { name: 'seconds', default: '180', help: 'length of the live stream of the latency run' },
    { name: 'reps', default: '3', help: 'throughput runs (odd), each between two ceiling runs; the median run by ratio is reported' },
    { name: 'ceiling-seconds', default: '30', help: 'length of each classifier ceiling run (one before the first throughput run and one after each)' },
    { name: 'warmup-seconds', default: '5', help: 'classifier warm-up before the first ceiling run' },
    { name: 'latency-rate', default: '', help: 'items/s of the latency run (none: half the measured items/s)' },
    { name: 'news', default: DEFAULT_NEWS_FILE, help: 'JSONL of news.raw records whose texts every run cycles over' },
    { name: 'brokers', default: process.env['KAFKA_BROKERS'] || DEFAULT_BROKERS, help: 'Kafka bootstrap servers (KAFKA_BROKERS)' },
    { name: 'base-model', default: 'default', help: 'SENTIMENT_BASE_MODEL of the service (the encoder its start-up fine-tune uses)' },
    { name: 'repo', default: '', help: 'model repository (none: .cache/bench/sentiment-throughput/repo-<base-model>, trained once and reused)' },
    { name: 'seed', default: '42', help: 'seed of the latency stream' },
    { name: 'out', default: 'docs/benchmarks/sentiment-monitor.json', help: 'JSON the throughput keys are merged into (other keys kept)' },
    { name: 'no-write', boolean: true, help: 'print the figures, write no JSON (development runs)' },
    { name: 'cpu-prof', boolean: true, help: 'run the service with node --cpu-prof (profiles under .cache/bench/sentiment-throughput/prof-<run>/)' },
  ],
};

export interface SentimentThroughputOptions {
  readonly items: number;
  readonly seconds: number;
  readonly reps: number;
  readonly ceilingSeconds: number;
  readonly warmupSeconds: number;
  readonly latencyRate: number | undefined;
  readonly news: string;
  readonly brokers: string;
  readonly baseModel: string;
  readonly repo: string;
  readonly seed: number;
  readonly out: string;
  readonly write: boolean;
  readonly cpuProf: boolean;
  /** Every resolved flag, for the JSON's reproducible `command`. */
  readonly flags: string;
}

export function sentimentThroughputOptions(argv: readonly string[], root: string): SentimentThroughputOptions | Help {
  const p = parseFlags(SENTIMENT_THROUGHPUT_CLI, argv);
  if (p.help) return p;
  const v = p.values;
  const news = resolve(root, v['news'] as string);
  if (!existsSync(news)) throw new UsageError(`--news ${v['news']}: file not found (${news})`);
  const rateText = v['latency-rate'] ?? '';
  const latencyRate = rateText === '' ? undefined : Number(rateText);
  if (latencyRate !== undefined && !(Number.isFinite(latencyRate) && latencyRate > 0)) throw new UsageError(`--latency-rate must be a number > 0, got "${rateText}"`);
  const baseModel = v['base-model'] as string;
  const brokers = (v['brokers'] as string).split(',').map((b) => b.trim());
  if (brokers.some((b) => !/^[^:\s]+:\d+$/.test(b))) throw new UsageError(`--brokers must be host:port[,host:port…], got "${v['brokers']}"`);
  const repo = resolve(root, v['repo'] || `.cache/bench/sentiment-throughput/repo-${baseModel.replace(/[^A-Za-z0-9._-]/g, '_')}`);
  const o = {
    items: intFlag(v, 'items', 2),
    seconds: intFlag(v, 'seconds', 30),
    reps: oddReps(v),
    ceilingSeconds: intFlag(v, 'ceiling-seconds'),
    warmupSeconds: intFlag(v, 'warmup-seconds', 0),
    latencyRate,
    news,
    brokers: brokers.join(','),
    baseModel,
    repo,
    seed: intFlag(v, 'seed', 0),
    out: v['out'] as string,
    write: !p.switches.has('no-write'),
    cpuProf: p.switches.has('cpu-prof'),
  };
  const flags = [`--items ${o.items}`, `--seconds ${o.seconds}`, `--reps ${o.reps}`, `--ceiling-seconds ${o.ceilingSeconds}`, `--warmup-seconds ${o.warmupSeconds}`,
    ...(latencyRate !== undefined ? [`--latency-rate ${latencyRate}`] : []), `--news ${relative(root, news)}`, `--base-model ${baseModel}`, `--seed ${o.seed}`].join(' ');
  return { ...o, flags };
}
