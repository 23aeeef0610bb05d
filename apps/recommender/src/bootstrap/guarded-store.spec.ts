import { PlatformError } from '@tuneline/platform';
import { InMemoryProfileStore, ProfileConflictError, emptyProfile, type ProfileStore } from '@tuneline/recommend';
import { GuardedProfileStore } from './guarded-store';

const failing = (err: unknown): ProfileStore => ({ get: async () => Promise.reject(err), update: async () => Promise.reject(err), updateOnce: async () => Promise.reject(err), close: async () => undefined });

describe('GuardedProfileStore', () => {
  it('passes values through', async () => {
    const store = new GuardedProfileStore(new InMemoryProfileStore());
    await store.update('u', () => ({ ...emptyProfile('u', 2), lastEventMs: 3 }));
    expect((await store.get('u'))?.lastEventMs).toBe(3);
    const position = { partition: 'user.events:0', offset: '7' };
    expect((await store.updateOnce('u', position, (p) => ({ ...(p ?? emptyProfile('u', 2)), lastEventMs: 4 }))).applied).toBe(true);
    expect(await store.updateOnce('u', position, (p) => ({ ...(p ?? emptyProfile('u', 2)), lastEventMs: 5 }))).toMatchObject({ applied: false, profile: { lastEventMs: 4 } });
  });

  it('a failing store is UNAVAILABLE (retriable), a conflict ABORTED, bugs stay what they are', async () => {
    const down = new GuardedProfileStore(failing(new Error('connect ECONNREFUSED 127.0.0.1:6379')));
    await expect(down.get('u')).rejects.toMatchObject({ code: 'UNAVAILABLE', retriable: true, httpStatus: 503, message: 'profile store unavailable; retry shortly' });
    await expect(down.update('u', (p) => p ?? emptyProfile('u', 2))).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await expect(down.updateOnce('u', { partition: 'user.events:0', offset: '1' }, (p) => p ?? emptyProfile('u', 2))).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await expect(new GuardedProfileStore(failing(new ProfileConflictError('u', 16))).update('u', (p) => p ?? emptyProfile('u', 2))).rejects.toMatchObject({ code: 'ABORTED', retriable: true });
    const bug = new TypeError('update must return the profile of u');
    await expect(new GuardedProfileStore(failing(bug)).get('u')).rejects.toBe(bug);
    expect(new PlatformError('x', 'ABORTED').httpStatus).toBe(409);
  });

  it('a Redis reply: READONLY/LOADING/OOM (cannot serve now) is UNAVAILABLE; WRONGTYPE/NOPERM (no retry cures it) is INTERNAL, not retriable', async () => {
    const reply = (message: string) => Object.assign(new Error(message), { name: 'ReplyError' });
    for (const m of ["READONLY You can't write against a read only replica.", 'LOADING Redis is loading the dataset in memory', "OOM command not allowed when used memory > 'maxmemory'."]) {
      await expect(new GuardedProfileStore(failing(reply(m))).get('u')).rejects.toMatchObject({ code: 'UNAVAILABLE', retriable: true });
    }
    for (const m of ['WRONGTYPE Operation against a key holding the wrong kind of value', "NOPERM this user has no permissions to run the 'evalsha' command"]) {
      await expect(new GuardedProfileStore(failing(reply(m))).updateOnce('u', { partition: 'user.events:0', offset: '1' }, (p) => p ?? emptyProfile('u', 2)))
        .rejects.toMatchObject({ code: 'INTERNAL', retriable: false, httpStatus: 500 });
    }
  });
});
