import { createHash } from 'node:crypto';
import type { IHeaders, Message } from 'kafkajs';
import { isUtf8 } from './codec';
import { errorCode, errorMessage } from './errors';
import { DEFAULT_MAX_MESSAGE_BYTES, estimateRecordBytes } from './record-size';
import { dlqRecordSchema, type DlqRecord, type EncodedBytes } from './schemas';

export const DLQ_REASON_HEADER = 'x-dlq-reason';
export const DLQ_VALUE_SHA256_HEADER = 'x-dlq-value-sha256';
const MAX_REASON_CHARS = 1_000;

/** A record that could not be processed, and why. */
export interface DeadLetterInput {
  groupId: string;
  topic: string;
  partition: number;
  offset: string;
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
  headers?: IHeaders;
  error: unknown;
  attempts: number;
  failedAt?: Date;
  /** Size limit of the dead letter itself; the value is left out when it would not fit. */
  maxMessageBytes?: number;
}

function encodeBytes(bytes: Buffer | null): EncodedBytes | null {
  if (bytes === null) return null;
  return isUtf8(bytes) ? { encoding: 'utf8', data: bytes.toString('utf8') } : { encoding: 'base64', data: bytes.toString('base64') };
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** `CODE: message`, bounded, for the `x-dlq-reason` header. */
export function dlqReason(error: unknown): string {
  return truncate(`${errorCode(error)}: ${errorMessage(error)}`, MAX_REASON_CHARS);
}

/** Builds the dead-letter record value (validated against dlqRecordSchema). */
export function buildDlqRecord(input: DeadLetterInput, omitValue = false): DlqRecord {
  const err = input.error;
  return dlqRecordSchema.parse({
    groupId: input.groupId,
    originalTopic: input.topic,
    originalPartition: input.partition,
    originalOffset: input.offset,
    originalTimestamp: input.timestamp,
    originalKey: encodeBytes(input.key),
    originalValue: omitValue ? null : encodeBytes(input.value),
    originalValueBytes: input.value?.length ?? 0,
    originalValueOmitted: omitValue,
    error: {
      code: errorCode(err),
      message: truncate(errorMessage(err), 4 * MAX_REASON_CHARS),
      name: err instanceof Error ? err.name : typeof err,
    },
    attempts: input.attempts,
    failedAt: (input.failedAt ?? new Date()).toISOString(),
  } satisfies DlqRecord);
}

/** The key of a dead letter: the failed record's coordinates (unique, stable on re-delivery). */
export function dlqKey(topic: string, partition: number, offset: string): string {
  return `${topic}/${partition}/${offset}`;
}

/**
 * The Kafka message for the DLQ: original headers kept, `x-dlq-reason` added. When the
 * original value would push the dead letter over the size limit it is left out (its
 * sha256 goes in a header); the original still sits at its topic/partition/offset.
 */
export function buildDlqMessage(input: DeadLetterInput): Message {
  const limit = input.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const headers: IHeaders = { ...input.headers, [DLQ_REASON_HEADER]: dlqReason(input.error) };
  const key = dlqKey(input.topic, input.partition, input.offset);
  const full: Message = { key, value: JSON.stringify(buildDlqRecord(input)), headers };
  if (estimateRecordBytes(full) <= limit || input.value === null) return full;
  const sha256 = createHash('sha256').update(input.value).digest('hex');
  return {
    key,
    value: JSON.stringify(buildDlqRecord(input, true)),
    headers: { ...headers, [DLQ_VALUE_SHA256_HEADER]: sha256 },
  };
}
