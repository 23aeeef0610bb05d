/**
 * Offsets of a fetched batch, pure: which records still need work, how they are cut into
 * transactions, and which offset each transaction commits.
 */

/** The records at or after `nextOffset` (the committed position); all when it is unknown. */
export function notYetCommitted<M extends { offset: string }>(messages: readonly M[], nextOffset: string | undefined): M[] {
  if (nextOffset === undefined) return [...messages];
  const next = BigInt(nextOffset);
  return messages.filter((m) => BigInt(m.offset) >= next);
}

/** Consecutive chunks of at most `maxRecords`. */
export function chunkRecords<T>(items: readonly T[], maxRecords: number): T[][] {
  if (!Number.isInteger(maxRecords) || maxRecords < 1) throw new RangeError(`maxBatchRecords: expected an integer >= 1, got ${maxRecords}`);
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += maxRecords) chunks.push(items.slice(i, i + maxRecords));
  return chunks;
}

/**
 * The offset a transaction over a chunk commits: the one after its last record, or, for
 * the batch's last chunk, after the batch's last offset, which may be a transaction
 * marker of a transactional input (never handed to us, never to be fetched again).
 */
export function commitOffsetAfter(chunkLastOffset: string, batchLastOffset: string | undefined, isLastChunk: boolean): string {
  const last = BigInt(chunkLastOffset);
  const end = isLastChunk && batchLastOffset !== undefined && BigInt(batchLastOffset) > last ? BigInt(batchLastOffset) : last;
  return (end + 1n).toString();
}

/** `<prefix>.<topic>.<partition>`: one transactional id per input partition, so a new owner fences the old. */
export function transactionalIdOf(prefix: string, topic: string, partition: number): string {
  return `${prefix}.${topic}.${partition}`;
}
