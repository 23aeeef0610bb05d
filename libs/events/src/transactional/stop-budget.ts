/**
 * How a transactional stage spends a stop's `timeoutMs`: it waits for the chunks in flight
 * to commit until `abandonAfterMs`, then abandons them (their Kafka calls stop being
 * awaited; transactions are aborted best effort) and spends the rest closing producers and
 * leaving the group. Whatever still runs at `timeoutMs` is left behind: stop() resolves.
 */
const CLOSE_RESERVE_MS = 1_000;

/** When to abandon the work in flight: a quarter of the budget, at most 1 s, is kept for closing. */
export function abandonAfterMs(timeoutMs: number): number {
  if (!Number.isFinite(timeoutMs) || timeoutMs < 0) throw new RangeError(`timeoutMs: expected a number >= 0, got ${timeoutMs}`);
  return timeoutMs - Math.min(CLOSE_RESERVE_MS, Math.floor(timeoutMs / 4));
}

/** True when `work` settles (resolves or rejects) within `ms`, false when the time ran out first. */
export function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    const done = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    work.then(done, done);
  });
}
