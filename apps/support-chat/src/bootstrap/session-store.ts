/**
 * The session store: libs/support's InMemorySessionStore by default; with REDIS_URL, its
 * RedisSessionStore on an ioredis client this app owns, supervised by libs/platform's
 * superviseRedis (connects, pings for readiness, quits on shutdown). An unreachable Redis
 * fails turns with libs/support's SessionStoreUnavailableError (UNAVAILABLE / 503, retriable).
 */
import { Redis } from 'ioredis';
import { REDIS_CLIENT_OPTIONS, superviseRedis, type HealthRegistry, type Logger } from '@tuneline/platform';
import { InMemorySessionStore, RedisSessionStore, type SessionStore } from '@tuneline/support';

export interface SessionStoreOptions {
  readonly redisUrl?: string;
  readonly ttlMs: number;
  readonly maxSessions: number;
  readonly maxSessionChars: number;
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

export async function createSessionStore(o: SessionStoreOptions): Promise<SessionStoreHandle> {
  if (!o.redisUrl) {
    o.logger.info({ ttlMs: o.ttlMs, maxSessions: o.maxSessions, maxSessionChars: o.maxSessionChars }, 'sessions in memory (REDIS_URL not set)');
    const store = new InMemorySessionStore({ ttlMs: o.ttlMs, maxSessions: o.maxSessions, maxChars: o.maxSessionChars });
    return { store, kind: 'memory', close: async () => store.close() };
  }
  const client = new Redis(o.redisUrl, REDIS_CLIENT_OPTIONS);
  // libs/platform: PING readiness (component `redis`), throttled error logs, QUIT on close.
  const supervised = await superviseRedis(client, o);
  o.logger.info({ ttlMs: o.ttlMs }, 'sessions in Redis');
  return {
    store: new RedisSessionStore({ client, ttlMs: o.ttlMs }),
    kind: 'redis',
    close: () => supervised.close(),
  };
}
