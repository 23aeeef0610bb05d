import { checkPosition, isAfter, type EventPosition } from './event-position';
import { copyProfile } from './profile-codec';
import { checkUpdated, checkUserId, type OnceResult, type ProfileStore } from './profile-store';
import type { UserProfile } from './user-profile';

/** ProfileStore for one replica: a Map, copies in and out. Updates are synchronous, hence atomic. */
export class InMemoryProfileStore implements ProfileStore {
  private readonly profiles = new Map<string, UserProfile>();
  /** Per user: partition → offset of the last event applied. */
  private readonly positions = new Map<string, Map<string, string>>();

  get size(): number {
    return this.profiles.size;
  }

  async get(userId: string): Promise<UserProfile | undefined> {
    checkUserId(userId);
    const p = this.profiles.get(userId);
    return p ? copyProfile(p) : undefined;
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
    this.profiles.set(userId, copyProfile(next));
    return copyProfile(next);
  }

  async close(): Promise<void> {
    this.profiles.clear();
    this.positions.clear();
  }
}
