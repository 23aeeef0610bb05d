import { type ServiceError, status } from '@grpc/grpc-js';
import { HealthRegistry, createGrpcClient, createGrpcServer, createLogger, createMetrics, type GrpcServer } from '@tuneline/platform';
import { recommendV1 } from '@tuneline/proto';
import { fakeEngine, type FakeEngine } from '../../test/fake-engine';
import { MemoryFeedbackDedupe } from '../events/feedback-dedupe';
import { FeedbackRecorder } from '../events/feedback-recorder';
import { Admission } from '../ranking/admission';
import { RecommenderService } from '../ranking/recommender.service';
import { addRecommenderGrpcService } from './grpc-service';

const logger = createLogger({ service: 'recommender-spec', level: 'silent' });

describe('gRPC transport (fake engine, real socket)', () => {
  let server: GrpcServer;
  let client: recommendV1.RecommenderServiceClient;
  let engine: FakeEngine;
  const published: unknown[] = [];

  beforeAll(async () => {
    engine = fakeEngine();
    const recorder = new FeedbackRecorder({ producer: { send: async (_t, v) => (published.push(...v), []) }, dedupe: new MemoryFeedbackDedupe(), dedupeMs: 60_000, maxFutureMs: 3_600_000 });
    server = createGrpcServer({ host: '127.0.0.1', port: 0, metrics: createMetrics(), logger, health: new HealthRegistry() });
    addRecommenderGrpcService(server, new RecommenderService(engine, new Admission(4), { maxCandidates: 4, maxK: 10, defaultK: 5 }, logger, recorder));
    client = createGrpcClient(recommendV1.RecommenderServiceClient, `127.0.0.1:${await server.listen()}`);
  });
  afterAll(async () => {
    client.close();
    await server.shutdown(1_000);
  });

  const unary = <Req, Res>(method: (req: Req, cb: (err: ServiceError | null, res: Res) => void) => unknown, req: Req) =>
    new Promise<Res>((resolve, reject) => method.call(client, req, (err, res) => (err ? reject(err) : resolve(res))));

  it('Rank: id-only candidates are catalog items, others inline; limit is k; unknown, merged and reasons come back', async () => {
    const res = await unary<recommendV1.RankRequest, recommendV1.RankResponse>(client.rank, recommendV1.RankRequest.fromPartial({
      userId: 'u1',
      candidates: [{ itemId: 'm-1' }, { itemId: 'ghost' }, { itemId: 'm-1' }, { itemId: 'new-1', title: 'Fresh', text: 'about', genres: ['Drama'] }],
      limit: 5,
    }));
    expect(res).toMatchObject({ unknownItemIds: ['ghost'], duplicatesMerged: 1, modelVersion: '1', model: { name: 'recommend-ranker', version: '1' }, rules: [{ rule: 'filterSeen', affected: 1, itemIds: [] }] });
    expect(res.items.map((i) => i.itemId)).toEqual(['m-1', 'new-1']);
    expect(res.items[0]?.reasons[0]).toEqual({ name: 'user_item_cosine', value: 0.5 });
    expect(engine.rankCalls.at(-1)?.candidates[3]).toEqual({ itemId: 'new-1', inline: { title: 'Fresh', description: 'about', tags: [], genres: ['Drama'] } });
    expect(engine.rankCalls.at(-1)?.k).toBe(5);
  });

  it('Rank: too many candidates is INVALID_ARGUMENT naming the limit; limit 0 ranks them all', async () => {
    const err = (await unary(client.rank, recommendV1.RankRequest.fromPartial({ userId: 'u', candidates: ['a', 'b', 'c', 'd', 'e'].map((itemId) => ({ itemId })) })).catch((e: unknown) => e)) as ServiceError;
    expect(err.code).toBe(status.INVALID_ARGUMENT);
    expect(err.details).toBe('candidates: 5 sent; the limit is 4 per request');
    // As over HTTP, the count is checked before the entries: an empty item id among too many is still the limit.
    const bad = (await unary(client.rank, recommendV1.RankRequest.fromPartial({ userId: 'u', candidates: ['a', 'b', 'c', 'd', ''].map((itemId) => ({ itemId })) })).catch((e: unknown) => e)) as ServiceError;
    expect([bad.code, bad.details]).toEqual([status.INVALID_ARGUMENT, 'candidates: 5 sent; the limit is 4 per request']);
    await unary(client.rank, recommendV1.RankRequest.fromPartial({ userId: 'u', candidates: [{ itemId: 'm-1' }] }));
    expect(engine.rankCalls.at(-1)?.k).toBeUndefined();
  });

  it('Recommend: k 0 is the default k', async () => {
    const res = await unary<recommendV1.RecommendRequest, recommendV1.RecommendResponse>(client.recommend, recommendV1.RecommendRequest.fromPartial({ userId: 'new-u' }));
    expect(res.items).toHaveLength(5);
    expect(res).toMatchObject({ coldStart: true });
  });

  it('RecordFeedback: maps the type and rating; UNSPECIFIED and a rating on a click are INVALID_ARGUMENT', async () => {
    const at = new Date('2026-11-29T09:00:00Z');
    const ok = await unary(client.recordFeedback, recommendV1.RecordFeedbackRequest.fromPartial({ userId: 'u', itemId: 'm-1', type: recommendV1.FeedbackType.FEEDBACK_TYPE_RATE, value: 3.5, occurredAt: at }));
    expect(ok).toEqual({ recorded: true });
    expect(published).toEqual([{ userId: 'u', itemId: 'm-1', type: 'rate', value: 3.5, ts: at.toISOString() }]);
    const unspecified = (await unary(client.recordFeedback, recommendV1.RecordFeedbackRequest.fromPartial({ userId: 'u', itemId: 'm-1' })).catch((e: unknown) => e)) as ServiceError;
    expect(unspecified.code).toBe(status.INVALID_ARGUMENT);
    expect(unspecified.details).toMatch(/^type must be one of FEEDBACK_TYPE_CLICK/);
    const misplaced = (await unary(client.recordFeedback, recommendV1.RecordFeedbackRequest.fromPartial({ userId: 'u', itemId: 'm-1', type: recommendV1.FeedbackType.FEEDBACK_TYPE_CLICK, value: 2 })).catch((e: unknown) => e)) as ServiceError;
    expect(misplaced.code).toBe(status.INVALID_ARGUMENT);
    const future = (await unary(client.recordFeedback, recommendV1.RecordFeedbackRequest.fromPartial({ userId: 'u', itemId: 'm-1', type: recommendV1.FeedbackType.FEEDBACK_TYPE_LIKE, occurredAt: new Date(Date.now() + 2 * 3_600_000) })).catch((e: unknown) => e)) as ServiceError;
    expect(future.code).toBe(status.INVALID_ARGUMENT);
    expect(future.details).toMatch(/^occurredAt .* more than 3600000 ms ahead .*RECOMMEND_MAX_FUTURE_MS/);
    expect(published).toHaveLength(1);
  });
});
