// The store's own logic with a stub client; the Lua script and the contract run against a
// real Redis in test/redis-session-store.int.spec.ts.
import { createHash } from 'node:crypto';
import { SessionConflictError, SessionStoreUnavailableError } from '../errors';
import { DEFAULT_REDIS_SESSION_KEY_PREFIX, RedisSessionStore, SAVE_SESSION_SCRIPT, decodeSession, type RedisSessionClient } from './redis-session-store';
import { newSession } from './session-state';

function stubClient(replies: { evalsha?: () => Promise<unknown>; eval?: () => Promise<unknown>; hget?: () => Promise<string | null> } = {}) {
  const calls = {
    evalsha: jest.fn(replies.evalsha ?? (async () => -1)),
    eval: jest.fn(replies.eval ?? (async () => -1)),
    hget: jest.fn(replies.hget ?? (async () => null)),
    del: jest.fn(async () => 1),
  };
  return { calls, client: calls as unknown as RedisSessionClient };
}

const SHA = createHash('sha1').update(SAVE_SESSION_SCRIPT).digest('hex');

describe('RedisSessionStore (stub client)', () => {
  it('namespaces keys: tuneline:support:session:<id> by default, or the given prefix', () => {
    const { client } = stubClient();
    expect(DEFAULT_REDIS_SESSION_KEY_PREFIX).toBe('tuneline:support:session:');
    expect(new RedisSessionStore({ client }).key('s-1')).toBe('tuneline:support:session:s-1');
    expect(new RedisSessionStore({ client, keyPrefix: 'eu:support:' }).key('s-1')).toBe('eu:support:s-1');
  });

  it('saves with one EVALSHA: key, expected and new revision, the state with its new revision, ttl', async () => {
    const { client, calls } = stubClient();
    const store = new RedisSessionStore({ client, ttlMs: 5_000 });
    const state = { ...newSession('s1', 'en', 1), userTurns: 2, revision: 3 };
    const saved = await store.save(state, 3);
    expect(saved).toEqual({ ...state, revision: 4 });
    expect(calls.evalsha).toHaveBeenCalledTimes(1);
    const [sha, numKeys, key, expected, next, json, ttl] = calls.evalsha.mock.calls[0] as unknown as unknown[];
    expect([sha, numKeys, key, expected, next, ttl]).toEqual([SHA, 1, 'tuneline:support:session:s1', 3, 4, 5_000]);
    // What goes to Redis is the caller's state with the next revision, field for field.
    expect(JSON.parse(json as string)).toEqual({ ...state, revision: 4 });
    expect(saved).not.toBe(state); // a fresh copy, not the caller's object
    expect(calls.eval).not.toHaveBeenCalled();
  });

  it('falls back to EVAL with the script text when the server does not have it cached (NOSCRIPT)', async () => {
    const { client, calls } = stubClient({ evalsha: async () => Promise.reject(Object.assign(new Error('NOSCRIPT No matching script.'), { name: 'ReplyError' })) });
    await expect(new RedisSessionStore({ client }).save(newSession('s1', 'en', 1), 0)).resolves.toMatchObject({ revision: 1 });
    expect(calls.eval).toHaveBeenCalledTimes(1);
    expect(calls.eval.mock.calls[0]?.slice(0, 3) as unknown).toEqual([SAVE_SESSION_SCRIPT, 1, 'tuneline:support:session:s1']);
  });

  it('passes other Redis replies (ReplyError) through unchanged (no EVAL retry)', async () => {
    const wrongType = Object.assign(new Error('WRONGTYPE Operation against a key holding the wrong kind of value'), { name: 'ReplyError' });
    const { client, calls } = stubClient({ evalsha: async () => Promise.reject(wrongType) });
    await expect(new RedisSessionStore({ client }).save(newSession('s1', 'en', 1), 0)).rejects.toBe(wrongType);
    expect(calls.eval).not.toHaveBeenCalled();
  });

  it('turns a reply saying the server cannot serve now (READONLY after a failover, LOADING, OOM) into SessionStoreUnavailableError, not a 500', async () => {
    for (const message of ["READONLY You can't write against a read only replica.", 'LOADING Redis is loading the dataset in memory', "OOM command not allowed when used memory > 'maxmemory'."]) {
      const reply = Object.assign(new Error(message), { name: 'ReplyError' });
      const { client, calls } = stubClient({ evalsha: async () => Promise.reject(reply), hget: async () => Promise.reject(reply) });
      const store = new RedisSessionStore({ client });
      for (const op of [() => store.save(newSession('s1', 'en', 1), 0), () => store.get('s1')]) {
        const err: unknown = await op().catch((e: unknown) => e);
        expect(err).toBeInstanceOf(SessionStoreUnavailableError);
        expect(err).toMatchObject({ code: 'UNAVAILABLE', httpStatus: 503, retriable: true, cause: reply });
      }
      expect(calls.eval).not.toHaveBeenCalled();
    }
  });

  it('turns a store it cannot reach into SessionStoreUnavailableError (UNAVAILABLE, 503, retriable) on every operation', async () => {
    // What ioredis says when it cannot connect: host and port, which must not reach the client.
    const down = new Error('connect ECONNREFUSED 10.1.2.3:6379');
    const { client, calls } = stubClient({ evalsha: async () => Promise.reject(down), hget: async () => Promise.reject(down) });
    calls.del.mockImplementation(async () => Promise.reject(down));
    const store = new RedisSessionStore({ client });
    const ops = { save: () => store.save(newSession('s1', 'en', 1), 0), get: () => store.get('s1'), delete: () => store.delete('s1') };
    for (const [operation, op] of Object.entries(ops)) {
      const err: unknown = await op().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SessionStoreUnavailableError);
      expect(err).toMatchObject({ code: 'UNAVAILABLE', httpStatus: 503, retriable: true, cause: down, operation });
      // The message is what the edge sends to the client: no connection details in it.
      expect((err as Error).message).toBe('session store unavailable; retry');
      expect((err as Error).message).not.toMatch(/10\.1\.2\.3|6379|ECONNREFUSED/);
    }
    expect(calls.eval).not.toHaveBeenCalled();
  });

  it('turns a revision mismatch reported by the script into SessionConflictError', async () => {
    const { client } = stubClient({ evalsha: async () => 2 });
    await expect(new RedisSessionStore({ client }).save(newSession('s1', 'en', 1), 0)).rejects.toBeInstanceOf(SessionConflictError);
    const odd = stubClient({ evalsha: async () => 'OK' });
    await expect(new RedisSessionStore({ client: odd.client }).save(newSession('s1', 'en', 1), 0)).rejects.toThrow(/expected an integer/);
  });

  it('get: undefined for a missing key, the decoded state otherwise', async () => {
    const state = { ...newSession('s1', 'en', 1), revision: 1 };
    const { client, calls } = stubClient({ hget: async () => JSON.stringify(state) });
    expect(await new RedisSessionStore({ client }).get('s1')).toEqual(state);
    expect(calls.hget).toHaveBeenCalledWith('tuneline:support:session:s1', 'state');
    expect(await new RedisSessionStore({ client: stubClient().client }).get('s1')).toBeUndefined();
  });

  it('refuses stored values that are not this session', () => {
    expect(() => decodeSession('{oops', 's1')).toThrow('session s1: stored value is not JSON');
    expect(() => decodeSession('"text"', 's1')).toThrow('session s1: stored value is not a session state');
    expect(() => decodeSession(JSON.stringify({ ...newSession('s2', 'en', 1), revision: 1 }), 's1')).toThrow(/not a session state/);
    expect(() => decodeSession(JSON.stringify({ ...newSession('s1', 'en', 1), revision: 1.5 }), 's1')).toThrow(/not a session state/);
  });

  it('rejects bad options and a bad expected revision, naming the field', async () => {
    const { client } = stubClient();
    expect(() => new RedisSessionStore({} as never)).toThrow(TypeError);
    expect(() => new RedisSessionStore({ client: {} as RedisSessionClient })).toThrow(/client/);
    expect(() => new RedisSessionStore({ client, ttlMs: 0 })).toThrow(/ttlMs/);
    expect(() => new RedisSessionStore({ client, ttlMs: 1.5 })).toThrow(RangeError);
    expect(() => new RedisSessionStore({ client, keyPrefix: 5 as unknown as string })).toThrow(/keyPrefix/);
    await expect(new RedisSessionStore({ client }).save(newSession('s1', 'en', 1), -1)).rejects.toThrow(/expectedRevision/);
  });
});
