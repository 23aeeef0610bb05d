import type { Producer } from 'kafkajs';
import type { SnapshotPointer } from './snapshot-pointer';
import type { PartitionProgress } from './stage-health';

/**
 * One input partition this member owns: its transactional producer, its state and the
 * committed position that state belongs to. `prepared` is false until the producer has
 * fenced older owners and the state matches the committed offset (after every group join).
 */
export class PartitionSlot<S> implements PartitionProgress {
  /** Bumped when the partition is revoked: work started under an older epoch must not commit. */
  epoch = 0;
  prepared = false;
  revoked = false;
  producer: Producer | undefined;
  state: S | undefined;
  /** Committed input position (next offset to process); undefined before the first commit. */
  nextOffset: string | undefined;
  pointer: SnapshotPointer | undefined;
  /** The serialized state as committed (what the pointer's snapshot holds). */
  committedText: string | undefined;
  /** Failed attempts in a row since the last commit (any chunk of this partition). */
  failuresInARow = 0;
  /** When the attempt in flight started; undefined between attempts. */
  attemptStartedAt: number | undefined;
  private tail: Promise<void> = Promise.resolve();

  constructor(readonly partition: number) {}

  /** Runs `fn` after everything queued before it on this partition (batches, close). */
  exclusive<R>(fn: () => Promise<R>): Promise<R> {
    const run = this.tail.then(fn);
    this.tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }
}
