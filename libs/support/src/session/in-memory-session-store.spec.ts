import { SessionConflictError } from '../errors';
import { FakeClock } from '../testing/fake-clock';
import { InMemorySessionStore } from './in-memory-session-store';
import { newSession } from './session-state';

describe('InMemorySessionStore', () => {
  const setup = (ttlMs = 1_000, maxSessions?: number) => {
    const time = new FakeClock();
    return { time, store: new InMemorySessionStore({ ttlMs, clock: time.clock, ...(maxSessions ? { maxSessions } : {}) }) };
  };

  it('expires a session ttlMs after its last save (sliding), not after its last read', async () => {
    const { time, store } = setup(1_000);
    const saved = await store.save(newSession('s1', 'en', time.nowMs), 0);
    time.advance(999);
    expect(await store.get('s1')).toBeDefined(); // a read does not renew
    await store.save({ ...saved, userTurns: 1 }, saved.revision); // a save does
    time.advance(999);
    expect((await store.get('s1'))?.userTurns).toBe(1);
    time.advance(1);
    expect(await store.get('s1')).toBeUndefined();
    expect(store.size).toBe(0); // dropped on read
  });

  it('compare-and-set: bumps the revision and rejects a stale writer with a retriable ABORTED', async () => {
    const { time, store } = setup();
    const first = await store.save(newSession('s1', 'en', time.nowMs), 0);
    expect(first.revision).toBe(1);
    const a = await store.save({ ...first, userTurns: 1 }, 1);
    expect(a.revision).toBe(2);
    const stale = store.save({ ...first, userTurns: 9 }, 1);
    await expect(stale).rejects.toBeInstanceOf(SessionConflictError);
    await expect(stale).rejects.toMatchObject({ code: 'ABORTED', retriable: true });
    await expect(store.save(newSession('s1', 'en', time.nowMs), 0)).rejects.toBeInstanceOf(SessionConflictError); // already exists
    expect((await store.get('s1'))?.userTurns).toBe(1);
  });

  it('stores copies: mutating returned or saved objects changes nothing stored', async () => {
    const { time, store } = setup();
    const state = { ...newSession('s1', 'en', time.nowMs), slots: { amount: '5 EUR' } };
    const saved = await store.save(state, 0);
    (state.slots as Record<string, string>)['amount'] = 'changed';
    (saved.slots as Record<string, string>)['amount'] = 'changed too';
    expect((await store.get('s1'))?.slots).toEqual({ amount: '5 EUR' });
  });

  it('deletes, reports whether something was deleted, and sweeps expired sessions', async () => {
    const { time, store } = setup(1_000);
    await store.save(newSession('a', 'en', time.nowMs), 0);
    expect(await store.delete('a')).toBe(true);
    expect(await store.delete('a')).toBe(false);
    await store.save(newSession('b', 'en', time.nowMs), 0);
    time.advance(500);
    await store.save(newSession('c', 'en', time.nowMs), 0);
    time.advance(600);
    expect(store.sweep()).toBe(1);
    expect([await store.get('b'), (await store.get('c'))?.id]).toEqual([undefined, 'c']);
  });

  it('refuses new sessions past maxSessions (RESOURCE_EXHAUSTED) unless expired ones can be swept', async () => {
    const { time, store } = setup(1_000, 2);
    await store.save(newSession('a', 'en', time.nowMs), 0);
    await store.save(newSession('b', 'en', time.nowMs), 0);
    await expect(store.save(newSession('c', 'en', time.nowMs), 0)).rejects.toMatchObject({ code: 'RESOURCE_EXHAUSTED' });
    time.advance(1_000);
    await expect(store.save(newSession('c', 'en', time.nowMs), 0)).resolves.toMatchObject({ id: 'c' });
  });

  it('rejects bad options', () => {
    expect(() => new InMemorySessionStore({ ttlMs: 0 })).toThrow(/ttlMs/);
    expect(() => new InMemorySessionStore({ maxSessions: 1.5 })).toThrow(/maxSessions/);
  });
});
