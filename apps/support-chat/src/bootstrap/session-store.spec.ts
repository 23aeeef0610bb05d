import { createLogger, HealthRegistry } from '@tuneline/platform';
import { InMemorySessionStore } from '@tuneline/support';
import { REDIS_CLIENT_OPTIONS, createSessionStore, singleFlight, throttled } from './session-store';

describe('session store wiring', () => {
  it('uses the in-memory store without REDIS_URL and adds no readiness component', async () => {
    const health = new HealthRegistry();
    const handle = await createSessionStore({ ttlMs: 60_000, maxSessions: 10, pingIntervalMs: 1_000, health, logger: createLogger({ service: 't', level: 'silent' }) });
    expect(handle.kind).toBe('memory');
    expect(handle.store).toBeInstanceOf(InMemorySessionStore);
    expect(health.readiness().components).toEqual([]);
    await handle.close();
  });

  it('never re-sends a command after a reconnect (a save that succeeded must not run twice) and never queues offline', () => {
    expect(REDIS_CLIENT_OPTIONS).toMatchObject({ autoResendUnfulfilledCommands: false, maxRetriesPerRequest: 0, enableOfflineQueue: false });
  });
});

describe('singleFlight', () => {
  it('skips a call while the previous one is still running', async () => {
    let release: () => void = () => undefined;
    let calls = 0;
    const ping = singleFlight(async () => {
      calls++;
      await new Promise<void>((r) => (release = r));
    });
    const first = ping();
    await ping();
    await ping();
    expect(calls).toBe(1);
    release();
    await first;
    const again = ping();
    expect(calls).toBe(2);
    release();
    await again;
  });
});

describe('throttled', () => {
  it('lets one call through per interval and reports how many were suppressed', () => {
    let now = 0;
    const seen: number[] = [];
    const warn = throttled((suppressed: number) => seen.push(suppressed), 10_000, () => now);
    warn();
    warn();
    warn();
    now = 9_999;
    warn();
    expect(seen).toEqual([0]);
    now = 10_000;
    warn();
    expect(seen).toEqual([0, 3]);
  });
});
