import { computeBackoffMs, DEFAULT_RETRY_POLICY, resolveRetryPolicy, sleep } from './backoff';

describe('computeBackoffMs', () => {
  const policy = resolveRetryPolicy({ baseDelayMs: 100, maxDelayMs: 1_000, multiplier: 2, jitter: 0 });

  it('grows exponentially from the base delay', () => {
    expect([1, 2, 3, 4].map((n) => computeBackoffMs(n, policy))).toEqual([100, 200, 400, 800]);
  });

  it('caps at maxDelayMs', () => {
    expect(computeBackoffMs(5, policy)).toBe(1_000);
    expect(computeBackoffMs(50, policy)).toBe(1_000);
  });

  it('spreads by ±jitter and still respects the cap', () => {
    const jittery = { ...policy, jitter: 0.2 };
    expect(computeBackoffMs(2, jittery, () => 0)).toBe(160);
    expect(computeBackoffMs(2, jittery, () => 1)).toBe(240);
    expect(computeBackoffMs(2, jittery, () => 0.5)).toBe(200);
    expect(computeBackoffMs(10, jittery, () => 1)).toBe(1_000);
  });

  it('stays a finite delay within the cap however many attempts (unbounded retries), full jitter included', () => {
    const full = { ...policy, jitter: 1 };
    for (const n of [1_100, Number.MAX_SAFE_INTEGER]) {
      expect(computeBackoffMs(n, policy)).toBe(1_000);
      expect(computeBackoffMs(n, full, () => 0)).toBe(0);
      expect(computeBackoffMs(n, full, () => 0.25)).toBe(500);
      expect(computeBackoffMs(n, full, () => 1)).toBe(1_000);
    }
  });

  it('rejects a non-positive attempt count', () => {
    expect(() => computeBackoffMs(0, policy)).toThrow(RangeError);
  });
});

describe('resolveRetryPolicy', () => {
  it('fills in defaults', () => {
    expect(resolveRetryPolicy()).toEqual(DEFAULT_RETRY_POLICY);
    expect(resolveRetryPolicy({ maxAttempts: 2 }).maxAttempts).toBe(2);
  });

  it('names the bad field', () => {
    expect(() => resolveRetryPolicy({ maxAttempts: 0 })).toThrow(/retry\.maxAttempts/);
    expect(() => resolveRetryPolicy({ baseDelayMs: 500, maxDelayMs: 100 })).toThrow(/retry\.maxDelayMs/);
    expect(() => resolveRetryPolicy({ jitter: 2 })).toThrow(/retry\.jitter/);
    expect(() => resolveRetryPolicy({ multiplier: 0.5 })).toThrow(/retry\.multiplier/);
  });
});

describe('sleep', () => {
  it('resolves true after the delay and false when aborted', async () => {
    await expect(sleep(1)).resolves.toBe(true);
    const controller = new AbortController();
    const pending = sleep(10_000, controller.signal);
    controller.abort();
    await expect(pending).resolves.toBe(false);
    await expect(sleep(10_000, controller.signal)).resolves.toBe(false);
  });
});
