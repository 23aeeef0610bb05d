import { describeProfileStoreContract } from './profile-store.contract';
import { ProfileConflictError } from './profile-store';
import { RedisProfileStore, type RedisProfileClient } from './redis-profile-store';
import { emptyProfile } from './user-profile';

/** A fake of the commands with the script's semantics (offset fields included), and a hook between read and save. */
function fakeClient(beforeSave: () => void = () => undefined) {
  const hashes = new Map<string, { revision: number; profile: string; offsets?: Record<string, string> }>();
  let scriptLoaded = false;
  const save = (key: string, expected: number, next: number, json: string, _ttl: number, field?: string, offset?: string) => {
    beforeSave();
    const h = hashes.get(key);
    const found = h?.revision ?? 0;
    if (found !== expected) return found;
    const last = field ? h?.offsets?.[field] : undefined;
    if (field && offset && last !== undefined && BigInt(last) >= BigInt(offset)) return -2;
    hashes.set(key, { revision: next, profile: json, offsets: { ...h?.offsets, ...(field && offset ? { [field]: offset } : {}) } });
    return -1;
  };
  type SaveArgs = [string, number, string, number, number, string, number, string?, string?];
  const client = {
    hmget: async (key: string, ...fields: string[]) => {
      const h = hashes.get(key);
      return h ? [String(h.revision), h.profile, ...fields.slice(2).map((f) => h.offsets?.[f] ?? null)] : fields.map(() => null);
    },
    evalsha: async (...[, , key, expected, next, json, ttl, field, offset]: SaveArgs) => {
      if (!scriptLoaded) throw new Error('NOSCRIPT No matching script');
      return save(key, expected, next, json, ttl, field, offset);
    },
    eval: async (...[, , key, expected, next, json, ttl, field, offset]: SaveArgs) => {
      scriptLoaded = true;
      return save(key, expected, next, json, ttl, field, offset);
    },
    del: async () => 0,
  };
  return { client: client as unknown as RedisProfileClient, hashes };
}

describeProfileStoreContract('RedisProfileStore (a fake client with the script\'s semantics)', () => {
  const { client } = fakeClient();
  const store = new RedisProfileStore({ client, keyPrefix: 'p:' });
  return { store, peer: new RedisProfileStore({ client, keyPrefix: 'p:' }) };
});

describe('RedisProfileStore compare-and-set', () => {
  it('re-reads and re-applies fn when another writer got in between, so neither update is lost', async () => {
    let interfere = false;
    const { client, hashes } = fakeClient(() => {
      if (!interfere) return;
      interfere = false;
      const h = hashes.get('p:u') as { revision: number; profile: string };
      const other = JSON.parse(h.profile);
      hashes.set('p:u', { revision: h.revision + 1, profile: JSON.stringify({ ...other, weight: 7 }) });
    });
    const store = new RedisProfileStore({ client, keyPrefix: 'p:' });
    await store.update('u', () => emptyProfile('u', 2));
    interfere = true;
    const calls: number[] = [];
    const saved = await store.update('u', (p) => {
      calls.push(p?.weight ?? -1);
      return { ...(p ?? emptyProfile('u', 2)), counts: { ...(p ?? emptyProfile('u', 2)).counts, like: 1 } };
    });
    expect(calls).toEqual([0, 7]); // the retry saw the other writer's profile
    expect(saved).toMatchObject({ weight: 7, counts: { like: 1 } });
    expect(hashes.get('p:u')?.revision).toBe(3);
  });

  it('gives up with ProfileConflictError after maxAttempts lost races', async () => {
    const { client, hashes } = fakeClient(() => {
      const h = hashes.get('p:u');
      if (h) hashes.set('p:u', { ...h, revision: h.revision + 1 });
    });
    const store = new RedisProfileStore({ client, keyPrefix: 'p:', maxAttempts: 3 });
    hashes.set('p:u', { revision: 1, profile: JSON.stringify({ ...emptyProfile('u', 2), embedding: '' }) });
    let calls = 0;
    await expect(store.update('u', (p) => (calls++, p ?? emptyProfile('u', 2)))).rejects.toBeInstanceOf(ProfileConflictError);
    expect(calls).toBe(3);
  });

  it('updateOnce stores the offset with the profile and skips a redelivery without running fn', async () => {
    const { client, hashes } = fakeClient();
    const store = new RedisProfileStore({ client, keyPrefix: 'p:' });
    await store.updateOnce('u', { partition: 'user.events:2', offset: '17' }, () => emptyProfile('u', 2));
    expect(hashes.get('p:u')?.offsets).toEqual({ 'offset:user.events:2': '17' });
    let calls = 0;
    const again = await store.updateOnce('u', { partition: 'user.events:2', offset: '17' }, (p) => (calls++, p ?? emptyProfile('u', 2)));
    expect(again.applied).toBe(false);
    expect(calls).toBe(0);
    expect(hashes.get('p:u')?.revision).toBe(1);
  });

  it('fails loudly on a stored value that is not this user\'s profile', async () => {
    const { client, hashes } = fakeClient();
    hashes.set('p:u', { revision: 1, profile: '{"userId":"someone"}' });
    await expect(new RedisProfileStore({ client, keyPrefix: 'p:' }).get('u')).rejects.toThrow(/not a profile/);
    // A TypeError: a data fault, dead-lettered at once by the consumer, never retried as an outage.
    await expect(new RedisProfileStore({ client, keyPrefix: 'p:' }).get('u')).rejects.toBeInstanceOf(TypeError);
  });

  it('a save script that answers something other than an integer (e.g. a stored revision that is not a number) is a TypeError', async () => {
    const { client } = fakeClient();
    const odd = { ...client, evalsha: async () => null } as unknown as typeof client;
    const err: unknown = await new RedisProfileStore({ client: odd, keyPrefix: 'p:' }).update('u', () => emptyProfile('u', 2)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect((err as Error).message).toBe('profile save script returned null, expected an integer');
  });
});
