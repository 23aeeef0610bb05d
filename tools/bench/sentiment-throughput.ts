/**
 * Sentiment monitor throughput (issue 12), on this machine against the local Kafka:
 * 1. classifierTextsPerSec, the ceiling: the served financial-sentiment version through
 *    libs/inference ModelRepository.infer with embeddings (the score stage's call), the same
 *    texts, chunk size and batcher settings, one chunk per news.raw partition in flight, no
 *    Kafka; run once before and once after (2) and averaged (the machine drifts).
 * 2. itemsPerSec: --items records pre-produced to news.raw, then the service started; first
 *    to last sentiment.scored record read with read_committed. pipelineToCeilingRatio = 2 / 1.
 * 3. alertLatencyP50Ms/P99Ms: a live stream at half of (2)'s rate (event times = send times)
 *    with a negative surge every 4 s on rotating entities, 20 s windows (LATENCY_ALERTING);
 *    per alert, received (read_committed) − sent of its triggerItemId. maxConsumerLag: the
 *    score stage's largest lag over its partitions during that run (its /metrics, every 250 ms).
 * The service is apps/sentiment-monitor's own start function in the child process its
 * integration specs use (test/fixtures/sentiment-monitor-child.ts: uniquely named topic copies
 * from SM_TEST_SUFFIX, the specs' short consumer timings); tools may not import app code.
 *   npx tsx --tsconfig tools/tsconfig.json tools/bench/sentiment-throughput.ts [--items N --seconds S] (--help for the flags)
 * Merges its keys into docs/benchmarks/sentiment-monitor.json (the quality bench's keys stay).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, createWriteStream, existsSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Admin, Kafka } from 'kafkajs';
import { createEventProducer, createKafka, defineTopic, dlqTopic, ensureTopics, TOPICS, type AnyTopicDefinition, type NewsRawValue } from '@tuneline/events';
import { createInferenceMetrics, inferenceEnvSchema, ModelRepository, textModelOptionsFromEnv } from '@tuneline/inference';
import { Registry } from 'prom-client';
import { DEFAULT_MAX_TEXT_CHARS, modelText, newsItemFromRecord } from '@tuneline/sentiment';
import { paceRecords } from '../replay/pacing';
import { parseNewsLines } from '../replay/news-lines';
import { machineLabel, medianRun, runCli } from './bench-cli';
import { mergeBenchJson } from './bench-json';
import { closedLoopChunks, type ChunkLoopResult } from './sentiment-throughput-ceiling';
import { sentimentThroughputOptions } from './sentiment-throughput-options';
import { alertLatency, cpuSecondsOfStat, LagPeak, metricTotal, scoredThroughput, stageLagOf, type AlertReceipt, type ScoredReceipt } from './sentiment-throughput-stats';
import { backlogRecords, DEFAULT_LATENCY_STREAM, LATENCY_ALERTING, LATENCY_ALERTING_ENV, planLatencyStream, stampAt, type TextPool } from './sentiment-throughput-stream';
import { round } from './stats';

/** The flat keys this bench owns in sentiment-monitor.json (the quality bench has its own). */
const SENTIMENT_MONITOR_THROUGHPUT_KEYS = ['itemsPerSec', 'classifierTextsPerSec', 'pipelineToCeilingRatio', 'alertLatencyP50Ms', 'alertLatencyP99Ms', 'maxConsumerLag'] as const;
const TARGET_RATIO = 0.8;
const MIN_ALERTS = 30;
const MODEL = process.env['SENTIMENT_MODEL'] || 'financial-sentiment';
/** apps/sentiment-monitor/src/config.ts defaults, read from the same variables the service reads. */
const CHUNK = Number(process.env['SENTIMENT_STAGE_MAX_BATCH'] || 64);
const MAX_TEXT_CHARS = Number(process.env['SENTIMENT_MAX_TEXT_CHARS'] || DEFAULT_MAX_TEXT_CHARS);
const CHILD = 'apps/sentiment-monitor/test/fixtures/sentiment-monitor-child.ts';
const LOG_DIR = '.cache/bench/sentiment-throughput';
const READY_TIMEOUT_MS = 900_000;
const LAG_SAMPLE_MS = 500;
/** libs/inference: time inside model runs, per batch (its _sum over the run: how long the model was busy). */
const RUN_SECONDS = 'tuneline_inference_run_seconds_sum';
/** tools/kafka/start.sh writes the dev broker's pid here: its CPU is read, never signalled. */
const BROKER_PID_FILE = '.cache/kafka/kafka.pid';

