import { InMemoryProfileStore, emptyProfile, type UserProfile } from '@tuneline/recommend';
import { seedProfiles } from './seed-profiles';

const profile = (userId: string, lastEventMs: number): UserProfile => ({ ...emptyProfile(userId, 2), lastEventMs, seen: [{ itemId: 'a', weight: 1, ts: lastEventMs }] });

describe('seedProfiles', () => {
  it('stores each replayed profile once; profiles already stored are left alone', async () => {
    const store = new InMemoryProfileStore();
    await store.update('u2', () => profile('u2', 99));
    const result = await seedProfiles(store, new Map([['u1', profile('u1', 5)], ['u2', profile('u2', 7)]]));
    expect(result).toEqual({ users: 2, seeded: 1 });
    expect((await store.get('u1'))?.lastEventMs).toBe(5);
    expect((await store.get('u2'))?.lastEventMs).toBe(99);
    // Again (a restart, or another replica): nothing is written.
    expect(await seedProfiles(store, new Map([['u1', profile('u1', 6)]]))).toEqual({ users: 1, seeded: 0 });
    expect((await store.get('u1'))?.lastEventMs).toBe(5);
  });
});
