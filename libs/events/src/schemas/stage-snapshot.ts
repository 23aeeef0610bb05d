import { z } from 'zod';
import { timestamp } from './common';

export const STAGE_SNAPSHOT_VERSION = 1;

/**
 * One chunk of a transactional stage's partition state, as written to its compacted
 * changelog (libs/events createTransactionalStage). `data` is the state's own
 * serialisation, opaque here and not size-limited by the schema: the stage cuts a
 * large state into chunks that each fit a record (DEFAULT_MAX_MESSAGE_BYTES), all
 * written in the transaction that commits the input offsets pointing at chunk 0.
 */
export const stageSnapshotSchema = z
  .object({
    v: z.literal(STAGE_SNAPSHOT_VERSION),
    groupId: z.string().min(1).max(249),
    /** Input partition the state belongs to (= the changelog partition it is written to). */
    partition: z.number().int().min(0),
    /** Offset of the next input record the state has not seen yet (digit string). */
    nextOffset: z.string().regex(/^\d+$/, 'nextOffset must be a non-negative integer string'),
    chunk: z.number().int().min(0),
    chunks: z.number().int().min(1),
    data: z.string(),
    savedAt: timestamp,
  })
  .refine((v) => v.chunk < v.chunks, { message: 'chunk must be below chunks', path: ['chunk'] });

export type StageSnapshotValue = z.output<typeof stageSnapshotSchema>;

/**
 * Changelog record key: `<groupId>/<partition>` for chunk 0 (the one the committed
 * offset points at), `<groupId>/<partition>#<chunk>` for the others, so compaction
 * keeps every chunk of the latest snapshot.
 */
export function stageSnapshotKey(v: Pick<StageSnapshotValue, 'groupId' | 'partition' | 'chunk'>): string {
  const base = `${v.groupId}/${v.partition}`;
  return v.chunk === 0 ? base : `${base}#${v.chunk}`;
}