const root = process.cwd();
const opts = runCli((argv) => sentimentThroughputOptions(argv, root));
const log = (m: string) => process.stderr.write(`[sentiment-throughput] ${new Date().toISOString().slice(11, 19)} ${m}\n`);
const loads = () => loadavg().map((x) => round(x, 2));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---- topics: the names the child fixture derives from SM_TEST_SUFFIX (test/support/harness.ts testTopics, serviceNameOf) ----

const ROLES = { newsRaw: TOPICS.newsRaw, scored: TOPICS.sentimentScored, windowEvents: TOPICS.sentimentWindowEvents, windowState: TOPICS.sentimentWindowState, alerts: TOPICS.sentimentAlerts, modelPublished: TOPICS.modelPublished } as const;
type Role = keyof typeof ROLES;

interface RunTopics {
  readonly suffix: string;
  readonly service: string;
  readonly groups: { readonly score: string; readonly windows: string };
  readonly byRole: Readonly<Record<Role, AnyTopicDefinition>>;
  readonly newsRaw: typeof TOPICS.newsRaw;
}

function runTopics(suffix: string): RunTopics {
  const copy = <T extends AnyTopicDefinition>(t: T): T => defineTopic({ ...t, name: `test.${t.name}.${suffix}`, key: t.key }) as unknown as T;
  const byRole = Object.fromEntries(Object.entries(ROLES).map(([role, t]) => [role, copy(t as AnyTopicDefinition)])) as Record<Role, AnyTopicDefinition>;
  const service = `sm-${suffix}`;
  return { suffix, service, groups: { score: `${service}.score`, windows: `${service}.windows` }, byRole, newsRaw: byRole.newsRaw as typeof TOPICS.newsRaw };
}

async function createTopics(kafka: Kafka, t: RunTopics): Promise<void> {
  // The shared broker sometimes answers a fresh topic's metadata with "does not host this topic-partition"; ensureTopics is idempotent.
  for (let attempt = 1; ; attempt++) {
    try {
      await ensureTopics(kafka, Object.values(t.byRole), { dlqGroups: [t.groups.score, t.groups.windows] });
      return;
    } catch (err) {
      if (attempt >= 3) throw err;
      await sleep(1_000);
    }
  }
}

/** Stops the run's readers (first: one still polling could recreate a topic), then deletes its groups and topics. */
async function deleteTopics(kafka: Kafka, t: RunTopics, readerList: readonly Reader[]): Promise<void> {
  await Promise.allSettled(readerList.map((r) => r.stop()));
  const readers = readerList.map((r) => r.groupId);
  const admin = kafka.admin();
  await admin.connect();
  try {
    const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith(`${t.service}.`) || readers.includes(g));
    await admin.deleteGroups(groups).catch(() => undefined);
    await admin.deleteTopics({ topics: [...Object.values(t.byRole).map((x) => x.name), dlqTopic(t.groups.score).name, dlqTopic(t.groups.windows).name] }).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
}

async function caughtUp(admin: Admin, groupId: string, topic: string): Promise<boolean> {
  const ends = new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, o.high]));
  const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
  const at = new Map((committed?.partitions ?? []).map((p) => [p.partition, p.offset]));
  return [...ends].every(([p, end]) => end === '0' || at.get(p) === end);
}

// ---- the service: the integration specs' child process ----

interface Service {
  readonly child: ChildProcess;
  readonly metricsUrl: string;
  readonly logFile: string;
}

function childEnv(t: RunTopics, extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    TSX_TSCONFIG_PATH: 'apps/sentiment-monitor/tsconfig.serve.json',
    SM_TEST_SUFFIX: t.suffix,
    SERVICE_NAME: t.service,
    BIND_HOST: '127.0.0.1',
    HTTP_PORT: '0',
    GRPC_PORT: '0',
    KAFKA_BROKERS: opts.brokers,
    TUNELINE_MODEL_REPO: opts.repo,
    SENTIMENT_BASE_MODEL: opts.baseModel,
    SENTIMENT_FOLLOW_MODELS: 'false',
    SHUTDOWN_GRACE_MS: '15000',
    // The fixture's logger level: info, as a deployment logs (to the run's log file).
    SENTIMENT_TEST_LOG: process.env['SENTIMENT_TEST_LOG'] ?? 'info',
    ...extra,
  };
}

