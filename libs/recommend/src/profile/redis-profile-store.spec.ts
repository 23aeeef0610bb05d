import { ProfileConflictError } from './profile-store';
import { RedisProfileStore, type RedisProfileClient } from './redis-profile-store';
import { emptyProfile } from './user-profile';

/** A fake of the three commands with the script's semantics, and a hook between read and save. */
function fakeClient(beforeSave: () => void = () => undefined) {
  const hashes = new Map<string, { revision: number; profile: string }>();
  let scriptLoaded = false;
  const save = (key: string, expected: number, next: number, json: string) => {
    beforeSave();
    const found = hashes.get(key)?.revision ?? 0;
    if (found !== expected) return found;
    hashes.set(key, { revision: next, profile: json });
    return -1;
  };
  const client = {
    hmget: async (key: string) => {
      const h = hashes.get(key);
      return h ? [String(h.revision), h.profile] : [null, null];
    },
    evalsha: async (_sha: string, _n: number, key: string, expected: number, next: number, json: string) => {
      if (!scriptLoaded) throw new Error('NOSCRIPT No matching script');
      return save(key, expected, next, json);
    },
    eval: async (_script: string, _n: number, key: string, expected: number, next: number, json: string) => {
      scriptLoaded = true;
      return save(key, expected, next, json);
    },
    del: async () => 0,
  };
  return { client: client as unknown as RedisProfileClient, hashes };
}

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

  it('fails loudly on a stored value that is not this user\'s profile', async () => {
    const { client, hashes } = fakeClient();
    hashes.set('p:u', { revision: 1, profile: '{"userId":"someone"}' });
    await expect(new RedisProfileStore({ client, keyPrefix: 'p:' }).get('u')).rejects.toThrow(/not a profile/);
  });
});
