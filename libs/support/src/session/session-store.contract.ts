/**
 * SessionStore's contract (session-store.ts) as jest tests, run by every store's spec
 * (in memory with a fake clock, Redis in real time), so all stores prove the same behaviour.
 * Not a spec itself and not exported: jest only collects `*.spec.ts`.
 */
import { SessionConflictError } from '../errors';
import { newSession, type SessionState } from './session-state';
import type { SessionStore } from './session-store';

export interface SessionStorePair {
  readonly store: SessionStore;
  /** A second handle on the same data, as another replica would have; may be `store` itself. */
  readonly peer: SessionStore;
}

export interface SessionStoreContractHarness {
  /** Stores with this TTL over data no other test sees. */
  create(ttlMs: number): SessionStorePair | Promise<SessionStorePair>;
  /** Lets time pass: a fake clock's advance, or a real sleep. */
  advance(ms: number): Promise<void>;
  now(): number;
  /** TTL of the expiry test; a real-time store needs one long enough to absorb timer slack. */
  readonly ttlMs: number;
}

export function describeSessionStoreContract(name: string, h: SessionStoreContractHarness): void {
  describe(`${name} (SessionStore contract)`, () => {
    const fresh = (id: string): SessionState => newSession(id, 'en', h.now());

    it('returns undefined for an unknown session, and delete reports false', async () => {
      const { store } = await h.create(60_000);
      expect(await store.get('nobody')).toBeUndefined();
      expect(await store.delete('nobody')).toBe(false);
    });

    it('saves a new session at revision 0 as revision 1; get returns an equal copy', async () => {
      const { store } = await h.create(60_000);
      const state: SessionState = {
        ...fresh('s1'),
        userTurns: 1,
        transcript: [
          { role: 'user', text: 'refund €40 ✓ 退款', at: 1 },
          { role: 'assistant', text: 'ok', at: 2, intent: 'refund_request', answerKind: 'template' },
        ],
        slots: { amount: '40.00 EUR' },
        lastIntent: 'refund_request',
      };
      const saved = await store.save(state, 0);
      expect(saved).toEqual({ ...state, revision: 1 });
      expect(await store.get('s1')).toEqual(saved);
    });

    it('compare-and-set: bumps the revision and rejects a stale writer with a retriable ABORTED', async () => {
      const { store } = await h.create(60_000);
      const first = await store.save(fresh('s1'), 0);
      expect(first.revision).toBe(1);
      const a = await store.save({ ...first, userTurns: 1 }, 1);
      expect(a.revision).toBe(2);
      const stale = store.save({ ...first, userTurns: 9 }, 1);
      await expect(stale).rejects.toBeInstanceOf(SessionConflictError);
      await expect(stale).rejects.toMatchObject({ code: 'ABORTED', retriable: true, sessionId: 's1' });
      await expect(store.save(fresh('s1'), 0)).rejects.toBeInstanceOf(SessionConflictError); // already exists
      await expect(store.save(fresh('s2'), 1)).rejects.toBeInstanceOf(SessionConflictError); // never saved
      expect(await store.get('s1')).toMatchObject({ userTurns: 1, revision: 2 });
      expect(await store.get('s2')).toBeUndefined();
    });

    it('stores copies: mutating returned or saved objects changes nothing stored', async () => {
      const { store } = await h.create(60_000);
      const state = { ...fresh('s1'), slots: { amount: '5 EUR' } };
      const saved = await store.save(state, 0);
      (state.slots as Record<string, string>)['amount'] = 'changed';
      (saved.slots as Record<string, string>)['amount'] = 'changed too';
      const got = await store.get('s1');
      (got?.slots as Record<string, string>)['amount'] = 'changed as well';
      expect((await store.get('s1'))?.slots).toEqual({ amount: '5 EUR' });
    });

    it('deletes once (true, then false); a deleted session starts again at revision 0', async () => {
      const { store } = await h.create(60_000);
      await store.save(fresh('a'), 0);
      expect(await store.delete('a')).toBe(true);
      expect(await store.delete('a')).toBe(false);
      expect(await store.get('a')).toBeUndefined();
      await expect(store.save(fresh('a'), 0)).resolves.toMatchObject({ id: 'a', revision: 1 });
    });

    it('expires a session ttlMs after its last save (sliding), not after its last read', async () => {
      const ttl = h.ttlMs;
      const { store } = await h.create(ttl);
      const saved = await store.save(fresh('s1'), 0);
      await h.advance(ttl * 0.6);
      expect(await store.get('s1')).toBeDefined(); // a read does not renew…
      await store.save({ ...saved, userTurns: 1 }, saved.revision); // …a save does
      await h.advance(ttl * 0.6);
      expect((await store.get('s1'))?.userTurns).toBe(1); // 1.2 ttl after the first save
      await h.advance(ttl * 0.5);
      expect(await store.get('s1')).toBeUndefined();
      expect(await store.delete('s1')).toBe(false); // expired is not live
      await expect(store.save(fresh('s1'), 0)).resolves.toMatchObject({ revision: 1 }); // and starts over
    });

    it('a peer (another replica) sees saves and deletes, and its stale save conflicts', async () => {
      const { store, peer } = await h.create(60_000);
      const first = await store.save(fresh('s1'), 0);
      const onPeer = await peer.get('s1');
      expect(onPeer).toEqual(first);
      await peer.save({ ...(onPeer as SessionState), userTurns: 1 }, 1);
      await expect(store.save({ ...first, userTurns: 5 }, 1)).rejects.toBeInstanceOf(SessionConflictError);
      expect(await store.get('s1')).toMatchObject({ userTurns: 1, revision: 2 });
      expect(await peer.delete('s1')).toBe(true);
      expect(await store.get('s1')).toBeUndefined();
    });

    it('of concurrent saves at one revision, exactly one wins', async () => {
      const { store, peer } = await h.create(60_000);
      const first = await store.save(fresh('s1'), 0);
      const results = await Promise.allSettled([
        store.save({ ...first, userTurns: 1, lastIntent: 'a' }, 1),
        peer.save({ ...first, userTurns: 1, lastIntent: 'b' }, 1),
        store.save({ ...first, userTurns: 1, lastIntent: 'c' }, 1),
      ]);
      const won = results.filter((r): r is PromiseFulfilledResult<SessionState> => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost.map((r) => r.reason)).toEqual([expect.any(SessionConflictError), expect.any(SessionConflictError)]);
      expect(await peer.get('s1')).toEqual(won[0]?.value);
    });
  });
}