async function startService(t: RunTopics, name: string, extra: Record<string, string> = {}): Promise<Service> {
  mkdirSync(resolve(root, LOG_DIR), { recursive: true });
  const logFile = resolve(root, LOG_DIR, `${name}.log`);
  writeFileSync(logFile, '');
  const fd = openSync(logFile, 'a');
  const prof = opts.cpuProf ? ['--cpu-prof', '--cpu-prof-dir', resolve(root, LOG_DIR, `prof-${name}`)] : [];
  const child = spawn(process.execPath, [...prof, '--import', 'tsx', join(root, CHILD)], { cwd: root, env: childEnv(t, extra), stdio: ['ignore', 'pipe', fd] });
  closeSync(fd);
  // The fixture prints READY on stdout, among the service's log lines: both go to the log file.
  const out = createWriteStream(logFile, { flags: 'a' });
  const started = Date.now();
  const ready = await new Promise<{ http: number }>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`service not ready after ${READY_TIMEOUT_MS / 1000} s; log: ${logFile}`)), READY_TIMEOUT_MS);
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.once('close', () => out.end());
    lines.on('line', (line) => {
      const m = /^READY (\d+) (\d+)$/.exec(line);
      if (m) {
        clearTimeout(timer);
        res({ http: Number(m[1]) });
      }
      out.write(line + '\n');
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`service exited (${code}) before it was ready; log: ${logFile}\n${tail(logFile)}`));
    });
  });
  log(`${name}: service ready in ${((Date.now() - started) / 1000).toFixed(1)} s (log ${relative(root, logFile)})`);
  return { child, metricsUrl: `http://127.0.0.1:${ready.http}/metrics`, logFile };
}

function tail(file: string, lines = 30): string {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n') : '';
}

async function stopService(s: Service): Promise<void> {
  if (s.child.exitCode !== null || s.child.signalCode !== null) return;
  const exited = new Promise<void>((r) => s.child.once('exit', () => r()));
  s.child.kill('SIGTERM');
  const timer = setTimeout(() => s.child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}

/** CPU seconds the service's process has used so far (Linux /proc). */
function childCpuSeconds(s: Service): number {
  return cpuSecondsOfStat(readFileSync(`/proc/${s.child.pid}/stat`, 'utf8'));
}

/** The dev broker's CPU seconds so far, when its pid file is there (it serves other clients too). */
function brokerCpuSeconds(): number | undefined {
  try {
    const pid = readFileSync(resolve(root, BROKER_PID_FILE), 'utf8').trim();
    return /^\d+$/.test(pid) ? cpuSecondsOfStat(readFileSync(`/proc/${pid}/stat`, 'utf8')) : undefined;
  } catch {
    return undefined;
  }
}

async function serviceModelSeconds(s: Service): Promise<number> {
  return metricTotal(await (await fetch(s.metricsUrl)).text(), RUN_SECONDS);
}

/** Samples the score stage's lag from the service's /metrics until stopped. */
function sampleLag(metricsUrl: string): { stop(): Promise<ReturnType<LagPeak['get']>> } {
  const peak = new LagPeak();
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        peak.add(stageLagOf(await (await fetch(metricsUrl)).text(), 'score'));
      } catch {
        /* a scrape that fails is skipped */
      }
      await sleep(LAG_SAMPLE_MS);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return peak.get();
    },
  };
}

interface Reader {
  readonly groupId: string;
  stop(): Promise<void>;
}

/** A read_committed reader of a whole topic from its start, calling `onRecord` with the receive time. */
async function reader(kafka: Kafka, topic: string, onRecord: (value: Record<string, unknown>, receivedMs: number) => void): Promise<Reader> {
  const groupId = `bench.reader.${topic}`;
  // No auto-creation: a reader still polling while the run's topics are deleted must not bring them back.
  const consumer = kafka.consumer({ groupId, readUncommitted: false, maxWaitTimeInMs: 100, sessionTimeout: 6_000, heartbeatInterval: 500, allowAutoTopicCreation: false });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const receivedMs = Date.now();
      onRecord(JSON.parse(message.value?.toString('utf8') ?? 'null') as Record<string, unknown>, receivedMs);
    },
  });
  return { groupId, stop: () => consumer.disconnect() };
}

