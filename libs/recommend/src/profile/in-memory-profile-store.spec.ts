import { InMemoryProfileStore } from './in-memory-profile-store';
import { describeProfileStoreContract } from './profile-store.contract';
import { emptyProfile } from './user-profile';

describeProfileStoreContract('InMemoryProfileStore', () => {
  const store = new InMemoryProfileStore();
  return { store, peer: store };
});

describe('InMemoryProfileStore', () => {
  it('forgets everything on close', async () => {
    const store = new InMemoryProfileStore();
    await store.update('u', (p) => p ?? emptyProfile('u', 2));
    expect(store.size).toBe(1);
    await store.close();
    expect(store.size).toBe(0);
  });

  it('keeps at most maxProfiles users, forgetting the least recently read or updated one with its positions', async () => {
    const store = new InMemoryProfileStore({ maxProfiles: 2 });
    const make = (u: string) => (p: ReturnType<typeof emptyProfile> | undefined) => p ?? emptyProfile(u, 2);
    await store.updateOnce('u1', { partition: 'user.events:0', offset: '5' }, make('u1'));
    await store.update('u2', make('u2'));
    // Reading u1 makes u2 the least recently used.
    expect(await store.get('u1')).toBeDefined();
    await store.update('u3', make('u3'));
    expect(store.size).toBe(2);
    expect(await store.get('u2')).toBeUndefined();
    expect(await store.get('u1')).toBeDefined();
    await store.update('u4', make('u4'));
    await store.update('u5', make('u5'));
    expect(await store.get('u1')).toBeUndefined();
    // u1's positions went with it: the same event applies again to a fresh profile.
    expect((await store.updateOnce('u1', { partition: 'user.events:0', offset: '5' }, make('u1'))).applied).toBe(true);
  });

  it('refuses a bad bound', () => {
    expect(() => new InMemoryProfileStore({ maxProfiles: 0 })).toThrow(/maxProfiles/);
  });
});
