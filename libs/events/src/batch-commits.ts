import type { BatchPayload } from './batch-context';
import { OffsetTracker } from './offset-tracker';

export interface CommitPolicy {
  /** Commit after this many finished records, or ... */
  everyRecords: number;
  /** ... once this long has passed since the last commit. */
  intervalMs: number;
}

type CommitPayload = Pick<BatchPayload, 'resolveOffset' | 'uncommittedOffsets' | 'commitOffsetsIfNecessary'>;

/**
 * The offset side of one partition batch: records finish in any order, only the
 * contiguous done prefix is resolved, and a commit is due every `everyRecords` finished
 * records or `intervalMs`, whichever comes first.
 */
export class BatchCommits {
  private readonly tracker: OffsetTracker;
  private doneSinceCommit = 0;
  private lastCommitAt = Date.now();
  private resolved: string | undefined;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly payload: CommitPayload,
    offsets: readonly string[],
    private readonly policy: CommitPolicy,
  ) {
    this.tracker = new OffsetTracker(offsets);
  }

  /** Marks record `index` done and resolves the prefix if it grew; true when a commit is due. */
  markDone(index: number): boolean {
    this.doneSinceCommit++;
    const offset = this.tracker.complete(index);
    if (offset === undefined) return false;
    this.payload.resolveOffset(offset);
    this.resolved = offset;
    return this.doneSinceCommit >= this.policy.everyRecords || Date.now() - this.lastCommitAt >= this.policy.intervalMs;
  }

  /** Commits what is resolved and not yet committed. Chained so two records finishing together do not race. */
  commit(): Promise<void> {
    const run = this.chain.then(async () => {
      const offsets = this.payload.uncommittedOffsets();
      if (offsets.topics.length === 0) return;
      this.doneSinceCommit = 0;
      this.lastCommitAt = Date.now();
      await this.payload.commitOffsetsIfNecessary(offsets);
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** The highest resolved offset, undefined before the first. */
  get lastResolved(): string | undefined {
    return this.resolved;
  }

  /** Records not in the done prefix (they stay uncommitted). */
  get pending(): number {
    return this.tracker.size - this.tracker.completedPrefix;
  }
}
