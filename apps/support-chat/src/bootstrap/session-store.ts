/**
 * The session store: libs/support's InMemorySessionStore by default; with REDIS_URL, its
 * RedisSessionStore on an ioredis client this app owns (connects, pings for readiness,
 * quits on shutdown). An unreachable Redis fails turns with libs/support's
 * SessionStoreUnavailableError (UNAVAILABLE / 503, retriable).
 */
import { Redis, type RedisOptions } from 'ioredis';
import type { HealthRegistry, Logger } from '@tuneline/platform';
import { InMemorySessionStore, RedisSessionStore, type SessionStore } from '@tuneline/support';

export const REDIS_COMPONENT = 'redis';
const PING_TIMEOUT_MS = 1_000;
/** At most one 'redis connection error' warning per this interval (ioredis emits one per reconnect attempt). */
const ERROR_LOG_INTERVAL_MS = 10_000;

/**
 * Fail commands fast while disconnected (a turn answers 503, retriable) instead of queueing
 * them, and never replay one after a reconnect: a save whose reply was lost may already have
 * run, and re-sending it would surface as a false conflict or a duplicated turn.
 */
export const REDIS_CLIENT_OPTIONS = {
  maxRetriesPerRequest: 0,
  autoResendUnfulfilledCommands: false,
  enableOfflineQueue: false,
  connectTimeout: 2_000,
  lazyConnect: true,
} as const satisfies RedisOptions;

/** Runs `fn` unless the previous run is still going (then resolves at once): a slow PING is never stacked. */
export function singleFlight(fn: () => Promise<void>): () => Promise<void> {
  let running = false;
  return async () => {
    if (running) return;
    running = true;
    try {
      await fn();
    } finally {
      running = false;
    }
  };
}

/** Calls `fn` at most once per `intervalMs`, with the number of calls suppressed since the last one. */
export function throttled(fn: (suppressed: number) => void, intervalMs: number, now: () => number = Date.now): () => void {
  let last: number | undefined;
  let suppressed = 0;
  return () => {
    const t = now();
    if (last !== undefined && t - last < intervalMs) {
      suppressed++;
      return;
    }
    last = t;
    fn(suppressed);
    suppressed = 0;
  };
}

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
  const client = new Redis(o.redisUrl, REDIS_CLIENT_OPTIONS);
  const log = o.logger.child({ component: 'redis' });
  let lastError = '';
  const warn = throttled((suppressed) => log.warn({ err: lastError, suppressed }, 'redis connection error'), ERROR_LOG_INTERVAL_MS);
  client.on('error', (err: Error) => {
    lastError = err.message;
    warn();
  });
  o.health.addComponent(REDIS_COMPONENT, { detail: 'connecting' });
  // The interval may be shorter than the PING timeout: skip a tick while a PING is in flight.
  const check = singleFlight(async () => {
    const up = await ping(client);
    o.health.setReady(REDIS_COMPONENT, up, up ? 'PONG' : 'PING failed');
  });
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
