import type { z } from 'zod';

/**
 * One Kafka topic and its contract: the value schema (checked on produce and on
 * consume), how a record's key is taken from its value, and its default partitions.
 *
 * Partitioning rule, the same for every topic: the producer hashes the key with
 * murmur2 (KafkaJS's Java-compatible DefaultPartitioner), so every record with the
 * same key lands on the same partition and keeps its order there.
 */
export interface TopicDefinition<N extends string = string, S extends z.ZodType = z.ZodType> {
  readonly name: N;
  readonly schema: S;
  /** Default partition count used when the topic is created. */
  readonly partitions: number;
  /** What the topic carries and what its key orders. */
  readonly description: string;
  /** Topic-level broker config applied on creation (e.g. `retention.ms`). */
  readonly config?: Readonly<Record<string, string>>;
  /** The ordering key of a value (method syntax keeps definitions assignable to AnyTopicDefinition). */
  key(value: z.output<S>): string;
}

export type AnyTopicDefinition = TopicDefinition<string, z.ZodType>;

/** What a producer accepts for a topic (schema input: defaults may still be missing). */
export type TopicInput<T extends AnyTopicDefinition> = z.input<T['schema']>;

/** What a consumer receives for a topic (schema output, already validated). */
export type TopicValue<T extends AnyTopicDefinition> = z.output<T['schema']>;

export interface TopicSpec<N extends string, S extends z.ZodType> {
  name: N;
  schema: S;
  partitions: number;
  description: string;
  config?: Readonly<Record<string, string>>;
  key: (value: z.output<S>) => string;
}

// Kafka's legal topic name characters and length.
const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;
export const DLQ_TOPIC_PREFIX = 'dlq.';

export function assertTopicName(name: string, fieldName = 'name'): void {
  if (typeof name !== 'string' || !TOPIC_NAME.test(name) || name === '.' || name === '..') {
    throw new TypeError(`${fieldName}: "${String(name)}" is not a legal Kafka topic name ([a-zA-Z0-9._-], 1-249 chars)`);
  }
}

/** Declares a topic; `send(topic, values)` and consumer handlers are typed from it. */
export function defineTopic<const N extends string, S extends z.ZodType>(spec: TopicSpec<N, S>): TopicDefinition<N, S> {
  assertTopicName(spec.name);
  if (!Number.isInteger(spec.partitions) || spec.partitions < 1) {
    throw new RangeError(`partitions: expected a positive integer for ${spec.name}, got ${spec.partitions}`);
  }
  if (typeof spec.key !== 'function') throw new TypeError(`key: expected a function for ${spec.name}`);
  if (typeof spec.schema?.safeParse !== 'function') throw new TypeError(`schema: expected a zod schema for ${spec.name}`);
  const keyOf = spec.key;
  return Object.freeze({
    name: spec.name,
    schema: spec.schema,
    partitions: spec.partitions,
    description: spec.description,
    ...(spec.config ? { config: Object.freeze({ ...spec.config }) } : {}),
    key: (value: z.output<S>) => keyOf(value),
  });
}

/** The dead-letter topic of a consumer group: `dlq.<groupId>`. */
export function dlqTopicName(groupId: string): string {
  if (typeof groupId !== 'string' || groupId.length === 0) throw new TypeError('groupId: expected a non-empty string');
  const name = `${DLQ_TOPIC_PREFIX}${groupId}`;
  // Group ids may hold any character; topic names may not, so refuse rather than mangle.
  assertTopicName(name, 'groupId');
  return name;
}
