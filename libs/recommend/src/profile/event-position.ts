/**
 * Where an event sits in its log: a Kafka topic-partition and offset. A store remembers, per
 * user, the last position it applied for each partition, so a redelivered record (a consumer
 * restart before its commit, a rebalance) changes the profile once, not twice. Offsets grow
 * within a partition, so "already applied" is "offset <= the stored one".
 */
export interface EventPosition {
  /** The log and partition, e.g. `user.events:3` (1–200 characters). */
  readonly partition: string;
  /** The record's offset in it, as Kafka gives it: a decimal string (int64, so never a number). */
  readonly offset: string;
}

const OFFSET = /^(0|[1-9][0-9]{0,18})$/;

/** Throws TypeError naming the field when `p` is not a usable position. */
export function checkPosition(p: unknown): asserts p is EventPosition {
  const q = p as Partial<Record<keyof EventPosition, unknown>> | null;
  if (typeof q !== 'object' || q === null) throw new TypeError('position must be an object { partition, offset }');
  if (typeof q.partition !== 'string' || q.partition.length < 1 || q.partition.length > 200) throw new TypeError('position.partition must be 1-200 characters');
  if (typeof q.offset !== 'string' || !OFFSET.test(q.offset)) throw new TypeError(`position.offset must be a non-negative decimal integer string, got ${String(q.offset)}`);
}

/**
 * Whether `offset` comes after `stored` (undefined: nothing stored yet). Compared as decimal
 * strings without leading zeros: longer is larger, equal lengths compare as text; exact for
 * any int64, as the Redis script compares them too.
 */
export function isAfter(offset: string, stored: string | undefined): boolean {
  if (stored === undefined) return true;
  return offset.length !== stored.length ? offset.length > stored.length : offset > stored;
}
