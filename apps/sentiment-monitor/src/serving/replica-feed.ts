/**
 * A broadcast feed: every replica reads a whole topic in its own consumer group
 * (`<service>.<instance>.<start>.<feed>`, new on every start, so from the beginning), so each
 * one's AlertHub and EntitySentimentView see every record, whichever replica's stage wrote it.
 *
 * Like libs/model-lifecycle's follower, a per-replica group has no use for a dead-letter topic
 * (every replica would dead-letter the same record, and a per-replica DLQ would outlive its
 * pod): the runner gets a lenient copy of the topic, skips what does not decode, and the value
 * is checked here against the real schema; a bad one is counted, logged and passed. Reads are
 * read_committed (KafkaJS default), so only records of committed stage transactions arrive.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import {
  createConsumerRunner,
  defineTopic,
  type ConsumerRunner,
  type ConsumerTuning,
  type EventsLogger,
  type TopicDefinition,
} from '@tuneline/events';
import type { Kafka } from 'kafkajs';

/** Where a record sat: the AlertHub's resume tokens are built from it. */
export interface FeedPosition {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

export interface ReplicaFeedOptions<S extends z.ZodType> {
  readonly kafka: Kafka;
  readonly groupId: string;
  readonly topic: TopicDefinition<string, S>;
  readonly logger: EventsLogger;
  /** Called in partition order for each valid value; must not throw (a throw is logged and the record passed). */
  onValue(value: z.output<S>, position: FeedPosition): void;
  /** A record that did not decode or failed the schema (counted by the caller). */
  onRejected?(position: FeedPosition): void;
  readonly consumer?: ConsumerTuning;
}

/** A fresh id per process start: base-36 start time (sorts, and says when) plus random hex. */
export function newStartId(nowMs = Date.now()): string {
  return `${nowMs.toString(36)}-${randomBytes(3).toString('hex')}`;
}

/**
 * The feed's group: unique to this start of this replica. The hub is in memory, so every
 * start must read the topic from the beginning; a group reused across starts (a fixed
 * SENTIMENT_INSTANCE_ID) would resume at its committed offsets instead, and resetting them is
 * refused while a killed member of the group is still registered. A new group has no
 * offsets: `fromBeginning` applies, always. Kafka group ids become names in logs and tools:
 * keep to Kafka's characters.
 */
export function replicaGroupId(service: string, instanceId: string, startId: string, feed: string): string {
  for (const [field, value] of Object.entries({ service, instanceId, startId, feed })) {
    if (!/^[A-Za-z0-9._-]{1,100}$/.test(value)) throw new TypeError(`${field}: expected 1-100 of A-Z a-z 0-9 . _ -, got "${value}"`);
  }
  return `${service}.${instanceId}.${startId}.${feed}`;
}

export function createReplicaFeed<S extends z.ZodType>(o: ReplicaFeedOptions<S>): ConsumerRunner {
  const lenient = defineTopic({ ...o.topic, schema: z.unknown(), key: () => '' });
  const reject = (position: FeedPosition, reason: string) => {
    o.logger.warn({ ...position, reason }, 'feed record skipped');
    o.onRejected?.(position);
  };
  return createConsumerRunner({
    kafka: o.kafka,
    groupId: o.groupId,
    topics: [lenient],
    fromBeginning: true,
    // Partition order: the hub's resume positions are per partition and must only move forward.
    ordering: 'partition',
    verifyTopics: false,
    undecodable: 'skip',
    logger: o.logger,
    metrics: { onSkipped: (ref) => o.onRejected?.(ref) },
    ...(o.consumer ? { consumer: o.consumer } : {}),
    handler: async (event) => {
      const position = { topic: o.topic.name, partition: event.partition, offset: event.offset };
      const parsed = o.topic.schema.safeParse(event.value);
      if (!parsed.success) return reject(position, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      try {
        o.onValue(parsed.data, position);
      } catch (err) {
        reject(position, err instanceof Error ? err.message : String(err));
      }
    },
  });
}
