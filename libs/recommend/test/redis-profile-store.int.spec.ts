/**
 * RedisProfileStore against a real Redis at REDIS_URL (default redis://127.0.0.1:6379):
 * `npm test` starts a throwaway one and sets REDIS_URL (tools/test.sh). Two ioredis clients
 * stand for two replicas. Every test writes under its own random key prefix, deleted
 * afterwards. Fails (never skips) when Redis is not reachable.
 */
import { createHash, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { describeProfileStoreContract } from '../src/profile/profile-store.contract';
import { DEFAULT_PROFILE_KEY_PREFIX, RedisProfileStore, SAVE_PROFILE_SCRIPT, type RedisProfileClient } from '../src/profile/redis-profile-store';
import { emptyProfile } from '../src/profile/user-profile';

jest.setTimeout(30_000);

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const RUN_PREFIX = `tuneline:test:${randomUUID()}:`;
type ScriptArg = string | number | Buffer;

async function connect(): Promise<Redis> {
  const client = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 3_000, maxRetriesPerRequest: 1, retryStrategy: () => null });
  let cause: Error | undefined;
  client.on('error', (err: Error) => (cause = err));
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    client.disconnect();
    throw new Error(`Redis is not reachable at ${REDIS_URL} (${(cause ?? (err as Error)).message}). npm test starts its own (tools/test.sh); `
      + 'for a local run: REDIS_URL=redis://127.0.0.1:6379 npx jest -c libs/recommend/jest.config.ts redis');
  }
  return client;
}

let replicaA: Redis;
let replicaB: Redis;

beforeAll(async () => {
  replicaA = await connect();
  replicaB = await connect();
});

afterAll(async () => {
  if (replicaA) {
    const keys: string[] = [];
    for await (const batch of replicaA.scanStream({ match: `${RUN_PREFIX}*`, count: 500 })) keys.push(...(batch as string[]));
    if (keys.length > 0) await replicaA.del(...keys);
  }
  await Promise.all([replicaA?.quit(), replicaB?.quit()]);
});

const uniquePrefix = (): string => `${RUN_PREFIX}${randomUUID().slice(0, 8)}:`;

describeProfileStoreContract('RedisProfileStore', () => {
  const keyPrefix = uniquePrefix();
  return { store: new RedisProfileStore({ client: replicaA, keyPrefix }), peer: new RedisProfileStore({ client: replicaB, keyPrefix }) };
});

describe('RedisProfileStore (real Redis)', () => {
  it('keeps a profile as one hash {revision, profile} under <prefix><user>, the embedding as base64', async () => {
    const keyPrefix = uniquePrefix();
    const store = new RedisProfileStore({ client: replicaA, keyPrefix, ttlMs: 60_000 });
    await store.update('u1', () => ({ ...emptyProfile('u1', 2), embedding: Float32Array.from([1, 0.5]) }));
    await store.update('u1', (p) => ({ ...(p ?? emptyProfile('u1', 2)), weight: 3 }));
    const hash = await replicaB.hgetall(`${keyPrefix}u1`);
    expect(hash['revision']).toBe('2');
    expect(JSON.parse(hash['profile'] ?? '{}')).toMatchObject({ userId: 'u1', weight: 3, embedding: Buffer.from(Float32Array.from([1, 0.5]).buffer).toString('base64') });
    expect(await replicaB.pttl(`${keyPrefix}u1`)).toBeGreaterThan(55_000);
  });

  it('keeps each partition\'s last applied offset in the profile\'s hash, written with it by the script', async () => {
    const keyPrefix = uniquePrefix();
    const store = new RedisProfileStore({ client: replicaA, keyPrefix });
    await store.updateOnce('u1', { partition: 'user.events:3', offset: '9007199254740993' }, () => emptyProfile('u1', 2));
    const skipped = await new RedisProfileStore({ client: replicaB, keyPrefix }).updateOnce('u1', { partition: 'user.events:3', offset: '9007199254740992' }, (p) => ({ ...(p ?? emptyProfile('u1', 2)), weight: 9 }));
    expect(skipped).toMatchObject({ applied: false, profile: { weight: 0 } });
    const hash = await replicaB.hgetall(`${keyPrefix}u1`);
    expect(hash).toMatchObject({ revision: '1', 'offset:user.events:3': '9007199254740993' });
  });

  it('uses tuneline:recommend:profile:<user> by default and no expiry', async () => {
    const user = `${RUN_PREFIX.replace(/:/g, '.')}default`;
    const store = new RedisProfileStore({ client: replicaA });
    try {
      await store.update(user, () => emptyProfile(user, 2));
      expect(await replicaB.pttl(`${DEFAULT_PROFILE_KEY_PREFIX}${user}`)).toBe(-1);
    } finally {
      await replicaA.del(`${DEFAULT_PROFILE_KEY_PREFIX}${user}`);
    }
  });

  it('falls back to EVAL on a real NOSCRIPT, which caches the script for the next EVALSHA', async () => {
    // Not SCRIPT FLUSH: that empties the script cache of every user of this Redis (a shared dev
    // one too). The store talks through a client that appends a unique comment to its script, a
    // body this server has never cached, so its EVALSHA meets a real NOSCRIPT. Leaves one small
    // script in the cache, as any first EVAL does.
    const marker = `\n-- tuneline test ${randomUUID()}\n`;
    const sha = createHash('sha1').update(SAVE_PROFILE_SCRIPT + marker).digest('hex');
    expect(await replicaA.script('EXISTS', sha)).toEqual([0]);
    const calls: string[] = [];
    const client: RedisProfileClient = {
      hmget: replicaA.hmget.bind(replicaA),
      del: replicaA.del.bind(replicaA),
      evalsha: ((_sha: string, numKeys: number, ...args: ScriptArg[]) => {
        calls.push('evalsha');
        return replicaA.evalsha(sha, numKeys, ...args);
      }) as unknown as RedisProfileClient['evalsha'],
      eval: ((script: string, numKeys: number, ...args: ScriptArg[]) => {
        calls.push(script === SAVE_PROFILE_SCRIPT ? 'eval' : 'eval of another script');
        return replicaA.eval(script + marker, numKeys, ...args);
      }) as unknown as RedisProfileClient['eval'],
    };
    const store = new RedisProfileStore({ client, keyPrefix: uniquePrefix() });
    await expect(store.update('u', () => emptyProfile('u', 2))).resolves.toMatchObject({ userId: 'u' });
    expect(calls).toEqual(['evalsha', 'eval']);
    expect(await replicaA.script('EXISTS', sha)).toEqual([1]);
    await expect(store.update('u', (p) => ({ ...(p ?? emptyProfile('u', 2)), weight: 2 }))).resolves.toMatchObject({ weight: 2 });
    expect(calls).toEqual(['evalsha', 'eval', 'evalsha']);
  });

  it('rejects a missing client and bad options naming the field', () => {
    expect(() => new RedisProfileStore({ client: undefined as never })).toThrow(/client/);
    expect(() => new RedisProfileStore({ client: replicaA, ttlMs: -1 })).toThrow(/ttlMs/);
    expect(() => new RedisProfileStore({ client: replicaA, maxAttempts: 0 })).toThrow(/maxAttempts/);
  });
});
