/**
 * What every app that owns a Redis client does with it (support-chat sessions, recommender
 * profiles): readiness from PING (health component `redis`), throttled connection-error
 * warnings, and a close that QUITs a live connection or stops reconnecting. The app creates
 * the ioredis client itself (`new Redis(url, REDIS_CLIENT_OPTIONS)`); this file only imports
 * ioredis's types, so services without Redis never load it.
 */
import type { Redis, RedisOptions } from 'ioredis';
import type { HealthRegistry } from '../health/health-registry';
import type { Logger } from '../logging/create-logger';

export const REDIS_COMPONENT = 'redis';
const PING_TIMEOUT_MS = 1_000;
/** At most one 'redis connection error' warning per this interval (ioredis emits one per reconnect attempt). */
const ERROR_LOG_INTERVAL_MS = 10_000;

/**
 * (libs/support keeps a copy of this list: it loads no platform module.)
 * Replies (ioredis's ReplyError) that say this server cannot serve writes or commands right now,
 * not that the command or the data is wrong: a demoted primary after a failover (READONLY), a
 * server loading its dataset, busy in a script, out of memory, or a cluster in transition.
 */
const TRANSIENT_REPLY = /^(READONLY|LOADING|BUSY|MASTERDOWN|OOM|TRYAGAIN|CLUSTERDOWN)\b/;

/** True for a Redis error reply that a retry (on this or another server) may cure: answer 503, not 500. */
export function isTransientRedisReply(err: unknown): boolean {
  return err instanceof Error && err.name === 'ReplyError' && TRANSIENT_REPLY.test(err.message);
}

/** A command without a reply after this long fails (the request answers 503), so a stalled server cannot hold a request forever. */
export const REDIS_COMMAND_TIMEOUT_MS = 2_000;

/**
 * Fail commands fast while disconnected (the request answers 503, retriable; a consumed event
 * is retried) instead of queueing them, and never replay one after a reconnect: a save whose
 * reply was lost may already have run, and re-sending it would surface as a false conflict or
 * a duplicated write. A command that gets no reply within REDIS_COMMAND_TIMEOUT_MS fails too
 * (a stopped or black-holed server; it may still have run, as with a lost reply). READONLY
 * means the connection reached a primary that failover demoted: reconnect (DNS or the service
 * then leads to the new primary) without re-sending the command (1, not 2).
 */
export const REDIS_CLIENT_OPTIONS = {
  maxRetriesPerRequest: 0,
  autoResendUnfulfilledCommands: false,
  enableOfflineQueue: false,
  connectTimeout: 2_000,
  commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
  lazyConnect: true,
  reconnectOnError: (err: Error): 1 | false => (err.message.startsWith('READONLY') ? 1 : false),
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

/** The client calls the supervisor makes (an ioredis `Redis` fits). */
export type SupervisedRedis = Pick<Redis, 'connect' | 'ping' | 'quit' | 'disconnect' | 'on' | 'status'>;

async function ping(client: SupervisedRedis): Promise<boolean> {
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

export interface RedisSupervisorOptions {
  /** How often readiness re-checks Redis with PING. */
  readonly pingIntervalMs: number;
  readonly health: HealthRegistry;
  readonly logger: Logger;
}

/**
 * Connects `client` (a failure is logged: not ready until it answers PING), registers the
 * `redis` readiness component and keeps it current; `close` stops the checks and releases the
 * connection.
 */
export async function superviseRedis(client: SupervisedRedis, o: RedisSupervisorOptions): Promise<{ close(): Promise<void> }> {
  const log = o.logger.child({ component: REDIS_COMPONENT });
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
  return {
    close: async () => {
      clearInterval(timer);
      // QUIT only on a live connection; otherwise stop reconnecting at once.
      if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
      else client.disconnect();
    },
  };
}
