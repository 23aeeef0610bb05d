/**
 * The whole service over real sockets (HTTP and gRPC on port 0) with the real models, the
 * real broker and the real Redis (REDIS_URL, a unique key prefix): the app's own bootstrap
 * embeds the sample catalog with the int8 encoder and trains the ranking head on the sample
 * ratings into a temporary repository; the consumers and the model follower join the broker
 * on uniquely named topics. Covers cold start, reasons and rules, limits, feedback changing
 * the profile and the next ranking, catalog.items upserts, dead letters, and a hot swap of a
 * head trained and published by the real trainer CLI under load with zero failed requests.
 */
import 'reflect-metadata';
import { type ServiceError, status } from '@grpc/grpc-js';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { createEventProducer, dlqRecordSchema, dlqTopic, type CatalogItemValue } from '@tuneline/events';
import { HealthRegistry, createGrpcClient, createMetrics } from '@tuneline/platform';
import { healthV1, recommendV1 } from '@tuneline/proto';
import { FEATURE_NAMES } from '@tuneline/recommend';
import { startRecommender, type RecommenderApp } from '../src/recommender.app';
import {
  BROKERS,
  FAST_CONSUMER,
  REDIS_URL,
  createTestTopics,
  deleteTestTopics,
  postJson,
  readTopic,
  serviceNameOf,
  sharedGroupOf,
  testConfig,
  testEnv,
  testKafka,
  testLogger,
  testTopics,
  uniqueSuffix,
  waitFor,
  WORKSPACE_ROOT,
} from './support/harness';

const MODEL = 'recommend-ranker';
const SCI_FI = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'];
const HORROR = ['31', '32', '33', '34', '35', '36', '37', '38', '39', '40'];
const OTHERS = ['11', '12', '21', '22', '41', '42', '51', '52'];

