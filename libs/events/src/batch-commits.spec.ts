import type { Offsets, OffsetsByTopicPartition } from 'kafkajs';
import { BatchCommits } from './batch-commits';

function fakePayload() {
  const state = { resolved: [] as string[], commits: [] as string[] };
  let next: string | undefined;
  let committed: string | undefined;
  const offsetsOf = (offset: string): OffsetsByTopicPartition => ({ topics: [{ topic: 't', partitions: [{ partition: 0, offset }] }] });
  const payload = {
    resolveOffset: (offset: string) => {
      state.resolved.push(offset);
      next = String(Number(offset) + 1);
    },
    uncommittedOffsets: () => (next !== undefined && next !== committed ? offsetsOf(next) : { topics: [] }),
    commitOffsetsIfNecessary: async (offsets?: Offsets) => {
      committed = offsets?.topics[0]?.partitions[0]?.offset;
      if (committed) state.commits.push(committed);
    },
  };
  return { payload, state };
}

describe('BatchCommits', () => {
  it('resolves only the done prefix and says a commit is due every N finished records', async () => {
    const { payload, state } = fakePayload();
    const commits = new BatchCommits(payload, ['10', '11', '12', '13'], { everyRecords: 2, intervalMs: 60_000 });
    expect(commits.markDone(1)).toBe(false); // prefix did not grow
    expect(state.resolved).toEqual([]);
    expect(commits.markDone(0)).toBe(true); // 2 finished, prefix now 10..11
    expect([state.resolved, commits.lastResolved, commits.pending]).toEqual([['11'], '11', 2]);
    await commits.commit();
    expect(commits.markDone(2)).toBe(false); // 1 since the commit
    await commits.commit();
    await commits.commit(); // nothing new: no second commit of 13
    expect(state.commits).toEqual(['12', '13']);
  });

  it('says a commit is due once the interval has passed, whatever the count', () => {
    const { payload } = fakePayload();
    const commits = new BatchCommits(payload, ['0', '1'], { everyRecords: 100, intervalMs: 0 });
    expect(commits.markDone(0)).toBe(true);
  });

  it('chains commits so a failed one does not block the next', async () => {
    const { payload, state } = fakePayload();
    let calls = 0;
    const commit = payload.commitOffsetsIfNecessary;
    payload.commitOffsetsIfNecessary = async (offsets) => {
      if (++calls === 1) throw new Error('coordinator moved');
      await commit(offsets);
    };
    const commits = new BatchCommits(payload, ['5'], { everyRecords: 1, intervalMs: 60_000 });
    commits.markDone(0);
    const first = commits.commit();
    const second = commits.commit();
    await expect(first).rejects.toThrow('coordinator moved');
    await second;
    expect(state.commits).toEqual(['6']);
  });
});
