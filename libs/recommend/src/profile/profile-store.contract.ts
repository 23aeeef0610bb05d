/**
 * ProfileStore's contract (profile-store.ts) as jest tests, run by every store's spec (in
 * memory; Redis against a real server), so both prove the same behaviour. Not a spec itself.
 */
import type { ProfileStore } from './profile-store';
import { emptyProfile, type SeenItem, type UserProfile } from './user-profile';

export interface ProfileStorePair {
  readonly store: ProfileStore;
  /** A second handle on the same data, as another replica would have; may be `store` itself. */
  readonly peer: ProfileStore;
}

function withView(p: UserProfile | undefined, userId: string, ts: number): UserProfile {
  const base = p ?? emptyProfile(userId, 4);
  return { ...base, counts: { ...base.counts, view: base.counts.view + 1 }, lastEventMs: Math.max(base.lastEventMs, ts), seen: [...base.seen, { itemId: `i${ts}`, weight: 0.5, ts }] };
}

export function describeProfileStoreContract(name: string, create: () => ProfileStorePair | Promise<ProfileStorePair>): void {
  describe(`${name} (ProfileStore contract)`, () => {
    it('has no profile for an unknown user (a cold start, not an error)', async () => {
      const { store } = await create();
      expect(await store.get('nobody')).toBeUndefined();
    });

    it('stores what update returns and gives back an equal copy, embedding bit for bit', async () => {
      const { store, peer } = await create();
      const profile: UserProfile = {
        ...emptyProfile('u1', 4),
        embedding: Float32Array.from([0.1, -0.2, 1 / 3, 0]),
        weight: 2.5,
        genreAffinity: { Horror: 0.75, Romance: -0.25 },
        tagAffinity: { 'slow burn': 0.5 },
        releaseYear: { mean: 2011.5, variance: 4, weight: 2 },
        lastEventMs: 1_700_000_000_000,
        seen: [{ itemId: '7', weight: 2, ts: 1_700_000_000_000 }],
      };
      const saved = await store.update('u1', (current) => {
        expect(current).toBeUndefined();
        return profile;
      });
      expect(saved).toEqual(profile);
      const read = await peer.get('u1');
      expect(read).toEqual(profile);
      expect(Array.from(read?.embedding ?? [])).toEqual(Array.from(profile.embedding));
    });

    it('hands out copies: changing a returned profile changes nothing stored', async () => {
      const { store } = await create();
      const saved = await store.update('u2', (p) => withView(p, 'u2', 1));
      saved.embedding[0] = 42;
      (saved.seen as SeenItem[]).push({ itemId: 'x', weight: 1, ts: 1 });
      (saved.genreAffinity as Record<string, number>)['Drama'] = 1;
      const read = await store.get('u2');
      expect(read?.embedding[0]).toBe(0);
      expect(read?.seen).toHaveLength(1);
      expect(read?.genreAffinity).toEqual({});
    });

    it('loses no update when replicas update one user concurrently', async () => {
      const { store, peer } = await create();
      await Promise.all(Array.from({ length: 20 }, (_, k) => (k % 2 ? peer : store).update('u3', (p) => withView(p, 'u3', k + 1))));
      const read = await store.get('u3');
      expect(read?.counts.view).toBe(20);
      expect(new Set(read?.seen.map((s) => s.itemId)).size).toBe(20);
    });

    it('updateOnce: the same record delivered twice changes the profile once; an older offset of that partition is skipped, another partition applies', async () => {
      const { store, peer } = await create();
      const at = (partition: number, offset: string) => ({ partition: `user.events:${partition}`, offset });
      const first = await store.updateOnce('u5', at(3, '41'), (p) => withView(p, 'u5', 1));
      expect(first.applied).toBe(true);
      const again = await peer.updateOnce('u5', at(3, '41'), (p) => withView(p, 'u5', 1));
      expect(again).toMatchObject({ applied: false, profile: { counts: { view: 1 } } });
      expect((await peer.updateOnce('u5', at(3, '9'), (p) => withView(p, 'u5', 2))).applied).toBe(false);
      // Compared as numbers, not text: '100' comes after '41'.
      expect((await store.updateOnce('u5', at(3, '100'), (p) => withView(p, 'u5', 3))).applied).toBe(true);
      expect((await store.updateOnce('u5', at(7, '0'), (p) => withView(p, 'u5', 4))).applied).toBe(true);
      const read = await store.get('u5');
      expect(read?.counts.view).toBe(3);
      expect(read?.seen.map((s) => s.itemId)).toEqual(['i1', 'i3', 'i4']);
    });

    it('updateOnce: replicas racing to apply one record apply it once; a bad position is refused', async () => {
      const { store, peer } = await create();
      const position = { partition: 'user.events:0', offset: '5' };
      const results = await Promise.all(Array.from({ length: 6 }, (_, k) => (k % 2 ? peer : store).updateOnce('u6', position, (p) => withView(p, 'u6', 1))));
      expect(results.filter((r) => r.applied)).toHaveLength(1);
      expect((await store.get('u6'))?.counts.view).toBe(1);
      await expect(store.updateOnce('u6', { partition: 'user.events:0', offset: '-1' }, (p) => withView(p, 'u6', 2))).rejects.toThrow(/position.offset/);
      await expect(store.updateOnce('u6', { partition: '', offset: '1' }, (p) => withView(p, 'u6', 2))).rejects.toThrow(/position.partition/);
    });

    it('refuses a result for another user, and an empty user id, leaving the stored profile alone', async () => {
      const { store } = await create();
      await store.update('u4', (p) => withView(p, 'u4', 1));
      await expect(store.update('u4', () => emptyProfile('someone-else', 4))).rejects.toThrow(TypeError);
      await expect(store.get('')).rejects.toThrow(/userId/);
      expect((await store.get('u4'))?.counts.view).toBe(1);
    });
  });
}
