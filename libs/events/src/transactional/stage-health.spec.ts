import { stuckReason } from './stage-health';

const limits = { maxAttempts: 3, transactionTimeoutMs: 1_000 };

describe('stuckReason', () => {
  it('is undefined for a partition that commits and has no attempt running too long', () => {
    expect(stuckReason({ failuresInARow: 0, attemptStartedAt: undefined }, 5_000, limits)).toBeUndefined();
    expect(stuckReason({ failuresInARow: 2, attemptStartedAt: 4_000 }, 5_000, limits)).toBeUndefined();
  });

  it('reports a chunk that failed maxAttempts times in a row without a commit since', () => {
    expect(stuckReason({ failuresInARow: 3, attemptStartedAt: undefined }, 5_000, limits)).toBe('3 failed attempts in a row');
  });

  it('reports an attempt in flight longer than the transaction timeout (a hung Kafka call or process)', () => {
    expect(stuckReason({ failuresInARow: 0, attemptStartedAt: 3_999 }, 5_000, limits)).toBe('attempt in flight for 1001 ms (transactionTimeoutMs 1000)');
  });
});
