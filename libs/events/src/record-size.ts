import type { IHeaders } from 'kafkajs';
import { MessageTooLargeError } from './errors';

/** Default per-record limit; the local broker's message.max.bytes is 1 MiB + 12. */
export const DEFAULT_MAX_MESSAGE_BYTES = 1_048_576;

// Worst-case framing of one record alone in a v2 record batch: a 61-byte batch header,
// up to 36 bytes of record varints (length, attributes, timestamp/offset deltas,
// key/value lengths, header count) and up to 10 bytes per header. Counting it keeps a
// record that passes here under the broker's limit even before compression.
const RECORD_BATCH_HEADER_BYTES = 61;
const RECORD_OVERHEAD_BYTES = 36;
const HEADER_OVERHEAD_BYTES = 10;

type Bytes = Buffer | string | null | undefined;

function byteLength(data: Bytes): number {
  if (data === null || data === undefined) return 0;
  return typeof data === 'string' ? Buffer.byteLength(data, 'utf8') : data.length;
}

export interface SizedRecord {
  key?: Bytes;
  value: Bytes;
  headers?: IHeaders;
}

/** Upper bound of the bytes one record takes on the wire, batch framing included. */
export function estimateRecordBytes(record: SizedRecord): number {
  let size = RECORD_BATCH_HEADER_BYTES + RECORD_OVERHEAD_BYTES + byteLength(record.key) + byteLength(record.value);
  for (const [name, raw] of Object.entries(record.headers ?? {})) {
    const values = Array.isArray(raw) ? raw : [raw];
    for (const v of values) size += HEADER_OVERHEAD_BYTES + byteLength(name) + byteLength(v);
  }
  return size;
}

/** Throws MessageTooLargeError when a record would exceed the limit. */
export function assertRecordSize(topic: string, index: number, sizeBytes: number, limitBytes: number): void {
  if (sizeBytes > limitBytes) throw new MessageTooLargeError(topic, sizeBytes, limitBytes, index);
}

/** Splits records into consecutive chunks whose summed sizes stay within `maxBytes`. */
export function chunkBySize<T>(items: readonly T[], sizes: readonly number[], maxBytes: number): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let currentBytes = 0;
  items.forEach((item, i) => {
    const size = sizes[i] ?? 0;
    if (current.length > 0 && currentBytes + size > maxBytes) {
      chunks.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push(item);
    currentBytes += size;
  });
  if (current.length > 0) chunks.push(current);
  return chunks;
}
