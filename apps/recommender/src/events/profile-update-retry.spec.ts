import { computeBackoffMs, resolveRetryPolicy } from '@tuneline/events';
import { PROFILE_UPDATE_RETRY } from './consumers';

describe('PROFILE_UPDATE_RETRY (the shared group: profile updates)', () => {
  const policy = resolveRetryPolicy(PROFILE_UPDATE_RETRY);

  it('never runs out of attempts: a store outage waits, it does not dead-letter valid events', () => {
    expect(policy.maxAttempts).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('waits at most 10 s between attempts, however long the outage', () => {
    for (const n of [1, 10, 1_000, 1e9]) {
      const delay = computeBackoffMs(n, policy, () => 1);
      expect(Number.isFinite(delay)).toBe(true);
      expect(delay).toBeLessThanOrEqual(10_000);
    }
    expect(computeBackoffMs(1e9, policy, () => 0.5)).toBe(10_000);
  });
});
