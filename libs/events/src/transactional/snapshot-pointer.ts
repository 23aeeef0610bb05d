import { StageStateError } from '../errors';

/**
 * Where a partition's state snapshot lives: the changelog record (chunk 0) written in the
 * same transaction as the input offsets that carry this pointer in their commit metadata.
 */
export interface SnapshotPointer {
  readonly changelog: string;
  readonly partition: number;
  /** Offset of chunk 0 in the changelog partition. */
  readonly offset: string;
  /** How many chunk records make up the snapshot (chunk 0 first, the rest after it). */
  readonly chunks: number;
}

const POINTER_VERSION = 1;
const DIGITS = /^\d+$/;

/** The offset-commit metadata for a pointer (JSON, far under the broker's 4 KiB offset.metadata.max.bytes). */
export function formatSnapshotPointer(pointer: SnapshotPointer): string {
  return JSON.stringify({ v: POINTER_VERSION, changelog: pointer.changelog, partition: pointer.partition, offset: pointer.offset, chunks: pointer.chunks });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads a pointer back from committed offset metadata. Empty metadata (nothing committed,
 * or a commit without state) is no pointer; anything else that is not a pointer of this
 * version throws StageStateError: offsets committed by something else than this stage.
 */
export function parseSnapshotPointer(metadata: string | null | undefined): SnapshotPointer | undefined {
  if (metadata === null || metadata === undefined || metadata === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(metadata);
  } catch {
    parsed = undefined;
  }
  if (
    !isObject(parsed) ||
    parsed['v'] !== POINTER_VERSION ||
    typeof parsed['changelog'] !== 'string' ||
    parsed['changelog'].length === 0 ||
    !Number.isInteger(parsed['partition']) ||
    (parsed['partition'] as number) < 0 ||
    typeof parsed['offset'] !== 'string' ||
    !DIGITS.test(parsed['offset']) ||
    !Number.isInteger(parsed['chunks']) ||
    (parsed['chunks'] as number) < 1
  ) {
    throw new StageStateError(`committed offset metadata is not a state snapshot pointer: ${JSON.stringify(metadata.slice(0, 200))}`);
  }
  return { changelog: parsed['changelog'], partition: parsed['partition'] as number, offset: parsed['offset'], chunks: parsed['chunks'] as number };
}

export function samePointer(a: SnapshotPointer | undefined, b: SnapshotPointer | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.changelog === b.changelog && a.partition === b.partition && a.offset === b.offset && a.chunks === b.chunks;
}
