/**
 * Helpers for the integration specs: uniquely named copies of every topic the service uses
 * (and a unique service name, so groups and transactional ids never meet another run's), the
 * service's config on port 0, the sample stream, and read_committed readers.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Kafka } from 'kafkajs';
import { z } from 'zod';
import {
  createEventProducer,
  createKafka,
  defineTopic,
  dlqTopic,
  ensureTopics,
  TOPICS,
  type ConsumerTuning,
  type NewsRawValue,
  type TopicDefinition,
} from '@tuneline/events';
import { createLogger, loadConfig, type Logger } from '@tuneline/platform';
import { sentimentSamplePath } from '@tuneline/sentiment';
import { sentimentMonitorConfigSchema, withServiceDefaults, type SentimentMonitorConfig } from '../../src/config';
import type { SentimentTopics } from '../../src/pipeline/sentiment-topics';

export const BROKERS = process.env['KAFKA_BROKERS'] || '127.0.0.1:9092';
export const WORKSPACE_ROOT = resolve(__dirname, '../../../..');

/** Low timeouts so joins, stops and a killed member's departure take seconds, not half a minute. */
export const FAST_CONSUMER: ConsumerTuning = {
  sessionTimeout: 6_000, // the broker's group.min.session.timeout.ms
  rebalanceTimeout: 6_000,
  heartbeatInterval: 500,
  maxWaitTimeInMs: 100,
};

/** Lower-case, so it fits SERVICE_NAME's kebab-case. */
export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

export function testTopics(suffix: string): SentimentTopics {
  const copy = <T extends TopicDefinition>(t: T, name: string) => defineTopic({ ...t, name: `test.${name}.${suffix}`, key: t.key }) as unknown as TopicDefinition<string, T['schema']>;
  return {
    newsRaw: copy(TOPICS.newsRaw, 'news.raw'),
    scored: copy(TOPICS.sentimentScored, 'sentiment.scored'),
    windowEvents: copy(TOPICS.sentimentWindowEvents, 'sentiment.window-events'),
    windowState: copy(TOPICS.sentimentWindowState, 'sentiment.window-state'),
    alerts: copy(TOPICS.sentimentAlerts, 'sentiment.alerts'),
    modelPublished: copy(TOPICS.modelPublished, 'model.published'),
  };
}

export const serviceNameOf = (suffix: string) => `sm-${suffix}`;
export const stageGroups = (service: string) => ({ score: `${service}.score`, windows: `${service}.windows` });