/** Runs apps/trainer/bin/tuneline as an operator would (its own process, tsx), within 90 s. */
function runTrainer(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(join(WORKSPACE_ROOT, 'apps/trainer/bin/tuneline'), [...args], { cwd: WORKSPACE_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

interface RankBody {
  items: { itemId: string; score: number; rank: number; title: string; reasons: { name: string; value: number }[] }[];
  unknownItemIds: string[];
  duplicatesMerged: number;
  coldStart: boolean;
  rules: { rule: string; explanation: string; affected: number }[];
  model: { name: string; version: string };
}

describe('recommender over real HTTP, gRPC, Kafka, Redis and models', () => {
  const suffix = uniqueSuffix();
  const service = serviceNameOf(suffix);
  const topics = testTopics(suffix);
  const keyPrefix = `test:${suffix}:`;
  const repo = mkdtempSync(join(tmpdir(), 'recommender-repo-'));
  const kafka = testKafka('recommender-int');
  const producer = createEventProducer(kafka);
  let app: RecommenderApp;
  let client: recommendV1.RecommenderServiceClient;
  let health: healthV1.HealthClient;

  // Published before the service starts: its catalog feed must read it before user.events is consumed.
  const early: CatalogItemValue = { id: `early-${suffix}`, title: 'The Salt Choir (2025)', description: 'Sailors sing to a drowned town.', genres: ['Horror'], tags: ['sea'] };
  const earlyUser = `early-fan-${suffix}`;

  beforeAll(async () => {
    await createTestTopics(kafka, topics, service);
    await producer.send(topics.catalogItems, [early]);
    await producer.send(topics.userEvents, [{ userId: earlyUser, itemId: early.id, type: 'like', ts: new Date().toISOString() }]);
    const config = testConfig(testEnv(repo, service, { REDIS_URL, RECOMMEND_REDIS_KEY_PREFIX: keyPrefix, RECOMMEND_FOLLOW_MODELS: 'true', RECOMMEND_COLD_BOOST: '0.25' }));
    app = await startRecommender(config, { logger: testLogger('recommender-int'), metrics: createMetrics(), health: new HealthRegistry(), topics, consumer: FAST_CONSUMER });
    await app.background;
    client = createGrpcClient(recommendV1.RecommenderServiceClient, `127.0.0.1:${app.grpcPort}`);
    health = createGrpcClient(healthV1.HealthClient, `127.0.0.1:${app.grpcPort}`);
  }, 240_000);

  afterAll(async () => {
    client?.close();
    health?.close();
    await producer.disconnect();
    await app?.close();
    await deleteTestTopics(kafka, topics, service);
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${keyPrefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    rmSync(repo, { recursive: true, force: true });
  }, 60_000);

  const rank = (body: unknown) => postJson<RankBody>(app.httpPort, '/v1/rank', body);
  const unary = <Req, Res>(method: (req: Req, cb: (err: ServiceError | null, res: Res) => void) => unknown, req: Req) =>
    new Promise<Res>((resolve, reject) => method.call(client, req, (err, res) => (err ? reject(err) : resolve(res))));

  it('is ready (head trained and served, Redis, consumers and follower up) on /readyz and gRPC health', async () => {
    const ready = (await (await fetch(`http://127.0.0.1:${app.httpPort}/readyz`)).json()) as { status: string; components: { name: string; ready: boolean }[] };
    expect(ready.status).toBe('ready');
    expect(ready.components).toEqual(expect.arrayContaining([
      expect.objectContaining({ name: 'model', ready: true }),
      expect.objectContaining({ name: 'redis', ready: true }),
    ]));
    await waitFor('consumers healthy', () => app.consumers?.isHealthy() === true, 30_000);
    expect(app.follower?.isFollowing()).toBe(true);
    expect(app.repository.currentVersion(MODEL)).toBe('1');
    const h = await new Promise<healthV1.HealthCheckResponse>((resolve, reject) => health.check({ service: '' }, (err: ServiceError | null, res: healthV1.HealthCheckResponse) => (err ? reject(err) : resolve(res))));
    expect(h.status).toBe(healthV1.HealthCheckResponse_ServingStatus.SERVING);
  });

  it('reads catalog.items to its end before consuming user.events: an item published before start is known when its first event is applied', async () => {
    // `background` resolves once the consumers started, and the shared group starts only after the catch-up.
    expect(app.catalog.has(early.id)).toBe(true);
    const redis = new Redis(REDIS_URL);
    try {
      const stored = async () => JSON.parse((await redis.hget(`${keyPrefix}profile:${earlyUser}`, 'profile')) ?? 'null') as { weight: number; genreAffinity: Record<string, number> } | null;
      await waitFor('the early like applied', async () => (await stored()) !== null, 30_000, 200);
      // An item unknown when the like is applied would be seen but move no mean (weight 0).
      expect(await stored()).toMatchObject({ weight: 2, genreAffinity: { Horror: 1 } });
    } finally {
      await redis.quit();
    }
  });

  it('cold start: an unknown user gets a ranking (not an error), every item with named reasons; an inline cold item is boosted and the rule explained', async () => {
    const res = await rank({ userId: `cold-${suffix}`, candidates: [...SCI_FI.slice(0, 3), ...HORROR.slice(0, 3), { itemId: `inline-${suffix}`, title: 'Gravemoor Lights', description: 'A haunted lighthouse keeper counts the ships that never arrive.', genres: ['Horror'] }] });
    expect(res.status).toBe(200);
    expect(res.body.coldStart).toBe(true);
    expect(res.body.items).toHaveLength(7);
    expect(res.body.items.map((i) => i.rank)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const scores = res.body.items.map((i) => i.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    for (const item of res.body.items) {
      expect(item.reasons.length).toBeGreaterThanOrEqual(3);
      for (const r of item.reasons) expect((FEATURE_NAMES as readonly string[]).includes(r.name) || r.name.startsWith('boost:')).toBe(true);
    }
    const inline = res.body.items.find((i) => i.itemId === `inline-${suffix}`);
    expect(inline?.title).toBe('Gravemoor Lights');
    // Scored, not added: requests never grow the catalog.
    expect(app.catalog.has(`inline-${suffix}`)).toBe(false);
    expect(inline?.reasons).toEqual(expect.arrayContaining([{ name: 'boost:cold', value: 0.25 }]));
    expect(res.body.rules).toEqual(expect.arrayContaining([expect.objectContaining({ rule: 'boost', affected: expect.any(Number) })]));
    expect(res.body.model).toEqual({ name: MODEL, version: '1' });
  });

  it('bad input: unknown items reported per item, duplicates merged, too many candidates 413 / INVALID_ARGUMENT with the limit, k over the maximum 400', async () => {
    const mixed = await rank({ userId: 'u-bad', candidates: ['1', 'no-such-item', '2', '1', 'also-missing', '2'], k: 5 });
    expect(mixed.status).toBe(200);
    expect(mixed.body.unknownItemIds).toEqual(['no-such-item', 'also-missing']);
    expect(mixed.body.duplicatesMerged).toBe(2);
    expect(mixed.body.items.map((i) => i.itemId).sort()).toEqual(['1', '2']);
    const many = Array.from({ length: 1001 }, (_, i) => `x${i}`);
    const tooMany = await rank({ userId: 'u-bad', candidates: many });
    expect(tooMany.status).toBe(413);
    expect(tooMany.body.error).toMatchObject({ code: 'INVALID_ARGUMENT', message: 'candidates: 1001 sent; the limit is 1000 per request' });
    const grpcErr = (await unary(client.rank, recommendV1.RankRequest.fromPartial({ userId: 'u-bad', candidates: many.map((itemId) => ({ itemId })) })).catch((e: unknown) => e)) as ServiceError;
    expect(grpcErr.code).toBe(status.INVALID_ARGUMENT);
    expect(grpcErr.details).toBe('candidates: 1001 sent; the limit is 1000 per request');
    expect((await rank({ userId: 'u-bad', candidates: ['1'], k: 101 })).body.error?.message).toBe('k is 101; the limit is 100');
    const rec = await postJson(app.httpPort, '/v1/recommend', { userId: '' });
    expect(rec.status).toBe(400);
    const future = await postJson(app.httpPort, '/v1/feedback', { userId: 'u-bad', itemId: '1', type: 'like', occurredAt: new Date(Date.now() + 2 * 3_600_000).toISOString() });
    expect([future.status, future.body.error?.message]).toEqual([400, expect.stringContaining('the limit on future times is 3600000 ms')]);
  });

  it('feedback (HTTP and gRPC) goes through user.events and changes the profile and the next ranking on the same replica', async () => {
    const user = `fan-${suffix}`;
    const candidates = [...HORROR.slice(4), ...SCI_FI.slice(4), ...OTHERS];
    const before = await rank({ userId: user, candidates, k: 5 });
    expect(before.body.coldStart).toBe(true);
    for (const itemId of HORROR.slice(0, 3)) expect((await postJson(app.httpPort, '/v1/feedback', { userId: user, itemId, type: 'like' })).body).toEqual({ recorded: true });
    const at = new Date();
    const rated = await unary(client.recordFeedback, recommendV1.RecordFeedbackRequest.fromPartial({ userId: user, itemId: HORROR[3] as string, type: recommendV1.FeedbackType.FEEDBACK_TYPE_RATE, value: 5, occurredAt: at }));
    expect(rated).toEqual({ recorded: true });
    // The same event again is a retry: acknowledged, not published twice.
    expect(await unary(client.recordFeedback, recommendV1.RecordFeedbackRequest.fromPartial({ userId: user, itemId: HORROR[3] as string, type: recommendV1.FeedbackType.FEEDBACK_TYPE_RATE, value: 5, occurredAt: at }))).toEqual({ recorded: false });

    await waitFor('the four events in the profile', async () => ((await app.recommender.rank({ userId: user, candidates: ['1'] })).coldStart === false
      && (await rank({ userId: user, candidates: HORROR, k: 10 })).body.items.length === 6), 30_000, 200);
    const after = await rank({ userId: user, candidates: [...HORROR, ...SCI_FI.slice(4), ...OTHERS], k: 5 });
    expect(after.body.coldStart).toBe(false);
    // Already-seen items are filtered, and the rule says so.
    expect(after.body.items.map((i) => i.itemId)).not.toEqual(expect.arrayContaining(HORROR.slice(0, 4)));
    expect(after.body.rules).toEqual(expect.arrayContaining([expect.objectContaining({ rule: 'filterSeen', affected: 4 })]));
    // The liked genre now leads.
    const top3 = after.body.items.slice(0, 3).map((i) => i.itemId);
    expect(top3.every((id) => HORROR.includes(id))).toBe(true);
    expect(before.body.items.slice(0, 3).map((i) => i.itemId)).not.toEqual(top3);

    const events = await readTopic(kafka, topics.userEvents.name, (v) => v as { userId: string; type: string; value?: number }, { count: 4, settleMs: 300 });
    expect(events.filter((e) => e.value.userId === user).map((e) => [e.key, e.value.type])).toEqual([[user, 'like'], [user, 'like'], [user, 'like'], [user, 'rate']]);

    const recItems = (await postJson<RankBody>(app.httpPort, '/v1/recommend', { userId: user, k: 5 })).body.items;
    expect(recItems).toHaveLength(5);
    expect(recItems.map((i) => i.itemId)).not.toEqual(expect.arrayContaining(HORROR.slice(0, 4)));
    expect(recItems.filter((i) => HORROR.includes(i.itemId)).length).toBeGreaterThanOrEqual(3);
  }, 60_000);

  it('catalog.items upserts reach the catalog; malformed records of both topics are dead-lettered once with the reason, valid ones around them applied', async () => {
    const item: CatalogItemValue = { id: `new-${suffix}`, title: 'The Lighthouse Ledger (2026)', description: 'A keeper logs every ghost ship.', genres: ['Horror'], tags: ['ghosts'], createdAt: '2026-06-01T00:00:00.000Z' };
    const raw = kafka.producer();
    await raw.connect();
    await raw.send({ topic: topics.catalogItems.name, messages: [{ key: 'bad-cat', value: JSON.stringify({ id: 'bad-cat' }) }] });
    const hours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
    await raw.send({ topic: topics.userEvents.name, messages: [
      { key: 'bad-json', value: '{not json' },
      { key: 'bad-future', value: JSON.stringify({ userId: 'bad-future', itemId: '1', type: 'like', ts: hours(24 * 365) }) },
      { key: 'bad-1969', value: JSON.stringify({ userId: 'bad-1969', itemId: '1', type: 'like', ts: '1969-07-20T20:17:00.000Z' }) },
      { key: 'bad-rate', value: JSON.stringify({ userId: 'bad-rate', itemId: '1', type: 'rate', ts: new Date().toISOString() }) },
      { key: 'bad-type', value: JSON.stringify({ userId: 'bad-type', itemId: '1', type: 'hover', ts: new Date().toISOString() }) },
    ] });
    await raw.disconnect();
    await producer.send(topics.catalogItems, [item]);
    await producer.send(topics.userEvents, [{ userId: `after-bad-${suffix}`, itemId: item.id, type: 'purchase', ts: new Date().toISOString() }]);

    await waitFor('the new item in the catalog', () => app.catalog.has(item.id), 30_000);
    // Another user: after-bad's purchase makes the item seen for them (filtered).
    const ranked = await rank({ userId: `someone-${suffix}`, candidates: [item.id, '1'] });
    expect(ranked.body.unknownItemIds).toEqual([]);
    expect(ranked.body.items.find((i) => i.itemId === item.id)?.title).toBe('The Lighthouse Ledger (2026)');
    await waitFor('the purchase after the bad records applied', async () => (await app.recommender.rank({ userId: `after-bad-${suffix}`, candidates: ['1'] })).coldStart === false, 30_000, 200);

    const dlq = dlqTopic(sharedGroupOf(service));
    const dead = await readTopic(kafka, dlq.name, (v) => dlqRecordSchema.parse(v), { count: 6, settleMs: 1_000 });
    const reasons = new Map(dead.map((d) => [d.value.originalKey?.data, `${d.value.error.code}: ${d.value.error.message}`]));
    expect([...reasons.keys()].sort()).toEqual(['bad-1969', 'bad-cat', 'bad-future', 'bad-json', 'bad-rate', 'bad-type']);
    expect(reasons.get('bad-future')).toMatch(/ts .* more than 3600000 ms ahead .*RECOMMEND_MAX_FUTURE_MS/);
    expect(reasons.get('bad-1969')).toMatch(/ts must be a time at or after 1970/);
    // Neither reached a profile.
    expect((await app.recommender.rank({ userId: 'bad-future', candidates: ['1'] })).coldStart).toBe(true);
    expect(reasons.get('bad-json')).toMatch(/^DECODE_ERROR/);
    expect(reasons.get('bad-rate')).toMatch(/value/);
    expect(reasons.get('bad-type')).toMatch(/type/);
    expect(reasons.get('bad-cat')).toMatch(/title/);
  }, 90_000);

  it('a new ranking head trained and published by the trainer CLI (tuneline rank-head --publish) is picked up under continuous load with zero failed requests', async () => {
    const load = { stop: false, requests: 0, failures: [] as string[], versions: new Map<string, number>() };
    const record = (version: string | undefined) => {
      load.requests++;
      load.versions.set(version ?? '?', (load.versions.get(version ?? '?') ?? 0) + 1);
    };
    const httpLoop = async (i: number) => {
      for (let n = 0; !load.stop; n++) {
        try {
          const res = await rank({ userId: `load-${i}-${n % 7}`, candidates: [...SCI_FI, ...HORROR], k: 5 });
          if (res.status !== 200 || res.body.items.length !== 5) load.failures.push(`HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
          record(res.body.model?.version);
        } catch (err) {
          load.requests++;
          load.failures.push(`HTTP ${String(err)}`);
        }
      }
    };
    const grpcLoop = async () => {
      for (let n = 0; !load.stop; n++) {
        try {
          const res = await unary<recommendV1.RecommendRequest, recommendV1.RecommendResponse>(client.recommend, recommendV1.RecommendRequest.fromPartial({ userId: String(1 + (n % 40)), k: 5 }));
          if (res.items.length === 0) load.failures.push(`gRPC empty ${JSON.stringify(res).slice(0, 200)}`);
          record(res.model?.version);
        } catch (err) {
          load.requests++;
          load.failures.push(`gRPC ${(err as ServiceError).code} ${(err as ServiceError).details}`);
        }
      }
    };
    const loops = [httpLoop(0), httpLoop(1), grpcLoop()];
    try {
      await waitFor('version 1 answering under load', () => (load.versions.get('1') ?? 0) >= 20, 30_000, 20);
      // The real trainer CLI trains version 2 from the shipped sample into the shared repository and publishes it.
      const trainer = await runTrainer(['rank-head', '--base', 'int8', '--out', repo, '--name', MODEL, '--publish', '--brokers', BROKERS, '--topic', topics.modelPublished.name]);
      expect({ code: trainer.code, stderr: trainer.code === 0 ? '' : trainer.stderr }).toEqual({ code: 0, stderr: '' });
      const result = JSON.parse(trainer.stdout) as { version: string; task: string; published: { topic: string } | false };
      expect(result).toMatchObject({ version: '2', task: 'ranking', published: { topic: topics.modelPublished.name } });
      process.stdout.write(`trainer rank-head --publish: ${trainer.ms} ms under load\n`);
      await waitFor('the swap to version 2', () => app.repository.currentVersion(MODEL) === '2', 30_000);
      await waitFor('version 2 answering', () => (load.versions.get('2') ?? 0) >= 40, 30_000, 20);
    } finally {
      load.stop = true;
      await Promise.all(loops);
    }
    process.stdout.write(`recommender swap under load: ${load.requests} requests, ${load.failures.length} failed, by version ${JSON.stringify(Object.fromEntries(load.versions))}\n`);
    expect(load.failures).toEqual([]);
    expect([...load.versions.keys()].sort()).toEqual(['1', '2']);
    expect((await rank({ userId: 'after-swap', candidates: ['1', '2'] })).body.model).toEqual({ name: MODEL, version: '2' });
    expect((await fetch(`http://127.0.0.1:${app.httpPort}/readyz`)).status).toBe(200);
  }, 180_000);
});
