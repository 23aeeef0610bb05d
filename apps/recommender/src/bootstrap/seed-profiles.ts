/**
 * Start-up step (RECOMMEND_SEED_PROFILES): users of the data directory's interactions who
 * have no stored profile get the one replayed from those interactions (the serving state's
 * profiles), so the sample (and a MovieLens directory) has warm users out of the box. A user
 * who already has a profile (Redis, another replica or an earlier start) is left alone, and
 * the store's atomic update makes two replicas seeding at once write each profile once.
 */
import type { ProfileStore, UserProfile } from '@tuneline/recommend';

export interface SeedResult {
  readonly users: number;
  readonly seeded: number;
}

export async function seedProfiles(store: ProfileStore, profiles: ReadonlyMap<string, UserProfile>): Promise<SeedResult> {
  let seeded = 0;
  for (const [userId, profile] of profiles) {
    if ((await store.get(userId)) !== undefined) continue;
    let wrote = false;
    await store.update(userId, (current) => {
      wrote = current === undefined;
      return current ?? profile;
    });
    if (wrote) seeded++;
  }
  return { users: profiles.size, seeded };
}
