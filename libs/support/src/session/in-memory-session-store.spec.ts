import { FakeClock } from '../testing/fake-clock';
import { DEFAULT_SWEEP_INTERVAL_MS, InMemorySessionStore } from './in-memory-session-store';
import { newSession } from './session-state';
import { describeSessionStoreContract } from './session-store.contract';

// One process: the "peer" replica is the store itself.
const contractTime = new FakeClock();
describeSessionStoreContract('InMemorySessionStore', {
  create: (ttlMs) => {
    const store = new InMemorySessionStore({ ttlMs, clock: contractTime.clock });
    return { store, peer: store };
  },
  advance: async (ms) => contractTime.advance(ms),
  now: () => contractTime.nowMs,
  ttlMs: 1_000,
});

describe('InMemorySessionStore', () => {
  const setup = (ttlMs = 1_000, maxSessions?: number) => {
    const time = new FakeClock();
    return { time, store: new InMemorySessionStore({ ttlMs, clock: time.clock, ...(maxSessions ? { maxSessions } : {}) }) };
  };

  it('drops an expired session when it is read', async () => {
    const { time, store } = setup(1_000);
    await store.save(newSession('s1', 'en', time.nowMs), 0);
    time.advance(1_000);
    expect(store.size).toBe(1);
    expect(await store.get('s1')).toBeUndefined();
    expect(store.size).toBe(0);
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

  it('refuses a save past maxChars of session JSON (RESOURCE_EXHAUSTED), new or growing; deleting, expiry and shrinking give room back', async () => {
    const time = new FakeClock();
    const store = new InMemorySessionStore({ ttlMs: 1_000, clock: time.clock, maxChars: 10_000 });
    const withText = (id: string, n: number) => ({ ...newSession(id, 'en', time.nowMs), transcript: [{ role: 'user' as const, text: 'x'.repeat(n), at: time.nowMs }] });
    const a = await store.save(withText('a', 6_000), 0);
    expect(store.heldChars).toBe(JSON.stringify(a).length);
    await expect(store.save(withText('b', 6_000), 0)).rejects.toMatchObject({ code: 'RESOURCE_EXHAUSTED' });
    // A session may not grow past the budget either, but may shrink.
    await expect(store.save(withText('a', 12_000), 1)).rejects.toMatchObject({ code: 'RESOURCE_EXHAUSTED' });
    const small = await store.save(withText('a', 10), 1);
    expect(store.heldChars).toBe(JSON.stringify(small).length);
    await store.save(withText('b', 6_000), 0);
    expect(await store.delete('b')).toBe(true);
    await store.save(withText('c', 6_000), 0);
    time.advance(1_000);
    // Expired sessions are swept to make room.
    await expect(store.save(withText('d', 9_000), 0)).resolves.toMatchObject({ id: 'd' });
    expect(store.size).toBe(1);
  });

  describe('scheduled sweep', () => {
    afterEach(() => jest.useRealTimers());

    it('sweeps expired sessions every sweepIntervalMs on its own, until closed', async () => {
      jest.useFakeTimers();
      const time = new FakeClock();
      const store = new InMemorySessionStore({ ttlMs: 1_000, clock: time.clock, sweepIntervalMs: 5_000 });
      await store.save(newSession('a', 'en', time.nowMs), 0);
      await store.save(newSession('b', 'en', time.nowMs), 0);
      time.advance(1_000); // both expired, but nothing read them
      jest.advanceTimersByTime(4_999);
      expect(store.size).toBe(2);
      jest.advanceTimersByTime(1);
      expect(store.size).toBe(0);
      await store.save(newSession('c', 'en', time.nowMs), 0);
      time.advance(1_000);
      store.close();
      store.close(); // idempotent
      jest.advanceTimersByTime(60_000);
      expect(store.size).toBe(1); // no more sweeps after close
      expect(jest.getTimerCount()).toBe(0);
    });

    it('sweeps every DEFAULT_SWEEP_INTERVAL_MS by default, on an unref\'d timer (it never keeps the process alive); 0 = never', async () => {
      const store = new InMemorySessionStore();
      const timer = (store as unknown as { timer?: NodeJS.Timeout }).timer;
      expect(timer?.hasRef()).toBe(false);
      store.close();
      expect(DEFAULT_SWEEP_INTERVAL_MS).toBe(60_000);
      jest.useFakeTimers();
      const off = new InMemorySessionStore({ sweepIntervalMs: 0 });
      expect(jest.getTimerCount()).toBe(0);
      off.close();
    });
  });

  it('rejects bad options', () => {
    expect(() => new InMemorySessionStore({ ttlMs: 0 })).toThrow(/ttlMs/);
    expect(() => new InMemorySessionStore({ maxSessions: 1.5 })).toThrow(/maxSessions/);
    expect(() => new InMemorySessionStore({ maxChars: 0 })).toThrow(/maxChars/);
    expect(() => new InMemorySessionStore({ sweepIntervalMs: -1 })).toThrow(/sweepIntervalMs/);
  });
});
