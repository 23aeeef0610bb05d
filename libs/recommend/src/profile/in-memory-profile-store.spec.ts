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
});