async function waitFor(what: string, timeoutMs: number, condition: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(200);
  }
}

const r1 = (x: number) => round(x, 1);

// ---- 1. the ceiling ----

function hasModel(): boolean {
  const dir = join(opts.repo, MODEL);
  return existsSync(dir) && readdirSync(dir).some((v) => !v.startsWith('.') && existsSync(join(dir, v, 'model.onnx')));
}

interface Rep {
  readonly rep: number;
  readonly tp: Awaited<ReturnType<typeof throughputRun>>;
  readonly ceilingTextsPerSec: number;
  readonly ratio: number;
  readonly cpuRatio: number;
  readonly modelBusyRatio: number;
}

interface Ceiling extends ChunkLoopResult {
  readonly load1: number;
  readonly version: string;
  /** CPU of the bench process (the model's threads and the callers) over the measured run. */
  readonly cpuSeconds: number;
  /** Time inside model runs (libs/inference's tuneline_inference_run_seconds). */
  readonly modelSeconds: number;
}

/** The ceiling run; fills `negative[i]` with the served model's call on text i. */
async function ceiling(texts: readonly string[], seconds: number, warmupSeconds: number, negative: (boolean | undefined)[]): Promise<Ceiling> {
  // The service's model options: the same TUNELINE_* variables, parsed the same way.
  const registry = new Registry();
  const modelOptions = { ...textModelOptionsFromEnv(inferenceEnvSchema.parse(process.env)), metrics: createInferenceMetrics(registry) };
  const repository = new ModelRepository({ root: opts.repo, modelOptions });
  const modelSeconds = async () => metricTotal(await registry.metrics(), RUN_SECONDS);
  try {
    const loaded = await repository.load(MODEL);
    const run = async (chunk: readonly string[], indexes: readonly number[]) => {
      const result = await repository.infer(MODEL, chunk, { withEmbedding: true });
      const neg = result.labels?.indexOf('negative') ?? -1;
      result.rows.forEach((row, j) => {
        let best = 0;
        for (let c = 1; c < row.length; c++) if ((row[c] as number) > (row[best] as number)) best = c;
        negative[indexes[j] as number] = best === neg;
      });
    };
    const concurrency = TOPICS.newsRaw.partitions;
    if (warmupSeconds > 0) await closedLoopChunks({ texts, chunkSize: CHUNK, concurrency, durationMs: warmupSeconds * 1000, run });
    const load1 = loads()[0] as number;
    const cpu0 = process.cpuUsage();
    const model0 = await modelSeconds();
    const r = await closedLoopChunks({ texts, chunkSize: CHUNK, concurrency, durationMs: seconds * 1000, run });
    const cpu = process.cpuUsage(cpu0);
    return { ...r, load1, version: loaded.version, cpuSeconds: (cpu.user + cpu.system) / 1e6, modelSeconds: (await modelSeconds()) - model0 };
  } finally {
    await repository.close();
  }
}

function ceilingView(c: Ceiling) {
  return { textsPerSec: r1(c.textsPerSec), texts: c.texts, seconds: round(c.seconds, 1), load1: c.load1, cpuSeconds: round(c.cpuSeconds, 1),
    cores: round(c.cpuSeconds / c.seconds, 2), textsPerCpuSecond: round(c.texts / c.cpuSeconds, 1),
    modelBusy: round(c.modelSeconds / c.seconds, 3), textsPerModelSecond: round(c.texts / c.modelSeconds, 1) };
}

// ---- 2. throughput ----

