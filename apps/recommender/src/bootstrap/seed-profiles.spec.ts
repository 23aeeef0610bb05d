import { InMemoryProfileStore, type Interaction, type ItemLookup } from '@tuneline/recommend';
import { byUser, profileOf, seedProfiles } from './seed-profiles';

const catalog: ItemLookup = {
  dim: 2,
  indexOf: (id) => ['a', 'b'].indexOf(id),
  itemAt: (i) => ({ id: ['a', 'b'][i] as string, title: 't', description: '', tags: [], genres: ['G'] }),
  embeddingAt: (i) => (i === 0 ? new Float32Array([1, 0]) : new Float32Array([0, 1])),
};
const rate = (userId: string, itemId: string, value: number, ts: number): Interaction => ({ userId, itemId, type: 'rate', value, ts });

describe('seedProfiles', () => {
  it('builds each user\'s profile from their ratings in time order, once; stored profiles are left alone', async () => {
    const store = new InMemoryProfileStore();
    const events = [rate('u1', 'b', 5, 2_000), rate('u1', 'a', 5, 1_000), rate('u2', 'a', 4, 1_000)];
    expect(byUser(events).get('u1')?.map((e) => e.ts)).toEqual([1_000, 2_000]);
    const first = await seedProfiles(store, catalog, events);
    expect(first).toEqual({ users: 2, seeded: 2, events: 3 });
    const u1 = await store.get('u1');
    expect(u1?.seen.map((s) => s.itemId)).toEqual(['a', 'b']);
    expect(u1?.lastEventMs).toBe(2_000);
    expect(u1?.embedding).toEqual(profileOf('u1', byUser(events).get('u1') ?? [], catalog).embedding);
    // Again (a restart, or another replica): nothing is rebuilt or applied twice.
    expect(await seedProfiles(store, catalog, [...events, rate('u3', 'b', 2, 5)])).toEqual({ users: 3, seeded: 1, events: 1 });
    expect((await store.get('u1'))?.counts.rate).toBe(2);
  });
});