export async function createTestTopics(kafka: Kafka, topics: SentimentTopics, service: string): Promise<void> {
  const groups = stageGroups(service);
  // The shared dev broker sometimes answers a metadata request of a fresh topic with "does not host
  // this topic-partition" while other specs create and delete topics; ensureTopics is idempotent, so try again.
  for (let attempt = 1; ; attempt++) {
    try {
      return void (await ensureTopics(kafka, Object.values(topics), { dlqGroups: [groups.score, groups.windows] }));
    } catch (err) {
      if (attempt >= 3) throw err;
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }
}

export async function deleteTestTopics(kafka: Kafka, topics: SentimentTopics, service: string): Promise<void> {
  const groups = stageGroups(service);
  const admin = kafka.admin();
  await admin.connect();
  try {
    const all = await admin.listGroups();
    const ours = all.groups.map((g) => g.groupId).filter((g) => g.startsWith(`${service}.`));
    await admin.deleteGroups(ours).catch(() => undefined);
    await admin.deleteTopics({ topics: [...Object.values(topics).map((t) => t.name), dlqTopic(groups.score).name, dlqTopic(groups.windows).name] }).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
}

export function testKafka(clientId: string): Kafka {
  return createKafka({ clientId, brokers: BROKERS.split(','), logLevel: 'error' });
}

/** The environment a test service runs with (also handed to the child process). */
export function testEnv(repo: string, service: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    BIND_HOST: '127.0.0.1',
    HTTP_PORT: '0',
    GRPC_PORT: '0',
    LOG_LEVEL: process.env['SENTIMENT_TEST_LOG'] ?? 'silent',
    KAFKA_BROKERS: BROKERS,
    TUNELINE_MODEL_REPO: repo,
    // int8 encoder: the real model, about twice as fast on these 2 cores as fp32.
    SENTIMENT_BASE_MODEL: 'int8',
    SENTIMENT_FOLLOW_MODELS: 'false',
    SERVICE_NAME: service,
    SHUTDOWN_GRACE_MS: '15000',
    ...(process.env['TUNELINE_CACHE'] ? { TUNELINE_CACHE: process.env['TUNELINE_CACHE'] } : {}),
    ...overrides,
  };
}

export function testConfig(env: Record<string, string>): SentimentMonitorConfig {
  return loadConfig(sentimentMonitorConfigSchema, withServiceDefaults(env));
}

export function testLogger(name: string): Logger {
  return createLogger({ service: name, level: (process.env['SENTIMENT_TEST_LOG'] as 'info' | undefined) ?? 'silent' });
}

/** The shipped sample stream (news.raw records in event-time order). */
export function sampleRecords(): NewsRawValue[] {
  return readFileSync(sentimentSamplePath('newsStream'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => TOPICS.newsRaw.schema.parse(JSON.parse(l)));
}

export interface SampleTruth {
  readonly surges: readonly { readonly entity: string; readonly key: string; readonly startMs: number; readonly endMs: number }[];
  readonly steady: readonly string[];
}

export function sampleTruth(): SampleTruth {
  return JSON.parse(readFileSync(sentimentSamplePath('newsStreamTruth'), 'utf8')) as SampleTruth;
}

/**
 * Ten clearly negative items per entity (tagged upstream), interleaved in event-time order, 20 s
 * apart from `startIso`: inside one 15-minute window, a surge for an entity without history.
 */
export function negativeSurges(entities: readonly string[], startIso: string, idPrefix: string): NewsRawValue[] {
  const start = Date.parse(startIso);
  return entities
    .flatMap((entity, e) =>
      Array.from({ length: 10 }, (_, i) => ({
        id: `${idPrefix}-${e}-${i}`,
        source: 'wire',
        published_at: new Date(start + (i * entities.length + e) * 10_000).toISOString(),
        title: `${entity} shares crash after fraud charges and a record loss.`,
        body: 'Regulators fined the company and its lenders cut their credit lines.',
        language: 'en',
        entities: [entity],
      })),
    )
    .sort((a, b) => a.published_at.localeCompare(b.published_at));
}

export async function produceNews(kafka: Kafka, topic: SentimentTopics['newsRaw'], values: readonly NewsRawValue[]): Promise<void> {
  const producer = createEventProducer(kafka);
  await producer.connect();
  try {
    for (let i = 0; i < values.length; i += 200) await producer.send(topic, values.slice(i, i + 200));
  } finally {
    await producer.disconnect();
  }
}

export interface ReplayOptions {
  /** Records per round. */
  readonly roundSize: number;
  /** Partitions of news.raw to rotate over (round r goes to partition r % partitions). */
  readonly partitions: number;
  /** How long one round may take to go through both stages. */
  readonly roundTimeoutMs?: number;
  /** Called after each round went through (round number from 0); a throw stops the replay. */
  readonly afterRound?: (round: number) => Promise<void>;
}

/**
 * Replays records "live": in event-time order, a round at a time, each round on one
 * partition of news.raw (the key stays the item id; the partition is chosen), and the next
 * round only once both stages have committed everything before it. So every window key
 * sees its events in event-time order whatever the stages' interleaving, and the alerts are
 * a function of the records alone: one instance or two, interrupted or not. (A backlog
 * consumed from 6 partitions at once is another matter: docs/sentiment-monitor.md, lateness.)
 */
export async function replayInRounds(kafka: Kafka, topics: SentimentTopics, service: string, values: readonly NewsRawValue[], o: ReplayOptions): Promise<void> {
  const groups = stageGroups(service);
  // KafkaJS directly: libs/events' producer picks partitions by key, and here the round picks them.
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    for (let round = 0; round * o.roundSize < values.length; round++) {
      const batch = values.slice(round * o.roundSize, (round + 1) * o.roundSize);
      const partition = round % o.partitions;
      await producer.send({
        topic: topics.newsRaw.name,
        acks: -1,
        messages: batch.map((v) => ({ key: v.id, partition, value: JSON.stringify(topics.newsRaw.schema.parse(v)) })),
      });
      const timeout = o.roundTimeoutMs ?? 120_000;
      await waitFor(() => caughtUp(kafka, groups.score, topics.newsRaw.name), timeout, () => `round ${round} through the score stage`);
      await waitFor(() => caughtUp(kafka, groups.windows, topics.windowEvents.name), timeout, () => `round ${round} through the windows stage`);
      await o.afterRound?.(round);
    }
  } finally {
    await producer.disconnect();
  }
}

export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Per-partition end offsets of a topic. */
export async function endOffsets(kafka: Kafka, topic: string): Promise<Map<number, string>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, o.high]));
  } finally {
    await admin.disconnect();
  }
}

