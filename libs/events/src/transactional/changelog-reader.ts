import { randomBytes } from 'node:crypto';
import type { Admin, Kafka } from 'kafkajs';
import { sleep } from '../backoff';
import { decodeValue } from '../codec';
import { DEFAULT_CONSUMER_TIMING, type ConsumerTuning } from '../consumer-runner';
import { StageStateError, TransientProcessingError } from '../errors';
import type { EventsLogger } from '../logger';
import type { StageSnapshotValue } from '../schemas';
import { joinSnapshot } from './snapshot-chunks';
import { parseSnapshotPointer, type SnapshotPointer } from './snapshot-pointer';
import type { StageChangelogTopic } from './types';

/** A partition's committed position as the group coordinator has it. */
export interface CommittedPosition {
  /** Next input offset to process; undefined when nothing is committed. */
  readonly nextOffset: string | undefined;
  readonly pointer: SnapshotPointer | undefined;
}

/** Committed offsets and snapshot pointers of `partitions` (read after fencing, so no older owner can still move them). */
export async function fetchCommitted(admin: Admin, groupId: string, topic: string, partitions: readonly number[]): Promise<Map<number, CommittedPosition>> {
  const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
  const out = new Map<number, CommittedPosition>();
  for (const p of entry?.partitions ?? []) {
    if (!partitions.includes(p.partition)) continue;
    const committed = p.offset !== '-1' && p.offset !== '';
    out.set(p.partition, { nextOffset: committed ? p.offset : undefined, pointer: committed ? parseSnapshotPointer(p.metadata) : undefined });
  }
  for (const p of partitions) if (!out.has(p)) out.set(p, { nextOffset: undefined, pointer: undefined });
  return out;
}

export interface ReadSnapshotsOptions {
  readonly kafka: Kafka;
  readonly changelog: StageChangelogTopic;
  /** The stage's group: snapshots must carry it; the reader's own group is derived from it. */
  readonly groupId: string;
  readonly timeoutMs: number;
  readonly consumer?: ConsumerTuning;
  readonly logger: EventsLogger;
}

interface Pending {
  readonly pointer: SnapshotPointer;
  readonly records: StageSnapshotValue[];
  done: boolean;
  error?: Error;
}

/** Throws StageStateError unless every pointer lies inside its changelog partition [low, high). */
async function checkRange(admin: Admin, changelog: string, pointers: ReadonlyMap<number, SnapshotPointer>): Promise<void> {
  const offsets = await admin.fetchTopicOffsets(changelog);
  for (const [partition, pointer] of pointers) {
    const range = offsets.find((o) => o.partition === partition);
    const at = BigInt(pointer.offset);
    if (!range || at < BigInt(range.low) || at >= BigInt(range.high)) {
      throw new StageStateError(
        `snapshot of partition ${partition} at ${changelog}@${pointer.offset} is gone (partition holds [${range?.low ?? '?'}, ${range?.high ?? '?'})): ` +
          'the changelog was deleted, recreated or truncated',
      );
    }
  }
}

/** Takes one changelog record for a partition being restored; marks it done once its snapshot is complete or broken. */
function accept(pending: Pending, offset: string, value: Buffer | null, changelog: StageChangelogTopic, groupId: string, partition: number): void {
  if (pending.done || BigInt(offset) < BigInt(pending.pointer.offset)) return;
  const first = pending.records.length === 0;
  if (first && offset !== pending.pointer.offset) {
    pending.error = new StageStateError(`snapshot chunk 0 of partition ${partition} at ${changelog.name}@${pending.pointer.offset} is missing (next record is at ${offset})`);
    pending.done = true;
    return;
  }
  let record: StageSnapshotValue;
  try {
    record = decodeValue(changelog, value);
  } catch (err) {
    if (!first) return; // a record of another writer between our chunks: not ours
    pending.error = new StageStateError(`snapshot chunk 0 at ${changelog.name}@${offset} is not a snapshot: ${(err as Error).message}`, { cause: err });
    pending.done = true;
    return;
  }
  const head = pending.records[0];
  if (!first && (record.groupId !== groupId || record.partition !== partition || record.nextOffset !== head?.nextOffset)) return;
  pending.records.push(record);
  if (pending.records.length >= pending.pointer.chunks || (first && record.chunks !== pending.pointer.chunks)) pending.done = true;
}

/**
 * Reads the snapshots the pointers point at and returns each partition's joined state
 * text. KafkaJS has no assign(): a short-lived consumer in a group of its own seeks each
 * wanted partition to its pointer and reads read_committed from exactly there; it commits
 * nothing, leaves, and its (empty) group is deleted.
 */
export async function readSnapshots(pointers: ReadonlyMap<number, SnapshotPointer>, options: ReadSnapshotsOptions): Promise<Map<number, string>> {
  const { kafka, changelog, groupId, logger } = options;
  const result = new Map<number, string>();
  if (pointers.size === 0) return result;
  for (const [partition, pointer] of pointers) {
    if (pointer.changelog !== changelog.name || pointer.partition !== partition) {
      throw new StageStateError(`snapshot pointer of partition ${partition} names ${pointer.changelog}/${pointer.partition}, not ${changelog.name}/${partition}`);
    }
  }
  const readerGroup = `${groupId}.restore.${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  const admin = kafka.admin();
  await admin.connect();
  try {
    await checkRange(admin, changelog.name, pointers);
    const pending = new Map<number, Pending>([...pointers].map(([p, pointer]) => [p, { pointer, records: [], done: false }]));
    const consumer = kafka.consumer({ ...DEFAULT_CONSUMER_TIMING, ...options.consumer, groupId: readerGroup, allowAutoTopicCreation: false, readUncommitted: false });
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [changelog.name] });
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          const wanted = pending.get(batch.partition);
          if (!wanted) return;
          for (const m of batch.messages) accept(wanted, m.offset, m.value, changelog, groupId, batch.partition);
        },
      });
      // Seeks wait in KafkaJS until the partition is assigned and apply before its first fetch
      // (this is how admin.setOffsets works too, at the price of a 5 s fetch wait). The other
      // partitions start at their end (no committed offsets, not fromBeginning): nothing to read.
      for (const [partition, pointer] of pointers) consumer.seek({ topic: changelog.name, partition, offset: pointer.offset });
      const deadline = Date.now() + options.timeoutMs;
      while (![...pending.values()].every((p) => p.done)) {
        if (Date.now() > deadline) {
          const missing = [...pending].filter(([, p]) => !p.done).map(([p]) => p);
          throw new TransientProcessingError(`reading the snapshots of partitions ${missing.join(', ')} from ${changelog.name} took over ${options.timeoutMs} ms`);
        }
        await sleep(20);
      }
    } finally {
      await consumer.disconnect().catch((err: unknown) => logger.warn({ err, readerGroup }, 'snapshot reader disconnect failed'));
    }
    for (const [partition, p] of pending) {
      if (p.error) throw p.error;
      result.set(partition, joinSnapshot(p.records, { groupId, partition }));
    }
    return result;
  } finally {
    await admin.deleteGroups([readerGroup]).catch((err: unknown) => logger.debug({ err, readerGroup }, 'could not delete the snapshot reader group'));
    await admin.disconnect();
  }
}
