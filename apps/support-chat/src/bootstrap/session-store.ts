/**
 * The session store: libs/support's InMemorySessionStore by default; with REDIS_URL, its
 * RedisSessionStore on an ioredis client this app owns (connects, pings for readiness,
 * quits on shutdown). An unreachable Redis fails turns with libs/support's
 * SessionStoreUnavailableError (UNAVAILABLE / 503, retriable).
 */
import { Redis } from 'ioredis';
import type { HealthRegistry, Logger } from '@tuneline/platform';
import { InMemorySessionStore, RedisSessionStore, type SessionStore } from '@tuneline/support';

export const REDIS_COMPONENT = 'redis';
const PING_TIMEOUT_MS = 1_000;

export interface SessionStoreOptions {
  readonly redisUrl?: string;
  readonly ttlMs: number;
  readonly maxSessions: number;
  /** How often readiness re-checks Redis with PING. */
  readonly pingIntervalMs: number;
  readonly health: HealthRegistry;
  readonly logger: Logger;
}

export interface SessionStoreHandle {
  readonly store: SessionStore;
  readonly kind: 'memory' | 'redis';
  close(): Promise<void>;
}

async function ping(client: Redis): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('PING timed out')), PING_TIMEOUT_MS)));
    return (await Promise.race([client.ping(), timeout])) === 'PONG';
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

export async function createSessionStore(o: SessionStoreOptions): Promise<SessionStoreHandle> {
  if (!o.redisUrl) {
    o.logger.info({ ttlMs: o.ttlMs, maxSessions: o.maxSessions }, 'sessions in memory (REDIS_URL not set)');
    return { store: new InMemorySessionStore({ ttlMs: o.ttlMs, maxSessions: o.maxSessions }), kind: 'memory', close: async () => undefined };
  }
  // Fail commands fast while disconnected (a turn answers 503) instead of queueing them.
  const client = new Redis(o.redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 2_000, enableOfflineQueue: false, lazyConnect: true });
  const log = o.logger.child({ component: 'redis' });
  client.on('error', (err: Error) => log.warn({ err: err.message }, 'redis connection error'));
  o.health.addComponent(REDIS_COMPONENT, { detail: 'connecting' });
  const check = async () => {
    const up = await ping(client);
    o.health.setReady(REDIS_COMPONENT, up, up ? 'PONG' : 'PING failed');
  };
  await client.connect().catch((err: Error) => log.error({ err: err.message }, 'redis not reachable at start-up; not ready until it answers PING'));
  await check();
  const timer = setInterval(() => void check(), o.pingIntervalMs);
  timer.unref();
  log.info({ ttlMs: o.ttlMs }, 'sessions in Redis');
  return {
    store: new RedisSessionStore({ client, ttlMs: o.ttlMs }),
    kind: 'redis',
    close: async () => {
      clearInterval(timer);
      // QUIT only on a live connection; otherwise stop reconnecting at once.
      if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
      else client.disconnect();
    },
  };
}