/** Per-partition committed offsets of a group on a topic ('-1': none). */
export async function committedOffsets(kafka: Kafka, groupId: string, topic: string): Promise<Map<number, string>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return new Map((committed?.partitions ?? []).map((p) => [p.partition, p.offset]));
  } finally {
    await admin.disconnect();
  }
}

/** Whether `groupId` has committed every partition of `topic` up to its end (the stage has processed everything). */
export async function caughtUp(kafka: Kafka, groupId: string, topic: string): Promise<boolean> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, o.high]));
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const at = new Map((committed?.partitions ?? []).map((p) => [p.partition, p.offset]));
    // A partition with nothing in it needs no commit.
    return [...ends].every(([p, end]) => end === '0' || at.get(p) === end);
  } finally {
    await admin.disconnect();
  }
}

export interface ReadRecord<T> {
  readonly value: T;
  readonly partition: number;
  readonly offset: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly key: string | null;
}

/**
 * Reads a whole topic from the start, read_committed, until it has `count` records, then
 * waits `settleMs` of quiet so a late duplicate would still show. Values are parsed with
 * `schema` (z.unknown() for raw JSON).
 */
export async function readTopic<S extends z.ZodType>(
  kafka: Kafka,
  topic: string,
  schema: S,
  options: { count: number; settleMs?: number; timeoutMs?: number },
): Promise<ReadRecord<z.output<S>>[]> {
  const groupId = `test.reader.${uniqueSuffix()}`;
  const consumer = kafka.consumer({ groupId, ...FAST_CONSUMER, readUncommitted: false });
  const out: ReadRecord<z.output<S>>[] = [];
  let lastAt = Date.now();
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(message.headers ?? {})) if (v !== undefined) headers[k] = String(Array.isArray(v) ? v[0] : v);
        out.push({ value: schema.parse(JSON.parse(message.value?.toString('utf8') ?? 'null')), partition, offset: message.offset, headers, key: message.key?.toString('utf8') ?? null });
        lastAt = Date.now();
      },
    });
    await waitFor(() => out.length >= options.count, options.timeoutMs ?? 60_000, () => `${options.count} records on ${topic} (got ${out.length})`);
    const settleMs = options.settleMs ?? 1_000;
    await waitFor(() => Date.now() - lastAt >= settleMs, settleMs + 30_000, () => `${topic} to go quiet`);
    return out;
  } finally {
    await consumer.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}

/** Counts per key, for exactly-once asserts. */
export function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}
