import type { EventPosition } from './event-position';
import type { UserProfile } from './user-profile';

/**
 * Where profiles live: in memory (one replica) or Redis (shared by replicas), behind one
 * contract (profile-store.contract.ts runs against both):
 * - `get` returns undefined for a user never updated (a cold start, not an error);
 * - `update(userId, fn)` applies `fn` to the stored profile (undefined when none) and stores
 *   its result atomically: concurrent updates of one user, from any replica, each see the
 *   previous one's result (none is lost); `fn` may run more than once, so it must be pure;
 * - `updateOnce(userId, position, fn)` is `update` at most once per log position: the stored
 *   profile keeps, per partition, the offset of the last event applied (written atomically with
 *   the profile); an event at or before it is a redelivery and is skipped (`applied: false`);
 * - values are copies: changing a profile after `update` or `get` changes nothing stored.
 */
export interface ProfileStore {
  get(userId: string): Promise<UserProfile | undefined>;
  update(userId: string, fn: (current: UserProfile | undefined) => UserProfile): Promise<UserProfile>;
  updateOnce(userId: string, position: EventPosition, fn: (current: UserProfile | undefined) => UserProfile): Promise<OnceResult>;
  /** Releases what the store owns (never a client it was given). */
  close(): Promise<void>;
}

/** What updateOnce did: `applied` false when the position was already applied (`profile` is then the stored one, unchanged). */
export interface OnceResult {
  readonly profile: UserProfile;
  readonly applied: boolean;
}

export class ProfileConflictError extends Error {
  override readonly name = 'ProfileConflictError';
  constructor(readonly userId: string, readonly attempts: number) {
    super(`profile of ${userId} kept changing under ${attempts} update attempts`);
  }
}

export function checkUserId(userId: unknown): asserts userId is string {
  if (typeof userId !== 'string' || userId === '') throw new TypeError('userId must be a non-empty string');
}

/** `fn`'s result must be the same user's profile. */
export function checkUpdated(userId: string, next: UserProfile): void {
  if (typeof next !== 'object' || next === null || next.userId !== userId) {
    throw new TypeError(`update must return the profile of ${userId}, got ${next === null || typeof next !== 'object' ? String(next) : next.userId}`);
  }
}
