/** How the consumer runner retries retriable failures of one record. */
export interface RetryPolicy {
  /** Handler attempts in total, the first included (1 = never retry). */
  maxAttempts: number;
  /** Delay after the first failure. */
  baseDelayMs: number;
  /** Ceiling for any single delay. */
  maxDelayMs: number;
  /** Growth per failure (2 = doubling). */
  multiplier: number;
  /** Random spread as a fraction of the delay, 0..1, so replicas do not retry in lockstep. */
  jitter: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 5,
  baseDelayMs: 200,
  maxDelayMs: 30_000,
  multiplier: 2,
  jitter: 0.2,
});

/** Fills in defaults and checks ranges; throws RangeError naming the field. */
export function resolveRetryPolicy(partial: Partial<RetryPolicy> = {}): RetryPolicy {
  const policy = { ...DEFAULT_RETRY_POLICY, ...partial };
  const check = (name: keyof RetryPolicy, ok: boolean, want: string): void => {
    if (!ok) throw new RangeError(`retry.${name}: expected ${want}, got ${policy[name]}`);
  };
  check('maxAttempts', Number.isInteger(policy.maxAttempts) && policy.maxAttempts >= 1, 'an integer >= 1');
  check('baseDelayMs', Number.isFinite(policy.baseDelayMs) && policy.baseDelayMs >= 0, 'a number >= 0');
  check('maxDelayMs', Number.isFinite(policy.maxDelayMs) && policy.maxDelayMs >= policy.baseDelayMs, 'a number >= baseDelayMs');
  check('multiplier', Number.isFinite(policy.multiplier) && policy.multiplier >= 1, 'a number >= 1');
  check('jitter', policy.jitter >= 0 && policy.jitter <= 1, 'a number in 0..1');
  return policy;
}

/**
 * Delay before the next attempt after `failedAttempts` failures (1-based):
 * base * multiplier^(failedAttempts-1), spread by ±jitter, capped at maxDelayMs.
 */
export function computeBackoffMs(failedAttempts: number, policy: RetryPolicy, random: () => number = Math.random): number {
  if (!Number.isInteger(failedAttempts) || failedAttempts < 1) {
    throw new RangeError(`failedAttempts: expected an integer >= 1, got ${failedAttempts}`);
  }
  // Capped before the spread: with unbounded attempts the power overflows to Infinity, and
  // Infinity times a spread of 0 (jitter 1) is NaN.
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * policy.multiplier ** (failedAttempts - 1));
  const spread = 1 + policy.jitter * (2 * random() - 1);
  return Math.round(Math.min(policy.maxDelayMs, exponential * spread));
}

/** Resolves after `ms`, or early with `false` when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
