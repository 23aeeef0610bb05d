/**
 * Helpers for the integration specs: uniquely named copies of the topics the service uses
 * (and a unique service name and Redis key prefix, so groups, dead-letter topics and profiles
 * never meet another run's), the service's config on port 0, HTTP/gRPC callers and readers.
 */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import type { Kafka } from 'kafkajs';
import { createKafka, defineTopic, dlqTopic, ensureTopics, TOPICS, type ConsumerTuning, type TopicDefinition } from '@tuneline/events';
import { createLogger, loadConfig, type Logger } from '@tuneline/platform';
import { recommenderConfigSchema, withServiceDefaults, type RecommenderConfig } from '../../src/config';
import { groupIdsOf } from '../../src/events/consumers';
import type { RecommenderTopics } from '../../src/events/recommender-topics';

export const BROKERS = process.env['KAFKA_BROKERS'] || '127.0.0.1:9092';
export const REDIS_URL = process.env['REDIS_URL'] || 'redis://127.0.0.1:6379';
export const WORKSPACE_ROOT = resolve(__dirname, '../../../..');

/** Low timeouts so joins, stops and rebalances take seconds, not half a minute. */
export const FAST_CONSUMER: ConsumerTuning = { sessionTimeout: 6_000, rebalanceTimeout: 6_000, heartbeatInterval: 500, maxWaitTimeInMs: 100 };

/** Lower-case, so it fits SERVICE_NAME's kebab-case. */
export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

export function testTopics(suffix: string): RecommenderTopics {
  const copy = <T extends TopicDefinition>(t: T, name: string) => defineTopic({ ...t, name: `test.${name}.${suffix}`, key: t.key }) as unknown as TopicDefinition<string, T['schema']>;
  return {
    userEvents: copy(TOPICS.userEvents, 'user.events'),
    catalogItems: copy(TOPICS.catalogItems, 'catalog.items'),
    modelPublished: copy(TOPICS.modelPublished, 'model.published'),
  };
}

export const serviceNameOf = (suffix: string) => `rec-${suffix}`;
export const sharedGroupOf = (service: string) => groupIdsOf(service, 'x', 'x').shared;

export async function createTestTopics(kafka: Kafka, topics: RecommenderTopics, service: string): Promise<void> {
  // The shared dev broker sometimes answers a fresh topic's metadata with "does not host this topic-partition"; ensureTopics is idempotent.
  for (let attempt = 1; ; attempt++) {
    try {
      return void (await ensureTopics(kafka, Object.values(topics), { dlqGroups: [sharedGroupOf(service)] }));
    } catch (err) {
      if (attempt >= 3) throw err;
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }
}

export async function deleteTestTopics(kafka: Kafka, topics: RecommenderTopics, service: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ours = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith(`${service}.`));
    await admin.deleteGroups(ours).catch(() => undefined);
    await admin.deleteTopics({ topics: [...Object.values(topics).map((t) => t.name), dlqTopic(sharedGroupOf(service)).name] }).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
}

export function testKafka(clientId: string): Kafka {
  return createKafka({ clientId, brokers: BROKERS.split(','), logLevel: 'error' });
}

/** The environment a test service runs with. */
export function testEnv(repo: string, service: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    BIND_HOST: '127.0.0.1',
    HTTP_PORT: '0',
    GRPC_PORT: '0',
    LOG_LEVEL: process.env['RECOMMENDER_TEST_LOG'] ?? 'silent',
    KAFKA_BROKERS: BROKERS,
    TUNELINE_MODEL_REPO: repo,
    // int8 encoder: the real model, about twice as fast on these 2 cores as fp32.
    RECOMMEND_ENCODER: 'int8',
    RECOMMEND_FOLLOW_MODELS: 'false',
    SERVICE_NAME: service,
    SHUTDOWN_GRACE_MS: '15000',
    ...(process.env['TUNELINE_CACHE'] ? { TUNELINE_CACHE: process.env['TUNELINE_CACHE'] } : {}),
    ...overrides,
  };
}

export function testConfig(env: Record<string, string>): RecommenderConfig {
  return loadConfig(recommenderConfigSchema, withServiceDefaults(env));
}

export function testLogger(name: string): Logger {
  return createLogger({ service: name, level: (process.env['RECOMMENDER_TEST_LOG'] as 'info' | undefined) ?? 'silent' });
}

export interface HttpAnswer<B = Record<string, unknown>> {
  readonly status: number;
  readonly headers: Headers;
  /** The JSON answer (typed as the caller expects it; an error answer has only `error`). */
  readonly body: B & { error?: { code: string; message: string } };
}

export async function postJson<B = Record<string, unknown>>(port: number, path: string, body: unknown): Promise<HttpAnswer<B>> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text.startsWith('{') ? JSON.parse(text) : { raw: text }) as HttpAnswer<B>['body'] };
}

export async function waitFor(what: string, ok: () => Promise<boolean> | boolean, timeoutMs: number, everyMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export interface ReadRecord<T> {
  readonly value: T;
  readonly key: string | null;
  readonly partition: number;
  readonly offset: string;
}

/** Reads `topic` from the beginning in a throwaway group until `count` records arrived and it went quiet for `settleMs`. */
export async function readTopic<T>(kafka: Kafka, topic: string, parse: (value: unknown) => T, options: { count: number; settleMs?: number; timeoutMs?: number }): Promise<ReadRecord<T>[]> {
  const groupId = `test.reader.${uniqueSuffix()}`;
  const consumer = kafka.consumer({ groupId, ...FAST_CONSUMER });
  const out: ReadRecord<T>[] = [];
  let lastAt = Date.now();
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        out.push({ value: parse(JSON.parse(message.value?.toString('utf8') ?? 'null')), partition, offset: message.offset, key: message.key?.toString('utf8') ?? null });
        lastAt = Date.now();
      },
    });
    await waitFor(`${options.count} records on ${topic} (got ${out.length})`, () => out.length >= options.count, options.timeoutMs ?? 60_000);
    const settleMs = options.settleMs ?? 1_000;
    await waitFor(`${topic} to go quiet`, () => Date.now() - lastAt >= settleMs, settleMs + 30_000);
    return out;
  } finally {
    await consumer.disconnect();
    // A throwaway group: leave nothing behind on the shared broker.
    const admin = kafka.admin();
    await admin.connect().then(() => admin.deleteGroups([groupId])).catch(() => undefined).finally(() => admin.disconnect());
  }
}
