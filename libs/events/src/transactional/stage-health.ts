/**
 * Whether one partition of a transactional stage is stuck, pure. The stage is healthy only
 * while consuming and no partition is stuck (readiness probes read it). Stuck means either:
 * - its chunk failed `maxAttempts` times in a row without a commit since (an outage the
 *   stage keeps retrying through: retriable failures are never dead-lettered), or
 * - its current attempt has been in flight longer than `transactionTimeoutMs` (a Kafka call
 *   or `process` hangs; the broker would abort such a transaction anyway).
 */
export interface PartitionProgress {
  /** Failed attempts in a row since the partition's last commit. */
  readonly failuresInARow: number;
  /** When the attempt in flight started (Date.now()); undefined between attempts. */
  readonly attemptStartedAt: number | undefined;
}

export interface HealthLimits {
  readonly maxAttempts: number;
  readonly transactionTimeoutMs: number;
}

/** Why the partition is stuck, or undefined when it is not. */
export function stuckReason(progress: PartitionProgress, now: number, limits: HealthLimits): string | undefined {
  if (progress.failuresInARow >= limits.maxAttempts) return `${progress.failuresInARow} failed attempts in a row`;
  if (progress.attemptStartedAt !== undefined && now - progress.attemptStartedAt > limits.transactionTimeoutMs) {
    return `attempt in flight for ${now - progress.attemptStartedAt} ms (transactionTimeoutMs ${limits.transactionTimeoutMs})`;
  }
  return undefined;
}
