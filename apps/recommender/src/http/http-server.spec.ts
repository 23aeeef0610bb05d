import 'reflect-metadata';
import { HealthRegistry, UnavailableError, createLogger, createMetrics } from '@tuneline/platform';
import { fakeEngine, type FakeEngine } from '../../test/fake-engine';
import { MemoryFeedbackDedupe } from '../events/feedback-dedupe';
import { FeedbackRecorder } from '../events/feedback-recorder';
import { Admission } from '../ranking/admission';
import { RecommenderService } from '../ranking/recommender.service';
import type { FeedbackCall } from '../ranking/types';
import { startHttpServer, type HttpServer } from './http-server';

const logger = createLogger({ service: 'recommender-spec', level: 'silent' });
const limits = { maxCandidates: 5, maxK: 10, defaultK: 3 };

describe('HTTP transport (fake engine, real socket)', () => {
  let server: HttpServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function start(engine: FakeEngine, options: { maxInFlight?: number; published?: unknown[]; failPublish?: boolean } = {}) {
    const recorder = new FeedbackRecorder({
      producer: {
        send: async (_t, values) => {
          if (options.failPublish) throw new Error('broker down');
          options.published?.push(...values);
          return [];
        },
      },
      dedupe: new MemoryFeedbackDedupe(),
      dedupeMs: 60_000, maxFutureMs: 3_600_000,
    });
    const service = new RecommenderService(engine, new Admission(options.maxInFlight ?? 8), limits, logger, recorder);
    server = await startHttpServer({ host: '127.0.0.1', port: 0, maxBodyBytes: 4096, retryAfterSeconds: 3, service, platform: { health: new HealthRegistry(), metrics: createMetrics(), logger } });
    const base = `http://127.0.0.1:${server.port}`;
    return async (path: string, body: unknown, contentType = 'application/json') => {
      const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body: typeof body === 'string' ? body : JSON.stringify(body) });
      return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> & { error?: { code: string; message: string } } };
    };
  }

  it('POST /v1/rank: ids and inline items reach the engine; the answer reports unknown ids, merged duplicates and reasons', async () => {
    const engine = fakeEngine();
    const post = await start(engine);
    const res = await post('/v1/rank', { userId: 'u1', candidates: ['m-1', 'ghost', 'm-1', { itemId: 'new-1', title: 'Fresh', tags: ['space'], createdAt: '2026-01-01T00:00:00Z' }], k: 2 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ unknownItemIds: ['ghost'], duplicatesMerged: 1, coldStart: false, model: { name: 'recommend-ranker', version: '1' } });
    expect(res.body['items']).toEqual([
      expect.objectContaining({ itemId: 'm-1', rank: 1, reasons: [{ name: 'user_item_cosine', value: 0.5 }, { name: 'popularity', value: 0.1 }] }),
      expect.objectContaining({ itemId: 'new-1', rank: 2 }),
    ]);
    expect(engine.rankCalls[0]?.candidates[3]).toEqual({ itemId: 'new-1', inline: { title: 'Fresh', description: '', tags: ['space'], genres: [], createdAt: Date.parse('2026-01-01T00:00:00Z') } });
    expect(engine.rankCalls[0]?.k).toBe(2);
  });

  it('too many candidates is 413 naming the limit, before the engine is asked; bad shapes are 400 naming the field', async () => {
    const engine = fakeEngine();
    const post = await start(engine);
    const big = await post('/v1/rank', { userId: 'u', candidates: ['m-1', 'm-2', 'm-3', 'm-4', 'm-5', 'm-6'] });
    expect(big.status).toBe(413);
    expect(big.body.error).toMatchObject({ code: 'INVALID_ARGUMENT', message: 'candidates: 6 sent; the limit is 5 per request' });
    expect(engine.rankCalls).toHaveLength(0);
    // The count is checked before any entry is parsed: one malformed entry does not turn the 413 into a 400.
    const bigAndBad = await post('/v1/rank', { userId: 'u', candidates: ['m-1', 'm-2', 'm-3', 'm-4', 'm-5', { title: 'no id' }] });
    expect([bigAndBad.status, bigAndBad.body.error?.message]).toEqual([413, 'candidates: 6 sent; the limit is 5 per request']);
    expect((await post('/v1/rank', { userId: 'u', candidates: 'm-1' })).body.error?.message).toBe('candidates must be an array of item ids or items');
    expect((await post('/v1/rank', { userId: 'u', candidates: [{ title: 'no id' }] })).body.error?.message).toBe('candidates[0].itemId is required');
    expect((await post('/v1/rank', { userId: 'u', candidates: [{ itemId: 'x', tags: 'a' }] })).body.error?.message).toBe('candidates[0].tags must be an array of strings');
    expect((await post('/v1/rank', { userId: 'u', candidates: ['m-1'], k: 11 })).status).toBe(400);
    expect((await post('/v1/recommend', { k: 3 })).body.error?.message).toBe('userId is required');
    expect((await post('/v1/rank', '{"userId":', 'application/json')).status).toBe(400);
    expect((await post('/v1/rank', 'x', 'text/plain')).status).toBe(415);
    expect((await post('/v1/rank', { userId: 'u', candidates: ['x'.repeat(5000)] })).status).toBe(413);
  });

  it('POST /v1/recommend: default k, cold start flag', async () => {
    const engine = fakeEngine();
    const post = await start(engine);
    const res = await post('/v1/recommend', { userId: 'new-user' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ coldStart: true });
    expect(res.body['items']).toHaveLength(3);
    expect(engine.recommendCalls[0]?.k).toBe(3);
  });

  it('POST /v1/feedback: publishes a user.events value; rate needs a value; a broker outage is 503 with Retry-After', async () => {
    const published: unknown[] = [];
    const post = await start(fakeEngine(), { published });
    expect((await post('/v1/feedback', { userId: 'u', itemId: 'm-1', type: 'rate', value: 4, occurredAt: '2026-11-29T09:00:00Z' })).body).toEqual({ recorded: true });
    expect((await post('/v1/feedback', { userId: 'u', itemId: 'm-1', type: 'rate', value: 4, occurredAt: '2026-11-29T09:00:00Z' })).body).toEqual({ recorded: false });
    expect(published).toEqual([{ userId: 'u', itemId: 'm-1', type: 'rate', value: 4, ts: '2026-11-29T09:00:00.000Z' }]);
    const missing = await post('/v1/feedback', { userId: 'u', itemId: 'm-1', type: 'rate' });
    expect(missing.status).toBe(400);
    expect(missing.body.error?.message).toMatch(/^value: a rate event needs a value/);
    expect((await post('/v1/feedback', { userId: 'u', itemId: 'm-1', type: 'hover' })).body.error?.message).toBe('type must be one of click, like, skip, purchase, view, rate');
    const future = await post('/v1/feedback', { userId: 'u', itemId: 'm-1', type: 'like', occurredAt: '2999-01-01T00:00:00Z' });
    expect([future.status, future.body.error?.message]).toEqual([400, expect.stringMatching(/^occurredAt 2999-01-01T00:00:00.000Z is more than 3600000 ms ahead/)]);
    expect((await post('/v1/feedback', { userId: 'u', itemId: 'm-1', type: 'like', occurredAt: '1969-07-20T20:17:00Z' })).status).toBe(400);
    await server?.close();
    const down = await start(fakeEngine(), { failPublish: true });
    const res = await down('/v1/feedback', { userId: 'u', itemId: 'm-1', type: 'click' } satisfies Omit<FeedbackCall, 'occurredAt'>);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('3');
  });

  it('429 with Retry-After past the in-flight limit; 503 when the engine is not ready', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const post = await start(fakeEngine({ recommend: async (c) => (await gate, { items: [], coldStart: true, rules: [], model: { name: 'r', version: String(c.k) } }) }), { maxInFlight: 1 });
    const first = post('/v1/recommend', { userId: 'a' });
    await new Promise((r) => setTimeout(r, 50));
    const busy = await post('/v1/recommend', { userId: 'b' });
    expect(busy.status).toBe(429);
    expect(busy.headers.get('retry-after')).toBe('3');
    release();
    expect((await first).status).toBe(200);
    await server?.close();
    const notReady = await start(fakeEngine({ rank: async () => Promise.reject(new UnavailableError('ranking model is loading')) }));
    expect((await notReady('/v1/rank', { userId: 'u', candidates: ['m-1'] })).status).toBe(503);
  });
});