async function throughputRun(kafka: Kafka, templates: readonly NewsRawValue[], runId: string) {
  const t = runTopics(`${runId}-tp`);
  await createTopics(kafka, t);
  const readers: Reader[] = [];
  let svc: Service | undefined;
  try {
    const backlog = backlogRecords(templates, opts.items, runId, Date.now());
    const producer = createEventProducer(kafka);
    await producer.connect();
    for (let i = 0; i < backlog.length; i += 500) await producer.send(t.newsRaw, backlog.slice(i, i + 500));
    await producer.disconnect();
    log(`throughput: ${backlog.length} records in ${t.newsRaw.name}`);

    const receipts: ScoredReceipt[] = [];
    const ids = new Set<string>();
    let duplicates = 0;
    const scored = await reader(kafka, t.byRole.scored.name, (v, receivedMs) => {
      const id = String(v['id']);
      if (ids.has(id)) duplicates++;
      ids.add(id);
      receipts.push({ receivedMs, scoredAt: String(v['scoredAt']) });
    });
    readers.push(scored);
    const load1 = loads()[0] as number;
    svc = await startService(t, 'throughput');
    const readyMs = Date.now();
    const cpuAtReady = childCpuSeconds(svc);
    const brokerAtReady = brokerCpuSeconds();
    const modelAtReady = await serviceModelSeconds(svc);
    const lag = sampleLag(svc.metricsUrl);
    let lastLog = Date.now();
    await waitFor(`${opts.items} scored items`, Math.max(600_000, opts.items * 500), () => {
      if (Date.now() - lastLog > 15_000) {
        lastLog = Date.now();
        log(`throughput: ${ids.size}/${opts.items} scored`);
      }
      return ids.size >= opts.items;
    });
    const serviceCpuSeconds = childCpuSeconds(svc) - cpuAtReady;
    const brokerAtEnd = brokerCpuSeconds();
    const brokerCpu = brokerAtReady !== undefined && brokerAtEnd !== undefined ? brokerAtEnd - brokerAtReady : undefined;
    const modelSeconds = (await serviceModelSeconds(svc)) - modelAtReady;
    const lagPeak = await lag.stop();
    await sleep(1_000); // a late duplicate would still show
    await scored.stop();
    const tp = scoredThroughput(receipts);
    writeFileSync(resolve(root, LOG_DIR, 'throughput-chunks.json'), JSON.stringify(chunkTimeline(receipts, readyMs), null, 1));
    log(`throughput: ${tp.items} scored in ${tp.chunks} chunks, ${(tp.spanMs / 1000).toFixed(1)} s from the first chunk's start to the last record read: ${tp.itemsPerSec.toFixed(1)} items/s (read span ${tp.readSpanItemsPerSec.toFixed(1)}; load ${load1})`);
    return { ...tp, duplicates, lag: lagPeak, load1, serviceCpuSeconds, brokerCpuSeconds: brokerCpu, modelSeconds };
  } finally {
    if (svc) await stopService(svc);
    await deleteTopics(kafka, t, readers);
  }
}

/** Per chunk (scoredAt): items and first read, ms after the service said READY (kept as an artifact). */
function chunkTimeline(receipts: readonly ScoredReceipt[], readyMs: number): { scoredAt: string; items: number; readAfterReadyMs: number }[] {
  const byChunk = new Map<string, { items: number; firstMs: number }>();
  for (const r of receipts) {
    const c = byChunk.get(r.scoredAt) ?? { items: 0, firstMs: Infinity };
    byChunk.set(r.scoredAt, { items: c.items + 1, firstMs: Math.min(c.firstMs, r.receivedMs) });
  }
  return [...byChunk].map(([scoredAt, c]) => ({ scoredAt, items: c.items, readAfterReadyMs: c.firstMs - readyMs })).sort((a, b) => a.readAfterReadyMs - b.readAfterReadyMs);
}

// ---- 3. alert latency ----

