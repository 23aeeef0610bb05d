import { createLogger, HealthRegistry, REDIS_CLIENT_OPTIONS } from '@tuneline/platform';
import { InMemorySessionStore, newSession } from '@tuneline/support';
import { createSessionStore } from './session-store';

describe('session store wiring', () => {
  it('uses the in-memory store without REDIS_URL and adds no readiness component', async () => {
    const health = new HealthRegistry();
    const handle = await createSessionStore({ ttlMs: 60_000, maxSessions: 10, maxSessionChars: 10_000, pingIntervalMs: 1_000, health, logger: createLogger({ service: 't', level: 'silent' }) });
    expect(handle.kind).toBe('memory');
    expect(handle.store).toBeInstanceOf(InMemorySessionStore);
    expect(health.readiness().components).toEqual([]);
    // SUPPORT_MAX_SESSION_CHARS reaches the store: a session over it is refused.
    const big = { ...newSession('s1', 'en', 0), transcript: [{ role: 'user' as const, text: 'x'.repeat(12_000), at: 0 }] };
    await expect(handle.store.save(big, 0)).rejects.toMatchObject({ code: 'RESOURCE_EXHAUSTED' });
    await handle.close();
  });

  it('gives Redis the platform\'s client options: never re-send a command after a reconnect (a save that succeeded must not run twice), never queue offline', () => {
    expect(REDIS_CLIENT_OPTIONS).toMatchObject({ autoResendUnfulfilledCommands: false, maxRetriesPerRequest: 0, enableOfflineQueue: false });
  });
});
