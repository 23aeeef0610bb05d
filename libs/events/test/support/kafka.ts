import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, type IHeaders, type Kafka as KafkaClient } from 'kafkajs';
import {
  createEventProducer,
  createKafka,
  defineTopic,
  ensureTopics,
  parseBrokers,
  silentLogger,
  type AnyTopicDefinition,
  type ConsumerRunner,
  type ConsumerTuning,
  type EventProducer,
  type EventsLogger,
  type TopicDefinition,
} from '../../src';
import type { z } from 'zod';

// Helpers for the integration specs: a real broker, random topic and group names per
// test so tests never see each other's data, and cleanup afterwards.

export const BROKERS = parseBrokers(process.env.KAFKA_BROKERS ?? '127.0.0.1:9092');

/** Low timeouts so joins, stops and crash detection take seconds, not minutes. */
export const FAST_CONSUMER: ConsumerTuning = {
  sessionTimeout: 6_000, // the broker's group.min.session.timeout.ms
  rebalanceTimeout: 6_000,
  heartbeatInterval: 500,
  maxWaitTimeInMs: 100,
};

const consoleLogger: EventsLogger = {
  debug: (o, m) => console.debug(m, o),
  info: (o, m) => console.info(m, o),
  warn: (o, m) => console.warn(m, o),
  error: (o, m) => console.error(m, o),
};

/** Set EVENTS_TEST_LOG=1 to see the library's and KafkaJS's logs. */
export const testLogger: EventsLogger = process.env.EVENTS_TEST_LOG ? consoleLogger : silentLogger;

export function uniqueName(prefix: string): string {
  return `test.${prefix}.${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

export function testKafka(clientId = 'events-int-test'): KafkaClient {
  return createKafka({ clientId, brokers: BROKERS, logger: testLogger, logLevel: process.env.EVENTS_TEST_LOG ? 'info' : 'error' });
}

/** Fails (not skips) with instructions when no broker answers. */
export async function assertBrokerReachable(): Promise<void> {
  const probe = new Kafka({
    clientId: 'events-int-probe',
    brokers: BROKERS,
    connectionTimeout: 2_000,
    retry: { retries: 2, initialRetryTime: 200 },
    logLevel: logLevel.NOTHING,
  });
  const admin = probe.admin();
  try {
    await admin.connect();
    await admin.describeCluster();
  } catch (err) {
    throw new Error(
      `Kafka broker not reachable at ${BROKERS.join(',')} (env KAFKA_BROKERS). ` +
        `Start the local broker with "bash tools/kafka/start.sh". Cause: ${(err as Error).message}`,
    );
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** Tracks topics and groups a spec created so afterAll can delete them. */
export class TestResources {
  readonly topics: string[] = [];
  readonly groups: string[] = [];

  constructor(private readonly kafka: KafkaClient) {}

  group(prefix: string): string {
    const id = uniqueName(prefix);
    this.groups.push(id);
    this.topics.push(`dlq.${id}`);
    return id;
  }

  /** A uniquely named copy of a registered topic, created with DLQ topics for the given groups. */
  async topic<S extends z.ZodType>(
    base: TopicDefinition<string, S>,
    options: { partitions: number; dlqGroups?: string[] },
  ): Promise<TopicDefinition<string, S>> {
    const topic = defineTopic({ ...base, name: uniqueName(base.name), partitions: options.partitions, key: base.key });
    this.topics.push(topic.name);
    await ensureTopics(this.kafka, [topic as AnyTopicDefinition], { dlqGroups: options.dlqGroups, logger: testLogger });
    return topic;
  }

  async cleanup(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await admin.deleteGroups(this.groups).catch(() => undefined);
      const existing = new Set(await admin.listTopics());
      const topics = this.topics.filter((t) => existing.has(t));
      if (topics.length > 0) await admin.deleteTopics({ topics }).catch(() => undefined);
    } finally {
      await admin.disconnect();
    }
  }
}

export async function waitFor(condition: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Committed offset per partition of a group on a topic ('-1' = nothing committed). */
export async function committedOffsets(kafka: KafkaClient, groupId: string, topic: string): Promise<Record<number, string>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return Object.fromEntries((entry?.partitions ?? []).map((p) => [p.partition, p.offset]));
  } finally {
    await admin.disconnect();
  }
}

/** The end (high watermark) offset per partition. */
export async function endOffsets(kafka: KafkaClient, topic: string): Promise<Record<number, string>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return Object.fromEntries(offsets.map((p) => [p.partition, p.high]));
  } finally {
    await admin.disconnect();
  }
}

export interface RawRecord {
  offset: string;
  partition: number;
  key: string | null;
  value: Buffer | null;
  headers: IHeaders;
}

/** Reads `count` records from a topic with a plain KafkaJS consumer (independent of the runner). */
export async function readRaw(kafka: KafkaClient, topic: string, count: number, timeoutMs = 20_000): Promise<RawRecord[]> {
  const groupId = uniqueName('reader');
  const consumer = kafka.consumer({ groupId, ...FAST_CONSUMER });
  const records: RawRecord[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        records.push({
          offset: message.offset,
          partition,
          key: message.key?.toString('utf8') ?? null,
          value: message.value,
          headers: message.headers ?? {},
        });
      },
    });
    await waitFor(() => records.length >= count, timeoutMs, () => `${count} records on ${topic} (got ${records.length})`);
    return records;
  } finally {
    await consumer.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}

/** Asserts the group's committed offsets reached the end of every non-empty partition. */
export async function expectCommittedAtEnd(kafka: KafkaClient, groupId: string, topic: string): Promise<void> {
  const [committed, ends] = await Promise.all([committedOffsets(kafka, groupId, topic), endOffsets(kafka, topic)]);
  const normalized = Object.fromEntries(
    Object.entries(ends).map(([p, end]) => [p, end === '0' && committed[Number(p)] === '-1' ? '0' : committed[Number(p)]]),
  );
  expect(normalized).toEqual(ends);
}

export interface BrokerFixture {
  readonly kafka: KafkaClient;
  readonly resources: TestResources;
  readonly producer: EventProducer;
  /** Runners a test started; afterAll stops any still running. */
  readonly runners: ConsumerRunner[];
}

/**
 * The per-file setup every broker spec shares: checks the broker answers, then gives a client,
 * resource bookkeeping and a typed producer; afterAll stops runners, disconnects, deletes.
 */
export function useBrokerFixture(clientId: string, producerOptions?: Parameters<typeof createEventProducer>[1]): BrokerFixture {
  let state: { kafka: KafkaClient; resources: TestResources; producer: EventProducer } | undefined;
  const runners: ConsumerRunner[] = [];
  beforeAll(async () => {
    await assertBrokerReachable();
    const kafka = testKafka(clientId);
    state = { kafka, resources: new TestResources(kafka), producer: createEventProducer(kafka, producerOptions) };
  });
  afterAll(async () => {
    await Promise.all(runners.map((r) => r.stop({ timeoutMs: 5_000 })));
    await state?.producer.disconnect();
    await state?.resources.cleanup();
  });
  const get = () => {
    if (!state) throw new Error('broker fixture used before its beforeAll ran');
    return state;
  };
  return {
    get kafka() { return get().kafka; },
    get resources() { return get().resources; },
    get producer() { return get().producer; },
    runners,
  };
}