async function latencyRun(kafka: Kafka, pool: TextPool, ratePerSec: number, runId: string) {
  const plan = planLatencyStream(pool, { ...DEFAULT_LATENCY_STREAM, ratePerSec, seconds: opts.seconds, seed: opts.seed }, `${runId}-lat`);
  log(`latency: ${plan.items.length} items over ${opts.seconds} s at ${ratePerSec.toFixed(1)}/s (calm ${plan.calmRatePerSec.toFixed(1)}/s), ${plan.surges.length} surges of ${plan.surgeItems}`);
  const t = runTopics(`${runId}-lat`);
  await createTopics(kafka, t);
  const readers: Reader[] = [];
  let svc: Service | undefined;
  try {
    const receipts: AlertReceipt[] = [];
    const alerts = await reader(kafka, t.byRole.alerts.name, (v, receivedMs) =>
      receipts.push({ alertId: String(v['alertId']), triggerItemId: String(v['triggerItemId']), key: String(v['key']), receivedMs }),
    );
    readers.push(alerts);
    const scoredMs = new Map<string, number>();
    const scored = await reader(kafka, t.byRole.scored.name, (v, receivedMs) => void scoredMs.set(String(v['id']), receivedMs));
    readers.push(scored);
    svc = await startService(t, 'latency', { ...LATENCY_ALERTING_ENV });
    const lag = sampleLag(svc.metricsUrl);
    const producer = createEventProducer(kafka);
    await producer.connect();
    const sentMs = new Map<string, number>();
    const load1 = loads()[0] as number;
    const startMs = Date.now();
    const paced = await paceRecords(plan.items, {
      ratePerSec: plan.items.length / opts.seconds,
      send: async (batch) => {
        const values = batch.map((it) => stampAt(it, startMs));
        const now = Date.now();
        for (const v of values) sentMs.set(v.id, now);
        await producer.send(t.newsRaw, values);
      },
    });
    await producer.disconnect();
    log(`latency: sent ${paced.sent} in ${(paced.elapsedMs / 1000).toFixed(1)} s; waiting for both stages to catch up`);
    const admin = kafka.admin();
    await admin.connect();
    try {
      await waitFor('the stages to catch up', 300_000, async () => (await caughtUp(admin, t.groups.score, t.newsRaw.name)) && (await caughtUp(admin, t.groups.windows, t.byRole.windowEvents.name)));
    } finally {
      await admin.disconnect();
    }
    const lagPeak = await lag.stop();
    await sleep(2_000);
    await Promise.all([alerts.stop(), scored.stop()]);
    const latency = alertLatency(receipts, sentMs, scoredMs);
    log(`latency: ${latency.alerts} alerts (${JSON.stringify(latency.byKind)}), p50 ${latency.p50Ms} ms, p99 ${latency.p99Ms} ms (to scored p50 ${latency.toScored.p50Ms}, scored to alert p50 ${latency.scoredToAlert.p50Ms}); score lag max ${lagPeak.maxTotal} (load ${load1})`);
    return { latency, lag: lagPeak, plan, sent: paced.sent, sentSeconds: paced.elapsedMs / 1000, load1 };
  } finally {
    if (svc) await stopService(svc);
    await deleteTopics(kafka, t, readers);
  }
}

