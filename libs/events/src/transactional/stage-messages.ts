import type { Message } from 'kafkajs';
import type { BatchRecord } from '../batch-context';
import { decodeHeaders, decodeValue, encodeValue } from '../codec';
import type { ConsumedEvent } from '../consumer-types';
import { buildDlqMessage } from '../dlq';
import { assertRecordSize, chunkBySize, estimateRecordBytes } from '../record-size';
import { STAGE_SNAPSHOT_VERSION, type StageSnapshotValue } from '../schemas';
import type { AnyTopicDefinition } from '../topic-definition';
import { splitSnapshot } from './snapshot-chunks';
import type { StageChangelogTopic, StageRecord } from './types';

// Turning one chunk into Kafka messages and back: pure apart from the clock.

export interface DecodedChunk<T extends AnyTopicDefinition> {
  readonly events: ConsumedEvent<T>[];
  /** Records that cannot reach `process`: undecodable or schema-invalid. */
  readonly invalid: { readonly record: BatchRecord; readonly error: unknown }[];
}

/** Decodes and validates a chunk's records; the valid ones become events in offset order. */
export function decodeChunk<T extends AnyTopicDefinition>(
  topic: T,
  partition: number,
  records: readonly BatchRecord[],
  attempt: number,
  signal: AbortSignal,
): DecodedChunk<T> {
  const events: ConsumedEvent<T>[] = [];
  const invalid: { record: BatchRecord; error: unknown }[] = [];
  for (const record of records) {
    try {
      const value: unknown = decodeValue(topic, record.value);
      const event = {
        topic: topic.name,
        partition,
        offset: record.offset,
        key: record.key === null ? null : record.key.toString('utf8'),
        headers: decodeHeaders(record.headers),
        timestamp: record.timestamp,
        attempt,
        signal,
        value,
      };
      // The value passed the topic's own schema, which is what ConsumedEvent<T> promises.
      events.push(event as unknown as ConsumedEvent<T>);
    } catch (error) {
      invalid.push({ record, error });
    }
  }
  return { events, invalid };
}

export interface OutgoingMessage {
  readonly topic: string;
  readonly message: Message;
  readonly bytes: number;
}

/** Validates, encodes and size-checks one output record (throws SchemaValidationError, MessageTooLargeError, TypeError). */
export function encodeStageRecord(record: StageRecord, index: number, maxMessageBytes: number): OutgoingMessage {
  if (typeof record?.topic?.schema?.safeParse !== 'function') throw new TypeError(`records[${index}].topic: expected a topic definition`);
  const { topic } = record;
  const { parsed, bytes } = encodeValue(topic, record.value, ` (record #${index})`);
  const key = record.key ?? topic.key(parsed);
  if (typeof key !== 'string') throw new TypeError(`records[${index}].key: expected a string`);
  if (record.partition !== undefined && (!Number.isInteger(record.partition) || record.partition < 0)) {
    throw new TypeError(`records[${index}].partition: expected a partition number, got ${String(record.partition)}`);
  }
  const message: Message = { key, value: bytes, ...(record.partition === undefined ? {} : { partition: record.partition }) };
  const size = estimateRecordBytes(message);
  assertRecordSize(topic.name, index, size, maxMessageBytes);
  return { topic: topic.name, message, bytes: size };
}

/**
 * Groups messages into sends of at most `maxBytes` in all, each send's messages grouped by
 * topic in their original order, so no per-partition record batch outgrows the broker's limit.
 */
export function groupSends(messages: readonly OutgoingMessage[], maxBytes: number): { topic: string; messages: Message[] }[][] {
  return chunkBySize(messages, messages.map((m) => m.bytes), maxBytes).map((chunk) => {
    const byTopic = new Map<string, Message[]>();
    for (const m of chunk) {
      const list = byTopic.get(m.topic) ?? [];
      list.push(m.message);
      byTopic.set(m.topic, list);
    }
    return [...byTopic].map(([topic, list]) => ({ topic, messages: list }));
  });
}

export interface DeadLetterSource {
  readonly record: BatchRecord;
  readonly error: unknown;
  readonly attempts: number;
}

export interface DeadLetterTarget {
  readonly groupId: string;
  readonly dlqTopic: string;
  /** The input topic and partition the records came from. */
  readonly topic: string;
  readonly partition: number;
  readonly maxMessageBytes: number;
}

/** The DLQ messages of a chunk (see buildDlqMessage: cut down to fit `maxMessageBytes`). */
export function deadLetterMessages(target: DeadLetterTarget, sources: readonly DeadLetterSource[]): OutgoingMessage[] {
  const { groupId, topic, partition, maxMessageBytes } = target;
  return sources.map(({ record, error, attempts }) => {
    const message = buildDlqMessage({
      groupId,
      topic,
      partition,
      offset: record.offset,
      timestamp: record.timestamp,
      key: record.key,
      value: record.value,
      headers: record.headers,
      error,
      attempts,
      maxMessageBytes,
    });
    return { topic: target.dlqTopic, message, bytes: estimateRecordBytes(message) };
  });
}

export interface SnapshotInput {
  readonly changelog: StageChangelogTopic;
  readonly groupId: string;
  readonly partition: number;
  readonly nextOffset: string;
  readonly text: string;
  readonly maxChunkBytes?: number;
  readonly now?: Date;
}

/** The chunk records of one snapshot, chunk 0 first, each to changelog partition = input partition. */
export function snapshotMessages(input: SnapshotInput): Message[] {
  const pieces = splitSnapshot(input.text, input.maxChunkBytes);
  const savedAt = (input.now ?? new Date()).toISOString();
  return pieces.map((data, chunk) => {
    const value: StageSnapshotValue = {
      v: STAGE_SNAPSHOT_VERSION,
      groupId: input.groupId,
      partition: input.partition,
      nextOffset: input.nextOffset,
      chunk,
      chunks: pieces.length,
      data,
      savedAt,
    };
    const { parsed, bytes } = encodeValue(input.changelog, value, `snapshot chunk #${chunk}`);
    return { key: input.changelog.key(parsed), value: bytes, partition: input.partition };
  });
}
