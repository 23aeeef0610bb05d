/**
 * Where profiles live: libs/recommend's InMemoryProfileStore by default (per replica: every
 * replica applies every event itself, from its signals feed); with REDIS_URL, its
 * RedisProfileStore on the app's Redis client (shared by every replica: the shared consumer
 * group applies each event once). The Redis client also holds the feedback de-duplication.
 */
import type { HealthRegistry, Logger } from '@tuneline/platform';
import { InMemoryProfileStore, RedisProfileStore, type ProfileStore } from '@tuneline/recommend';
import { MemoryFeedbackDedupe, RedisFeedbackDedupe, type FeedbackDedupe } from '../events/feedback-dedupe';
import { GuardedProfileStore } from './guarded-store';
import { connectRedis } from './redis-client';

export interface ProfileStoreOptions {
  readonly redisUrl?: string;
  readonly keyPrefix: string;
  readonly ttlMs: number;
  /** Memory mode: most users kept (least recently used dropped). */
  readonly maxProfiles: number;
  readonly pingIntervalMs: number;
  readonly health: HealthRegistry;
  readonly logger: Logger;
}

export interface ProfileStoreHandle {
  readonly store: ProfileStore;
  readonly dedupe: FeedbackDedupe;
  /** `shared`: one store for every replica (Redis); `replica`: this process's memory. */
  readonly scope: 'shared' | 'replica';
  close(): Promise<void>;
}

export async function createProfileStore(o: ProfileStoreOptions): Promise<ProfileStoreHandle> {
  if (!o.redisUrl) {
    o.logger.info({ maxProfiles: o.maxProfiles }, 'profiles in memory (REDIS_URL not set): each replica keeps its own, from the events it consumes after start');
    const store = new InMemoryProfileStore({ maxProfiles: o.maxProfiles });
    return { store, dedupe: new MemoryFeedbackDedupe(), scope: 'replica', close: () => store.close() };
  }
  const redis = await connectRedis(o.redisUrl, { pingIntervalMs: o.pingIntervalMs, health: o.health, logger: o.logger });
  // Redis down or slow answers UNAVAILABLE (503, retriable), not an internal error.
  const store = new GuardedProfileStore(new RedisProfileStore({ client: redis.client, keyPrefix: `${o.keyPrefix}profile:`, ...(o.ttlMs > 0 ? { ttlMs: o.ttlMs } : {}) }));
  o.logger.info({ keyPrefix: o.keyPrefix, ttlMs: o.ttlMs || null }, 'profiles in Redis, shared by every replica');
  return {
    store,
    dedupe: new RedisFeedbackDedupe(redis.client, `${o.keyPrefix}feedback:`),
    scope: 'shared',
    close: async () => {
      await store.close();
      await redis.close();
    },
  };
}
