import { StageStateError } from '../errors';
import { DEFAULT_MAX_MESSAGE_BYTES } from '../record-size';
import type { StageSnapshotValue } from '../schemas';

/**
 * Budget of one chunk's `data` once JSON-encoded: half a record, so the envelope, key and
 * framing always fit under DEFAULT_MAX_MESSAGE_BYTES. Each chunk goes out in its own
 * produce request (the broker's limit applies to a whole record batch).
 */
export const DEFAULT_SNAPSHOT_CHUNK_BYTES = Math.floor(DEFAULT_MAX_MESSAGE_BYTES / 2);

/** Bytes one UTF-16 code unit adds inside a JSON string (UTF-8), as JSON.stringify escapes it. */
function unitCost(code: number): number {
  if (code === 0x22 || code === 0x5c) return 2; // \" and \\
  if (code < 0x20) return code === 0x08 || code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d ? 2 : 6;
  if (code < 0x80) return 1;
  if (code < 0x800) return 2;
  return 3;
}

function isHigh(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLow(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * Cuts a state's text into pieces whose JSON-encoded UTF-8 size (quotes excluded) is at
 * most `maxChunkBytes`, never between the two halves of a surrogate pair; joining the
 * pieces gives the text back. An empty text is one empty piece.
 */
export function splitSnapshot(text: string, maxChunkBytes: number = DEFAULT_SNAPSHOT_CHUNK_BYTES): string[] {
  if (!Number.isInteger(maxChunkBytes) || maxChunkBytes < 6) {
    throw new RangeError(`maxChunkBytes: expected an integer >= 6, got ${maxChunkBytes}`);
  }
  const pieces: string[] = [];
  let start = 0;
  let bytes = 0;
  let i = 0;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    const pair = isHigh(code) && i + 1 < text.length && isLow(text.charCodeAt(i + 1));
    // A lone surrogate is escaped as \uXXXX by JSON.stringify.
    const cost = pair ? 4 : isHigh(code) || isLow(code) ? 6 : unitCost(code);
    const width = pair ? 2 : 1;
    if (bytes + cost > maxChunkBytes && i > start) {
      pieces.push(text.slice(start, i));
      start = i;
      bytes = 0;
    }
    bytes += cost;
    i += width;
  }
  pieces.push(text.slice(start));
  return pieces;
}

/** What the chunks of one snapshot must agree on. */
export interface SnapshotIdentity {
  readonly groupId: string;
  readonly partition: number;
}

/**
 * Joins the chunk records of one snapshot, in the order read from the changelog: chunk 0
 * first, then 1..n-1, all of the same group, partition and `nextOffset`. Throws
 * StageStateError when they do not form one whole snapshot.
 */
export function joinSnapshot(records: readonly StageSnapshotValue[], expected: SnapshotIdentity): string {
  const [first] = records;
  if (!first) throw new StageStateError(`no snapshot records for ${expected.groupId}/${expected.partition}`);
  const describe = `snapshot of ${expected.groupId}/${expected.partition}`;
  if (first.chunk !== 0) throw new StageStateError(`${describe}: expected chunk 0 first, got chunk ${first.chunk}`);
  if (records.length !== first.chunks) throw new StageStateError(`${describe}: expected ${first.chunks} chunks, got ${records.length}`);
  records.forEach((r, i) => {
    if (r.groupId !== expected.groupId || r.partition !== expected.partition) {
      throw new StageStateError(`${describe}: chunk ${i} belongs to ${r.groupId}/${r.partition}`);
    }
    if (r.chunk !== i || r.chunks !== first.chunks || r.nextOffset !== first.nextOffset) {
      throw new StageStateError(`${describe}: chunk ${i} is chunk ${r.chunk}/${r.chunks} at ${r.nextOffset}, not ${i}/${first.chunks} at ${first.nextOffset}`);
    }
  });
  return records.map((r) => r.data).join('');
}