async function main(): Promise<void> {
  const started = new Date();
  const loadsAtStart = loads();
  log(`load average at start ${loadsAtStart.join(' / ')}`);
  const { records, bad } = parseNewsLines(readFileSync(opts.news, 'utf8'));
  if (bad.length > 0) throw new Error(`${opts.news}: ${bad.length} bad line(s), first at line ${bad[0]?.line}: ${bad[0]?.reason}`);
  const templates = records.map((r) => r.value);
  const texts = templates.map((v) => modelText(newsItemFromRecord(v), MAX_TEXT_CHARS));
  const kafka = createKafka({ clientId: 'sentiment-throughput-bench', brokers: opts.brokers, logLevel: 'error' });
  const runId = `${Date.now().toString(36)}-${Math.random().toString(16).slice(2, 8)}`;

  if (!hasModel()) {
    // The service trains its sample model at start when the repository lacks it; do that once, untimed.
    log(`no ${MODEL} in ${relative(root, opts.repo)}: starting the service once to train it`);
    const t = runTopics(`${runId}-boot`);
    await createTopics(kafka, t);
    const svc = await startService(t, 'bootstrap');
    await stopService(svc);
    await deleteTopics(kafka, t, []);
  }

  // Ceilings and pipeline runs interleaved: c0 p1 c1 p2 c2 …; each run is judged against the mean of the ceilings around it.
  const negative: (boolean | undefined)[] = texts.map(() => undefined);
  const ceilings = [await ceiling(texts, opts.ceilingSeconds, opts.warmupSeconds, negative)];
  log(`ceiling 0: ${ceilings[0]?.textsPerSec.toFixed(1)} texts/s (load ${ceilings[0]?.load1})`);
  const reps: Rep[] = [];
  for (let rep = 1; rep <= opts.reps; rep++) {
    const tp = await throughputRun(kafka, templates, `${runId}-r${rep}`);
    const next = await ceiling(texts, opts.ceilingSeconds, Math.min(opts.warmupSeconds, 2), negative);
    ceilings.push(next);
    const around = [ceilings[rep - 1] as Ceiling, next];
    const ceilingTextsPerSec = (around[0].textsPerSec + around[1].textsPerSec) / 2;
    const ceilingTextsPerCpuSecond = (around[0].texts + around[1].texts) / (around[0].cpuSeconds + around[1].cpuSeconds);
    const ceilingBusy = (around[0].modelSeconds + around[1].modelSeconds) / (around[0].seconds + around[1].seconds);
    const modelBusyRatio = tp.modelSeconds / (tp.spanMs / 1000) / ceilingBusy;
    reps.push({ rep, tp, ceilingTextsPerSec, ratio: tp.itemsPerSec / ceilingTextsPerSec, cpuRatio: tp.items / tp.serviceCpuSeconds / ceilingTextsPerCpuSecond, modelBusyRatio });
    log(`rep ${rep}/${opts.reps}: ${tp.itemsPerSec.toFixed(1)} items/s vs ceiling ${ceilingTextsPerSec.toFixed(1)} texts/s (ceiling ${rep}: ${next.textsPerSec.toFixed(1)}, load ${next.load1}): `
      + `ratio ${(tp.itemsPerSec / ceilingTextsPerSec).toFixed(3)}; model busy ${(tp.modelSeconds / (tp.spanMs / 1000)).toFixed(3)} of the span (busy ratio ${modelBusyRatio.toFixed(3)})`);
  }
  const median = medianRun(reps, (r) => r.ratio);
  const { tp } = median;

  const labelled = templates.map((v, i) => ({ v, neg: negative[i] })).filter((x) => x.neg !== undefined);
  const pool: TextPool = { negative: labelled.filter((x) => x.neg).map((x) => x.v), other: labelled.filter((x) => !x.neg).map((x) => x.v) };
  const rate = opts.latencyRate ?? tp.itemsPerSec / 2;
  const lat = await latencyRun(kafka, pool, rate, runId);
  if (lat.latency.alerts < MIN_ALERTS) log(`WARNING: only ${lat.latency.alerts} alerts (< ${MIN_ALERTS}): p99 is close to the maximum; run longer (--seconds)`);

  const flat = {
    itemsPerSec: r1(tp.itemsPerSec),
    classifierTextsPerSec: r1(median.ceilingTextsPerSec),
    pipelineToCeilingRatio: round(median.ratio, 3),
    alertLatencyP50Ms: Math.round(lat.latency.p50Ms),
    alertLatencyP99Ms: Math.round(lat.latency.p99Ms),
    maxConsumerLag: lat.lag.maxTotal,
  };
  const command = `npx tsx --tsconfig tools/tsconfig.json tools/bench/sentiment-throughput.ts ${opts.flags}`;
  const machine = `${machineLabel()}; load average ${loadsAtStart.join(' / ')} at start (shared machine)`;
  const details = {
    throughput: {
      service: `apps/sentiment-monitor started by ${CHILD} (startSentimentMonitor on uniquely named topic copies, the integration specs' consumer timings), `
        + `model ${MODEL} v${ceilings[0]?.version} on base ${opts.baseModel}, follower off, SENTIMENT_STAGE_MAX_BATCH ${CHUNK}, alerting defaults in the throughput runs`,
      texts: { file: relative(root, opts.news), distinct: texts.length, maxTextChars: MAX_TEXT_CHARS },
      how: `ceiling = ModelRepository.infer(${MODEL}, chunk, { withEmbedding: true }) in the bench process, ${TOPICS.newsRaw.partitions} chunks of ${CHUNK} in flight `
        + '(one per news.raw partition), same TUNELINE_* settings as the service; pipeline = --items records pre-produced, the service started, items over first '
        + 'chunk start (scoredAt) -> last sentiment.scored record read (read_committed). Ceilings and pipeline runs interleaved; each run against the mean of the '
        + 'ceilings before and after it; the flat figures are the median run by ratio. cpuRatio = items per CPU second of the service process over texts per CPU '
        + 'second of the ceiling process (the broker not counted). modelBusy = time inside model runs (tuneline_inference_run_seconds) over the span, so '
        + 'ratio = (pipeline modelBusy x items per model second) / (ceiling modelBusy x texts per model second); modelBusyRatio, the busy factors alone, '
        + 'is how much of the model\'s time the pipeline keeps it working, whatever the shared machine does to the model\'s speed meanwhile.',
      ceilings: ceilings.map((c, i) => ({ after: i === 0 ? 'start' : `rep ${i}`, ...ceilingView(c) })),
      reps: reps.map((r) => ({
        rep: r.rep, itemsPerSec: r1(r.tp.itemsPerSec), ceilingTextsPerSec: r1(r.ceilingTextsPerSec), ratio: round(r.ratio, 3), modelBusyRatio: round(r.modelBusyRatio, 3), cpuRatio: round(r.cpuRatio, 3),
        items: r.tp.items, chunks: r.tp.chunks, spanSeconds: round(r.tp.spanMs / 1000, 1), readSpanItemsPerSec: r1(r.tp.readSpanItemsPerSec),
        duplicates: r.tp.duplicates, load1: r.tp.load1, serviceCores: round(r.tp.serviceCpuSeconds / (r.tp.spanMs / 1000), 2),
        itemsPerServiceCpuSecond: round(r.tp.items / r.tp.serviceCpuSeconds, 1),
        modelBusy: round(r.tp.modelSeconds / (r.tp.spanMs / 1000), 3), itemsPerModelSecond: round(r.tp.items / r.tp.modelSeconds, 1),
        brokerCpuSeconds: r.tp.brokerCpuSeconds === undefined ? null : round(r.tp.brokerCpuSeconds, 1), backlogLag: r.tp.lag,
      })),
      medianRep: median.rep,
      target: { pipelineToCeilingRatio: `>= ${TARGET_RATIO}`, met: median.ratio >= TARGET_RATIO },
    },
    latency: {
      ratePerSec: round(rate, 2), seconds: opts.seconds, itemsSent: lat.sent, sendSeconds: round(lat.sentSeconds, 1), load1: lat.load1,
      stream: { entities: DEFAULT_LATENCY_STREAM.entities.length, surges: lat.plan.surges.length, surgeItems: lat.plan.surgeItems, surgeEveryMs: DEFAULT_LATENCY_STREAM.surgeEveryMs,
        surgeMs: DEFAULT_LATENCY_STREAM.surgeMs, calmRatePerSec: round(lat.plan.calmRatePerSec, 2), calmNegativeShare: DEFAULT_LATENCY_STREAM.calmNegativeShare,
        pool: { negative: pool.negative.length, other: pool.other.length } },
      alerting: LATENCY_ALERTING,
      alerts: lat.latency.alerts, byKind: lat.latency.byKind, minMs: Math.round(lat.latency.minMs), p90Ms: Math.round(lat.latency.p90Ms), maxMs: Math.round(lat.latency.maxMs),
      // Split at the trigger item's sentiment.scored record (read by the bench, read_committed).
      sentToScored: lat.latency.toScored, scoredToAlert: lat.latency.scoredToAlert,
      unknownTrigger: lat.latency.unknownTrigger, duplicates: lat.latency.duplicates,
      scoreLag: lat.lag,
    },
  };
  const part = { part: 'throughput', command, date: started.toISOString(), machine, flat, nested: { details } };
  if (opts.write) process.stdout.write(mergeBenchJson(resolve(root, opts.out), part, SENTIMENT_MONITOR_THROUGHPUT_KEYS));
  else process.stdout.write(JSON.stringify({ ...flat, details }, null, 2) + '\n');
  log(`items/s ${flat.itemsPerSec} vs ceiling ${flat.classifierTextsPerSec} texts/s (median rep ${median.rep}): ratio ${flat.pipelineToCeilingRatio} (target >= ${TARGET_RATIO}: ${median.ratio >= TARGET_RATIO ? 'met' : 'NOT met'}); `
    + `alert latency p50 ${flat.alertLatencyP50Ms} ms, p99 ${flat.alertLatencyP99Ms} ms over ${lat.latency.alerts} alerts; max score lag ${flat.maxConsumerLag}`);
}

main().then(
  () => process.exit(0),
  (e: Error) => {
    process.stderr.write(`${e.stack}\n`);
    process.exit(1);
  },
);
