/**
 * Remembers recently recorded feedback so a client's retry of the same event (same user,
 * item, type, value and occurred_at) is not published twice. In memory per replica, or in
 * Redis (SET NX PX) so a retry that lands on another replica is caught too.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

export interface FeedbackDedupe {
  /** True the first time `key` is claimed within `ttlMs`; false for a repeat. */
  claim(key: string, ttlMs: number): Promise<boolean>;
  /** Forgets `key` (the publish failed: a retry must go through). */
  release(key: string): Promise<void>;
}

/** A stable key for an event: its fields, hashed (ids may hold any character). */
export function feedbackKey(fields: readonly (string | number | undefined)[]): string {
  return createHash('sha256').update(JSON.stringify(fields)).digest('base64url');
}

/** Per-replica memory, at most `maxKeys` (the oldest claims are forgotten first). */
export class MemoryFeedbackDedupe implements FeedbackDedupe {
  private readonly expiry = new Map<string, number>();

  constructor(private readonly maxKeys = 100_000, private readonly now: () => number = Date.now) {
    if (!Number.isInteger(maxKeys) || maxKeys < 1) throw new RangeError(`maxKeys must be a positive integer, got ${maxKeys}`);
  }

  async claim(key: string, ttlMs: number): Promise<boolean> {
    const now = this.now();
    const until = this.expiry.get(key);
    if (until !== undefined && until > now) return false;
    this.expiry.delete(key);
    this.expiry.set(key, now + ttlMs);
    while (this.expiry.size > this.maxKeys) {
      const oldest = this.expiry.keys().next().value as string;
      this.expiry.delete(oldest);
    }
    return true;
  }

  async release(key: string): Promise<void> {
    this.expiry.delete(key);
  }

  get size(): number {
    return this.expiry.size;
  }
}

/** Shared by every replica: `<prefix><key>` set with NX and a PX expiry. */
export class RedisFeedbackDedupe implements FeedbackDedupe {
  constructor(private readonly redis: Pick<Redis, 'set' | 'del'>, private readonly prefix = 'recommender:feedback:') {}

  async claim(key: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(`${this.prefix}${key}`, '1', 'PX', Math.max(1, ttlMs), 'NX')) === 'OK';
  }

  async release(key: string): Promise<void> {
    await this.redis.del(`${this.prefix}${key}`);
  }
}
