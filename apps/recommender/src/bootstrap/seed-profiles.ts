/**
 * Start-up step (RECOMMEND_SEED_PROFILES): users of the data directory's ratings who have no
 * stored profile get one built from those ratings, in time order, with libs/recommend's
 * applyEvent, so the sample (and a MovieLens directory) has warm users out of the box. A user
 * who already has a profile (Redis, another replica or an earlier start) is left alone, and
 * the store's atomic update makes two replicas seeding at once write each profile once.
 */
import { applyEvent, emptyProfile, type Interaction, type ItemLookup, type ProfileOptions, type ProfileStore, type UserProfile } from '@tuneline/recommend';

export interface SeedResult {
  readonly users: number;
  readonly seeded: number;
  readonly events: number;
}

/** Interactions per user, each user's in time order (ties in input order). */
export function byUser(interactions: readonly Interaction[]): Map<string, Interaction[]> {
  const users = new Map<string, Interaction[]>();
  for (const x of interactions) {
    let list = users.get(x.userId);
    if (!list) users.set(x.userId, (list = []));
    list.push(x);
  }
  for (const list of users.values()) list.sort((a, b) => a.ts - b.ts);
  return users;
}

export function profileOf(userId: string, events: readonly Interaction[], catalog: ItemLookup, options?: ProfileOptions): UserProfile {
  return events.reduce((p, e) => applyEvent(p, e, catalog, options), emptyProfile(userId, catalog.dim));
}

export async function seedProfiles(store: ProfileStore, catalog: ItemLookup, interactions: readonly Interaction[], options?: ProfileOptions): Promise<SeedResult> {
  let seeded = 0;
  let events = 0;
  const users = byUser(interactions);
  for (const [userId, list] of users) {
    if ((await store.get(userId)) !== undefined) continue;
    let built: UserProfile | undefined;
    await store.update(userId, (current) => {
      if (current) return current;
      built ??= profileOf(userId, list, catalog, options);
      return built;
    });
    if (built) {
      seeded++;
      events += list.length;
    }
  }
  return { users: users.size, seeded, events };
}
