/**
 * The Redis client this app owns when REDIS_URL is set (profiles, feedback de-duplication),
 * supervised by libs/platform (PING readiness as health component `redis`, throttled error
 * logs, QUIT on shutdown). Commands fail fast while disconnected (a request answers 503, a
 * consumed event is retried) and are never replayed after a reconnect: a profile save whose
 * reply was lost may already have run (the store's compare-and-set would then see a conflict
 * and re-read).
 */
import { Redis } from 'ioredis';
import { REDIS_CLIENT_OPTIONS, superviseRedis, type HealthRegistry, type Logger } from '@tuneline/platform';

export interface RedisHandle {
  readonly client: Redis;
  close(): Promise<void>;
}

export async function connectRedis(url: string, o: { pingIntervalMs: number; health: HealthRegistry; logger: Logger }): Promise<RedisHandle> {
  const client = new Redis(url, REDIS_CLIENT_OPTIONS);
  const supervised = await superviseRedis(client, o);
  return { client, close: () => supervised.close() };
}
