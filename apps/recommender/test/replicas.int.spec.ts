/**
 * Two replicas of the service in one process (ports 0, one model repository, the same
 * service name, Redis and key prefix, their own instance ids), on the real broker, Redis and
 * models: feedback sent to one replica changes the ranking the other one answers (profiles
 * are shared through Redis), the shared consumer group applies each event once (not once per
 * replica), and a catalog.items upsert reaches both replicas' catalogs (per-replica feeds).
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { createEventProducer } from '@tuneline/events';
import { HealthRegistry, createMetrics } from '@tuneline/platform';
import { RedisProfileStore } from '@tuneline/recommend';
import { startRecommender, type RecommenderApp } from '../src/recommender.app';
import {
  FAST_CONSUMER,
  REDIS_URL,
  createTestTopics,
  deleteTestTopics,
  postJson,
  serviceNameOf,
  testConfig,
  testEnv,
  testKafka,
  testLogger,
  testTopics,
  uniqueSuffix,
  waitFor,
} from './support/harness';

const HORROR = ['31', '32', '33', '34', '35', '36', '37', '38', '39', '40'];
const OTHERS = ['1', '2', '11', '12', '21', '22', '41', '42', '51', '52'];

interface RankBody {
  items: { itemId: string }[];
  coldStart: boolean;
  rules: { rule: string; affected: number }[];
}

describe('two replicas sharing profiles through Redis', () => {
  const suffix = uniqueSuffix();
  const service = serviceNameOf(suffix);
  const topics = testTopics(suffix);
  const keyPrefix = `test:${suffix}:`;
  const repo = mkdtempSync(join(tmpdir(), 'recommender-replicas-repo-'));
  const kafka = testKafka('recommender-replicas-int');
  const replicas: RecommenderApp[] = [];
  const redis = new Redis(REDIS_URL);

  beforeAll(async () => {
    await createTestTopics(kafka, topics, service);
    // Sequential: the first trains the head into the shared repository, the second finds it.
    for (const instance of ['a', 'b']) {
      const config = testConfig(testEnv(repo, service, { REDIS_URL, RECOMMEND_REDIS_KEY_PREFIX: keyPrefix, RECOMMEND_INSTANCE_ID: `${instance}-${suffix}` }));
      const app = await startRecommender(config, { logger: testLogger(`replica-${instance}`), metrics: createMetrics(), health: new HealthRegistry(), topics, consumer: FAST_CONSUMER });
      replicas.push(app);
      await app.background;
    }
    await waitFor('both replicas consuming', () => replicas.every((r) => r.consumers?.isHealthy() === true), 60_000);
  }, 300_000);

  afterAll(async () => {
    for (const r of replicas) await r.close();
    await deleteTestTopics(kafka, topics, service);
    const keys = await redis.keys(`${keyPrefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    rmSync(repo, { recursive: true, force: true });
  }, 60_000);

  it('feedback sent to replica A changes the ranking replica B answers, and each event is applied once', async () => {
    const [a, b] = replicas as [RecommenderApp, RecommenderApp];
    const user = `shared-${suffix}`;
    const candidates = [...HORROR, ...OTHERS];
    expect((await postJson<RankBody>(b.httpPort, '/v1/rank', { userId: user, candidates, k: 5 })).body.coldStart).toBe(true);
    for (const itemId of HORROR.slice(0, 4)) expect((await postJson(a.httpPort, '/v1/feedback', { userId: user, itemId, type: 'like' })).body).toEqual({ recorded: true });

    await waitFor('replica B to see the four likes', async () => {
      const res = await postJson<RankBody>(b.httpPort, '/v1/rank', { userId: user, candidates, k: 10 });
      return res.body.rules.some((r) => r.rule === 'filterSeen' && r.affected === 4);
    }, 30_000, 200);
    const onB = await postJson<RankBody>(b.httpPort, '/v1/rank', { userId: user, candidates, k: 5 });
    expect(onB.body.coldStart).toBe(false);
    expect(onB.body.items.map((i) => i.itemId)).not.toEqual(expect.arrayContaining(HORROR.slice(0, 4)));
    expect(onB.body.items.slice(0, 3).every((i) => HORROR.includes(i.itemId))).toBe(true);
    const onA = await postJson<RankBody>(a.httpPort, '/v1/rank', { userId: user, candidates, k: 5 });
    expect(onA.body.items.map((i) => i.itemId)).toEqual(onB.body.items.map((i) => i.itemId));

    // The shared group applied every event once, though both replicas consume user.events.
    const stored = await new RedisProfileStore({ client: redis, keyPrefix: `${keyPrefix}profile:` }).get(user);
    expect(stored?.counts.like).toBe(4);
    expect(stored?.seen.map((s) => s.itemId)).toEqual(HORROR.slice(0, 4));
  }, 60_000);

  it('a catalog.items upsert reaches both replicas\' catalogs', async () => {
    const producer = createEventProducer(kafka);
    try {
      await producer.send(topics.catalogItems, [{ id: `both-${suffix}`, title: 'Shared Shelf (2026)', genres: ['Documentary'] }]);
    } finally {
      await producer.disconnect();
    }
    await waitFor('the item on both replicas', () => replicas.every((r) => r.catalog.has(`both-${suffix}`)), 30_000);
    for (const r of replicas) {
      const res = await postJson<RankBody & { unknownItemIds: string[] }>(r.httpPort, '/v1/rank', { userId: `x-${suffix}`, candidates: [`both-${suffix}`] });
      expect(res.body).toMatchObject({ unknownItemIds: [], items: [{ itemId: `both-${suffix}` }] });
    }
  }, 60_000);
});
