/**
 * How far ahead of the clock an event's time may be by default. Profiles and trends decay
 * from the latest event time they have seen: one event dated a year ahead would make every
 * real event "older" and freeze the profile until that date. An hour covers clock skew
 * between producers.
 */
export const DEFAULT_MAX_FUTURE_MS = 3_600_000;

/** ISO text of `ms` when Date can show it, else the number. */
function shown(ms: number): string {
  return Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : String(ms);
}

/**
 * Throws RangeError naming the field and the limit when `ts` (epoch ms) is not finite, before
 * 1970 or more than `maxFutureMs` after `now`.
 */
export function checkEventTime(ts: number, now: number, maxFutureMs: number, where = 'event.ts'): void {
  if (!Number.isFinite(ts) || ts < 0) throw new RangeError(`${where} must be a time at or after 1970-01-01T00:00:00Z, got ${Number.isFinite(ts) ? shown(ts) : String(ts)}`);
  if (ts > now + maxFutureMs) {
    throw new RangeError(`${where} ${shown(ts)} is more than ${maxFutureMs} ms ahead of the clock (${shown(now)}); the limit on future times is ${maxFutureMs} ms`);
  }
}
