/**
 * The Redis client this app owns when REDIS_URL is set (profiles, feedback de-duplication):
 * connects, PINGs for readiness (health component `redis`), quits on shutdown. Commands fail
 * fast while disconnected (a request answers 503, a consumed event is retried) instead of
 * queueing, and are never replayed after a reconnect: a profile save whose reply was lost may
 * already have run (the store's compare-and-set would then see a conflict and re-read).
 */
import { Redis, type RedisOptions } from 'ioredis';
import type { HealthRegistry, Logger } from '@tuneline/platform';

export const REDIS_COMPONENT = 'redis';
const PING_TIMEOUT_MS = 1_000;
/** At most one 'redis connection error' warning per this interval (ioredis emits one per reconnect attempt). */
const ERROR_LOG_INTERVAL_MS = 10_000;

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

export interface RedisHandle {
  readonly client: Redis;
  close(): Promise<void>;
}

export async function connectRedis(url: string, o: { pingIntervalMs: number; health: HealthRegistry; logger: Logger }): Promise<RedisHandle> {
  const client = new Redis(url, REDIS_CLIENT_OPTIONS);
  const log = o.logger.child({ component: 'redis' });
  let lastError = '';
  const warn = throttled((suppressed) => log.warn({ err: lastError, suppressed }, 'redis connection error'), ERROR_LOG_INTERVAL_MS);
  client.on('error', (err: Error) => {
    lastError = err.message;
    warn();
  });
  o.health.addComponent(REDIS_COMPONENT, { detail: 'connecting' });
  const check = singleFlight(async () => {
    const up = await ping(client);
    o.health.setReady(REDIS_COMPONENT, up, up ? 'PONG' : 'PING failed');
  });
  await client.connect().catch((err: Error) => log.error({ err: err.message }, 'redis not reachable at start-up; not ready until it answers PING'));
  await check();
  const timer = setInterval(() => void check(), o.pingIntervalMs);
  timer.unref();
  return {
    client,
    close: async () => {
      clearInterval(timer);
      // QUIT only on a live connection; otherwise stop reconnecting at once.
      if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
      else client.disconnect();
    },
  };
}
