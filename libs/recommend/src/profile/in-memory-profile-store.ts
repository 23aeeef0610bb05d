import { checkPosition, isAfter, type EventPosition } from './event-position';
import { copyProfile } from './profile-codec';
import { checkUpdated, checkUserId, type OnceResult, type ProfileStore } from './profile-store';
import type { UserProfile } from './user-profile';

/**
 * Users one replica keeps in memory before the least recently used is forgotten: a profile is
 * ~2 KB (the 384-d embedding and a few seen items) and at most ~60 KB (2,000 seen items), so
 * typical use stays near 200 MB; every distinct userId used to stay forever.
 */
export const DEFAULT_MAX_PROFILES = 100_000;

export interface InMemoryProfileStoreOptions {
  /** Most users kept; past it the least recently read or updated one is dropped, with its positions. */
  readonly maxProfiles?: number;
}

/**
 * ProfileStore for one replica: a Map in least-recently-used order, copies in and out, at most
 * `maxProfiles` users. Updates are synchronous, hence atomic. A dropped user starts again from
 * no profile (as after a restart, which memory mode already has).
 */
export class InMemoryProfileStore implements ProfileStore {
  private readonly profiles = new Map<string, UserProfile>();
  /** Per user: partition → offset of the last event applied. */
  private readonly positions = new Map<string, Map<string, string>>();
  private readonly maxProfiles: number;

  constructor(options: InMemoryProfileStoreOptions = {}) {
    this.maxProfiles = options.maxProfiles ?? DEFAULT_MAX_PROFILES;
    if (!Number.isInteger(this.maxProfiles) || this.maxProfiles < 1) throw new RangeError(`maxProfiles: ${this.maxProfiles} must be a positive integer`);
  }

  get size(): number {
    return this.profiles.size;
  }

  async get(userId: string): Promise<UserProfile | undefined> {
    checkUserId(userId);
    const p = this.profiles.get(userId);
    if (!p) return undefined;
    this.touch(userId, p);
    return copyProfile(p);
  }

  async update(userId: string, fn: (current: UserProfile | undefined) => UserProfile): Promise<UserProfile> {
    checkUserId(userId);
    return this.apply(userId, fn);
  }

  async updateOnce(userId: string, position: EventPosition, fn: (current: UserProfile | undefined) => UserProfile): Promise<OnceResult> {
    checkUserId(userId);
    checkPosition(position);
    const stored = this.positions.get(userId)?.get(position.partition);
    const current = this.profiles.get(userId);
    if (current && !isAfter(position.offset, stored)) return { profile: copyProfile(current), applied: false };
    // No await between the check and both writes: that is what makes it atomic.
    const profile = this.apply(userId, fn);
    const mine = this.positions.get(userId) ?? new Map<string, string>();
    mine.set(position.partition, position.offset);
    this.positions.set(userId, mine);
    return { profile, applied: true };
  }

  private apply(userId: string, fn: (current: UserProfile | undefined) => UserProfile): UserProfile {
    const current = this.profiles.get(userId);
    const next = fn(current ? copyProfile(current) : undefined);
    checkUpdated(userId, next);
    this.touch(userId, copyProfile(next));
    while (this.profiles.size > this.maxProfiles) {
      const oldest = this.profiles.keys().next().value as string;
      this.profiles.delete(oldest);
      this.positions.delete(oldest);
    }
    return copyProfile(next);
  }

  /** Moves the user to the most recent end of the Map's insertion order. */
  private touch(userId: string, profile: UserProfile): void {
    this.profiles.delete(userId);
    this.profiles.set(userId, profile);
  }

  async close(): Promise<void> {
    this.profiles.clear();
    this.positions.clear();
  }
}
