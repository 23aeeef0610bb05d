import type { Admin, ITopicConfig, Kafka } from 'kafkajs';
import { sleep } from './backoff';
import { asKafkaAuthError, errorMessage, TopicSetupError } from './errors';
import { silentLogger, type EventsLogger } from './logger';
import { dlqTopicName, type AnyTopicDefinition } from './topic-definition';
import { DLQ_DEFAULT_PARTITIONS } from './topics';

export const DEFAULT_REPLICATION_FACTOR = 1;
export const DEFAULT_TOPIC_SETUP_TIMEOUT_MS = 30_000;

export interface EnsureTopicsOptions {
  /** Overrides every definition's default partition count (DLQ topics excepted). */
  partitions?: number;
  /** 1 for the local broker; 3 on a real cluster. */
  replicationFactor?: number;
  /** Consumer groups whose `dlq.<groupId>` topics to create as well. */
  dlqGroups?: readonly string[];
  dlqPartitions?: number;
  timeoutMs?: number;
  logger?: EventsLogger;
}

export interface EnsureTopicsResult {
  /** Topics this call asked the broker to create. */
  created: string[];
  /** Topics that were already there. */
  existing: string[];
}

function isAlreadyExists(err: unknown): boolean {
  const errors = (err as { errors?: unknown }).errors;
  if (Array.isArray(errors) && errors.length > 0) return errors.every(isAlreadyExists);
  return (err as { type?: unknown }).type === 'TOPIC_ALREADY_EXISTS';
}

/** Polls metadata until every topic has its partitions and each partition a leader. */
async function waitForLeaders(admin: Admin, wanted: readonly ITopicConfig[], deadline: number): Promise<void> {
  const names = wanted.map((t) => t.topic);
  let lastProblem = 'no metadata yet';
  while (Date.now() < deadline) {
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: names });
      const notReady = topics.filter((t) => t.partitions.length === 0 || t.partitions.some((p) => p.leader < 0));
      if (notReady.length === 0) return;
      lastProblem = `no leader yet for ${notReady.map((t) => t.name).join(', ')}`;
    } catch (err) {
      lastProblem = errorMessage(err);
    }
    await sleep(100);
  }
  throw new TopicSetupError(`topics ${names.join(', ')} not ready in metadata in time: ${lastProblem}`);
}

/**
 * Creates the given topics (and DLQ topics of the given groups) if they are missing,
 * then waits until the broker's metadata shows a leader for every partition.
 * Idempotent and safe to race: TOPIC_ALREADY_EXISTS counts as success. Existing
 * topics are never altered; one with fewer partitions than its definition is logged.
 */
export async function ensureTopics(
  kafka: Kafka,
  topics: readonly AnyTopicDefinition[],
  options: EnsureTopicsOptions = {},
): Promise<EnsureTopicsResult> {
  const logger = options.logger ?? silentLogger;
  const replicationFactor = options.replicationFactor ?? DEFAULT_REPLICATION_FACTOR;
  if (!Number.isInteger(replicationFactor) || replicationFactor < 1) {
    throw new RangeError(`replicationFactor: expected an integer >= 1, got ${replicationFactor}`);
  }
  if (options.partitions !== undefined && (!Number.isInteger(options.partitions) || options.partitions < 1)) {
    throw new RangeError(`partitions: expected an integer >= 1, got ${options.partitions}`);
  }
  const wanted = new Map<string, ITopicConfig>();
  for (const t of topics) {
    wanted.set(t.name, {
      topic: t.name,
      numPartitions: options.partitions ?? t.partitions,
      replicationFactor,
      configEntries: Object.entries(t.config ?? {}).map(([name, value]) => ({ name, value })),
    });
  }
  for (const groupId of options.dlqGroups ?? []) {
    const name = dlqTopicName(groupId);
    wanted.set(name, { topic: name, numPartitions: options.dlqPartitions ?? DLQ_DEFAULT_PARTITIONS, replicationFactor });
  }
  const all = [...wanted.values()];
  if (all.length === 0) return { created: [], existing: [] };

  const timeoutMs = options.timeoutMs ?? DEFAULT_TOPIC_SETUP_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  const admin = kafka.admin();
  await admin.connect().catch((err: unknown) => {
    throw asKafkaAuthError(err);
  });
  try {
    const present = new Set(await admin.listTopics());
    const missing = all.filter((t) => !present.has(t.topic));
    const existing = all.filter((t) => present.has(t.topic)).map((t) => t.topic);
    if (missing.length > 0) {
      try {
        // Resolves false when another process created them first: fine.
        await admin.createTopics({ topics: missing, waitForLeaders: true, timeout: timeoutMs });
      } catch (err) {
        if (!isAlreadyExists(err)) {
          throw new TopicSetupError(`creating ${missing.map((t) => t.topic).join(', ')} failed: ${errorMessage(err)}`, { cause: err });
        }
      }
      logger.info({ topics: missing.map((t) => t.topic) }, 'topics created');
    }
    await waitForLeaders(admin, all, deadline);
    if (existing.length > 0) {
      const { topics: meta } = await admin.fetchTopicMetadata({ topics: existing });
      for (const t of meta) {
        const want = wanted.get(t.name)?.numPartitions ?? 0;
        if (t.partitions.length < want) {
          logger.warn({ topic: t.name, partitions: t.partitions.length, expected: want }, 'existing topic has fewer partitions than its definition');
        }
      }
    }
    return { created: missing.map((t) => t.topic), existing };
  } finally {
    await admin.disconnect();
  }
}

/**
 * Checks that the topics a consumer group needs exist and returns each one's partition
 * count; throws TopicSetupError naming the missing ones and how to create them.
 */
export async function assertTopicsExist(kafka: Kafka, topics: readonly string[], groupId: string): Promise<Map<string, number>> {
  const admin = kafka.admin();
  await admin.connect().catch((err: unknown) => {
    throw asKafkaAuthError(err);
  });
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t));
    if (missing.length > 0) {
      throw new TopicSetupError(
        `consumer group ${groupId}: missing topic(s) ${missing.join(', ')}; ` +
          `create them with ensureTopics(kafka, topics, { dlqGroups: ['${groupId}'] }) or the cluster's topic operator`,
      );
    }
    const { topics: metadata } = await admin.fetchTopicMetadata({ topics: [...topics] });
    return new Map(metadata.map((t) => [t.name, t.partitions.length]));
  } finally {
    await admin.disconnect();
  }
}
