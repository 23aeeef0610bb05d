import { createHash } from 'node:crypto';
import type { IHeaders, Message } from 'kafkajs';
import { isUtf8 } from './codec';
import { errorCode, errorMessage } from './errors';
import { DEFAULT_MAX_MESSAGE_BYTES, estimateRecordBytes } from './record-size';
import { dlqRecordSchema, type DlqRecord, type EncodedBytes } from './schemas';

export const DLQ_REASON_HEADER = 'x-dlq-reason';
export const DLQ_VALUE_SHA256_HEADER = 'x-dlq-value-sha256';
export const DLQ_KEY_SHA256_HEADER = 'x-dlq-key-sha256';
/** Comma-separated parts left out to fit the size limit, e.g. `value,headers`. */
export const DLQ_TRUNCATED_HEADER = 'x-dlq-truncated';
/**
 * Smallest `maxMessageBytes` every dead letter fits in once fully cut down: the fields
 * left are bounded (topic and group names, a key prefix, short error texts) and sum to
 * under 8 KiB even when all of it is text JSON must escape.
 */
export const MIN_DLQ_MESSAGE_BYTES = 16_384;

const MAX_REASON_CHARS = 1_000;
const MAX_ERROR_MESSAGE_CHARS = 4 * MAX_REASON_CHARS;
const MAX_ERROR_NAME_CHARS = 200;
const SHORT_ERROR_CHARS = 200;
const KEY_PREFIX_BYTES = 256;

/**
 * What a dead letter gives up, in this order, until it fits its size limit. The
 * original record stays at its topic/partition/offset, so nothing is lost for good.
 */
export type DlqTruncation = 'value' | 'headers' | 'key' | 'error';
const TRUNCATION_STEPS: readonly DlqTruncation[][] = [[], ['value'], ['value', 'headers'], ['value', 'headers', 'key'], ['value', 'headers', 'key', 'error']];

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
  /** Size limit of the dead letter itself (see buildDlqMessage for what gives way). */
  maxMessageBytes?: number;
}

function encodeBytes(bytes: Buffer | null): EncodedBytes | null {
  if (bytes === null) return null;
  return isUtf8(bytes) ? { encoding: 'utf8', data: bytes.toString('utf8') } : { encoding: 'base64', data: bytes.toString('base64') };
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The first `max` bytes, shortened to a character boundary when the bytes are UTF-8 (keeps the prefix readable). */
function bytePrefix(bytes: Buffer, max: number): Buffer {
  if (bytes.length <= max || !isUtf8(bytes)) return bytes.subarray(0, max);
  let end = max;
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--; // step back over continuation bytes
  return bytes.subarray(0, end);
}

/** `CODE: message`, bounded, for the `x-dlq-reason` header. */
export function dlqReason(error: unknown, maxChars = MAX_REASON_CHARS): string {
  return truncate(`${errorCode(error)}: ${errorMessage(error)}`, maxChars);
}

function keyFields(key: Buffer | null, cut: boolean): Pick<DlqRecord, 'originalKey' | 'originalKeyTruncated' | 'originalKeyBytes'> {
  if (key === null || !cut || key.length <= KEY_PREFIX_BYTES) return { originalKey: encodeBytes(key) };
  return { originalKey: encodeBytes(bytePrefix(key, KEY_PREFIX_BYTES)), originalKeyTruncated: true, originalKeyBytes: key.length };
}

/** Builds the dead-letter record value (validated against dlqRecordSchema), less the parts in `truncated`. */
export function buildDlqRecord(input: DeadLetterInput, truncated: readonly DlqTruncation[] = []): DlqRecord {
  const err = input.error;
  const omitValue = truncated.includes('value') && input.value !== null;
  const shortError = truncated.includes('error');
  return dlqRecordSchema.parse({
    groupId: input.groupId,
    originalTopic: input.topic,
    originalPartition: input.partition,
    originalOffset: input.offset,
    originalTimestamp: input.timestamp,
    ...keyFields(input.key, truncated.includes('key')),
    originalValue: omitValue ? null : encodeBytes(input.value),
    originalValueBytes: input.value?.length ?? 0,
    originalValueOmitted: omitValue,
    error: {
      code: truncate(errorCode(err), shortError ? SHORT_ERROR_CHARS : MAX_ERROR_MESSAGE_CHARS),
      message: truncate(errorMessage(err), shortError ? SHORT_ERROR_CHARS : MAX_ERROR_MESSAGE_CHARS),
      name: truncate(err instanceof Error ? err.name : typeof err, MAX_ERROR_NAME_CHARS),
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
 * The original headers without null values: a consumed header may carry none (Kafka allows it,
 * KafkaJS decodes it as null), and KafkaJS's producer cannot encode one (Buffer.byteLength(null)
 * throws), so the dead letter would fail to send and the record be redelivered forever.
 */
function originalHeaders(headers: IHeaders | undefined): IHeaders {
  const out: IHeaders = {};
  for (const [name, raw] of Object.entries(headers ?? {}) as [string, unknown][]) {
    if (Array.isArray(raw)) {
      const values = (raw as unknown[]).filter((v): v is Buffer | string => v !== null && v !== undefined);
      if (values.length > 0) out[name] = values;
    } else if (raw !== null && raw !== undefined) {
      out[name] = raw as Buffer | string;
    }
  }
  return out;
}

function dlqHeaders(input: DeadLetterInput, truncated: readonly DlqTruncation[]): IHeaders {
  const headers: IHeaders = truncated.includes('headers') ? {} : originalHeaders(input.headers);
  headers[DLQ_REASON_HEADER] = dlqReason(input.error, truncated.includes('error') ? SHORT_ERROR_CHARS : MAX_REASON_CHARS);
  if (truncated.includes('value') && input.value !== null) headers[DLQ_VALUE_SHA256_HEADER] = sha256(input.value);
  if (truncated.includes('key') && input.key !== null && input.key.length > KEY_PREFIX_BYTES) headers[DLQ_KEY_SHA256_HEADER] = sha256(input.key);
  // Only the parts that actually lost something (a null value has nothing to leave out).
  const lost = truncated.filter((part) => part !== 'value' || input.value !== null);
  if (lost.length > 0) headers[DLQ_TRUNCATED_HEADER] = lost.join(',');
  return headers;
}

/**
 * The Kafka message for the DLQ: original headers kept, `x-dlq-reason` added. A dead
 * letter over `maxMessageBytes` could never be written and its partition would be
 * redelivered forever, so it gives up, in order, the original value, the original
 * headers, the key beyond a prefix and the long error texts (see DlqTruncation), noting
 * what it left out in `x-dlq-truncated` and the sha256 of a cut value or key.
 * Throws a RangeError only for a limit under MIN_DLQ_MESSAGE_BYTES that even that misses.
 */
export function buildDlqMessage(input: DeadLetterInput): Message {
  const limit = input.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const key = dlqKey(input.topic, input.partition, input.offset);
  let size = 0;
  for (const truncated of TRUNCATION_STEPS) {
    const message: Message = { key, value: JSON.stringify(buildDlqRecord(input, truncated)), headers: dlqHeaders(input, truncated) };
    size = estimateRecordBytes(message);
    if (size <= limit) return message;
  }
  throw new RangeError(`maxMessageBytes: a dead letter of ${key} needs ${size} bytes even cut down; the limit is ${limit} (use at least ${MIN_DLQ_MESSAGE_BYTES})`);
}
