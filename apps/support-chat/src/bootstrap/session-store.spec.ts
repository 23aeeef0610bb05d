import { createLogger, describeError, HealthRegistry } from '@tuneline/platform';
import { InMemorySessionStore, newSession, SessionConflictError } from '@tuneline/support';
import { createSessionStore, UnavailableOnErrorStore } from './session-store';

describe('session store wiring', () => {
  it('uses the in-memory store without REDIS_URL and adds no readiness component', async () => {
    const health = new HealthRegistry();
    const handle = await createSessionStore({ ttlMs: 60_000, maxSessions: 10, health, logger: createLogger({ service: 't', level: 'silent' }) });
    expect(handle.kind).toBe('memory');
    expect(handle.store).toBeInstanceOf(InMemorySessionStore);
    expect(health.readiness().components).toEqual([]);
    await handle.close();
  });

  it('answers UNAVAILABLE (503, retriable) when the store fails, and keeps support errors as they are', async () => {
    const broken = new UnavailableOnErrorStore({
      get: async () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' })),
      save: async () => Promise.reject(new SessionConflictError('s1')),
      delete: async () => true,
    });
    const unavailable = await broken.get('s1').catch((e: unknown) => e);
    expect(describeError(unavailable)).toMatchObject({ code: 'UNAVAILABLE', httpStatus: 503, retriable: true, message: 'session store is unavailable; retry shortly' });
    const conflict = await broken.save(newSession('s1', 'en', 0), 0).catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(SessionConflictError);
    expect(await broken.delete('s1')).toBe(true);
  });
});
