import { copyProfile } from './profile-codec';
import { checkUpdated, checkUserId, type ProfileStore } from './profile-store';
import type { UserProfile } from './user-profile';

/** ProfileStore for one replica: a Map, copies in and out. Updates are synchronous, hence atomic. */
export class InMemoryProfileStore implements ProfileStore {
  private readonly profiles = new Map<string, UserProfile>();

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
    const current = this.profiles.get(userId);
    const next = fn(current ? copyProfile(current) : undefined);
    checkUpdated(userId, next);
    this.profiles.set(userId, copyProfile(next));
    return copyProfile(next);
  }

  async close(): Promise<void> {
    this.profiles.clear();
  }
}
