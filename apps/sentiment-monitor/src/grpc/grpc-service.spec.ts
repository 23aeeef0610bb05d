import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { HealthRegistry, createGrpcClient, createGrpcServer, createLogger, createMetrics, type GrpcServer } from '@tuneline/platform';
import { QueueFullError } from '@tuneline/inference';
import { sentimentV1 } from '@tuneline/proto';
import { AlertHub, EntitySentimentView, type TopicScorer } from '@tuneline/sentiment';
import { storedAlert } from '../../test/alerts';
import type { StoredAlert } from '../serving/stored-alert';
import type { SentimentRun } from '../scoring/sentiment-model';
import { addSentimentGrpcService } from './grpc-service';

const logger = createLogger({ service: 'sentiment-grpc-spec', level: 'silent' });
const topics: TopicScorer = { method: 'embedding-similarity', score: () => [{ label: 'earnings', score: 0.9 }] };
const NOW = Date.parse('2025-01-06T12:00:30Z');

describe('gRPC SentimentService (fake model, real hub and view, real socket)', () => {
  let server: GrpcServer;
  let client: sentimentV1.SentimentServiceClient;
  const hub = new AlertHub<StoredAlert>();
  const view = new EntitySentimentView();
  let ready = true;

  beforeAll(async () => {
    server = createGrpcServer({ host: '127.0.0.1', port: 0, metrics: createMetrics(), logger, health: new HealthRegistry() });
    addSentimentGrpcService(server, {
      scoring: {
        model: {
          name: 'fin',
          run: async (texts): Promise<SentimentRun> => {
            if (texts[0] === 'queue full') throw new QueueFullError('inference queue is full (1024)');
            return {
              model: 'fin',
              version: '4',
              modelVersion: 'fin@4',
              labels: ['negative', 'neutral', 'positive'],
              rows: texts.map(() => Float32Array.from([0.7, 0.2, 0.1])),
              embeddings: texts.map(() => Float32Array.from([1])),
              topics,
            };
          },
        },
        isReady: () => ready,
        limits: { maxTexts: 2, maxTextChars: 50 },
      },
      hub,
      view,
      now: () => NOW,
    });
    client = createGrpcClient(sentimentV1.SentimentServiceClient, `127.0.0.1:${await server.listen()}`);
  });
  afterAll(async () => {
    client.close();
    hub.close();
    await server.shutdown(1_000);
  });

  const unary = <Res>(call: (cb: (err: ServiceError | null, res: Res) => void) => void) =>
    new Promise<Res>((resolve, reject) => call((err, res) => (err ? reject(err) : resolve(res))));
  const failure = (call: (cb: (err: ServiceError | null, res: unknown) => void) => void) => unary(call).then(() => undefined, (err: ServiceError) => err);

  it('ScoreTexts: results in order with the model version; limits are INVALID_ARGUMENT; a full queue RESOURCE_EXHAUSTED with retry-after; loading UNAVAILABLE', async () => {
    const res = await unary<sentimentV1.ScoreTextsResponse>((cb) => client.scoreTexts({ texts: [{ id: 'a', text: 'x' }, { id: 'b', text: 'y' }] }, cb));
    expect(res.results.map((r) => [r.id, r.sentiment, r.topic])).toEqual([
      ['a', sentimentV1.Sentiment.SENTIMENT_NEGATIVE, 'earnings'],
      ['b', sentimentV1.Sentiment.SENTIMENT_NEGATIVE, 'earnings'],
    ]);
    expect(res.model).toEqual({ name: 'fin', version: '4' });
    expect(await failure((cb) => client.scoreTexts({ texts: [] }, cb))).toMatchObject({ code: status.INVALID_ARGUMENT, details: 'texts must not be empty' });
    expect(await failure((cb) => client.scoreTexts({ texts: [{ id: 'a', text: 'x'.repeat(51) }] }, cb))).toMatchObject({ code: status.INVALID_ARGUMENT });
    const busy = await failure((cb) => client.scoreTexts({ texts: [{ id: 'a', text: 'queue full' }] }, cb));
    expect(busy).toMatchObject({ code: status.RESOURCE_EXHAUSTED });
    expect(busy?.metadata.get('retry-after')).toEqual(['1']);
    ready = false;
    expect(await failure((cb) => client.scoreTexts({ texts: [{ id: 'a', text: 'x' }] }, cb))).toMatchObject({ code: status.UNAVAILABLE });
    ready = true;
  });

  it('StreamAlerts: filtered alerts with resume tokens; a bad filter or token is INVALID_ARGUMENT', async () => {
    const got: sentimentV1.StreamAlertsResponse[] = [];
    const call = client.streamAlerts({ entities: ['Northwind Bank'], topics: [], minZScore: 0, minSeverity: sentimentV1.AlertSeverity.ALERT_SEVERITY_CRITICAL, resumeToken: '' }, new Metadata());
    call.on('data', (m: sentimentV1.StreamAlertsResponse) => got.push(m));
    call.on('error', () => undefined);
    // Subscribed once the hub counts the subscriber.
    while (hub.stats().subscribers === 0) await new Promise((r) => setTimeout(r, 10));
    hub.publish(storedAlert({ alertId: 'w', severity: 'warning' }), { partition: 0, offset: 0 });
    hub.publish(storedAlert({ alertId: 'c' }), { partition: 0, offset: 1 });
    while (got.length === 0) await new Promise((r) => setTimeout(r, 10));
    expect(got.map((m) => m.alert?.alertId)).toEqual(['c']);
    expect(got[0]?.resumeToken).not.toBe('');
    call.cancel();

    const bad = (req: Partial<sentimentV1.StreamAlertsRequest>) =>
      new Promise<ServiceError>((resolve) => {
        const c = client.streamAlerts(sentimentV1.StreamAlertsRequest.fromPartial(req), new Metadata());
        c.on('data', () => undefined);
        c.on('error', resolve);
      });
    expect(await bad({ minZScore: -1 })).toMatchObject({ code: status.INVALID_ARGUMENT, details: expect.stringContaining('minZScore') });
    expect(await bad({ minSeverity: 9 as sentimentV1.AlertSeverity })).toMatchObject({ code: status.INVALID_ARGUMENT });
    expect(await bad({ resumeToken: 'garbage!' })).toMatchObject({ code: status.INVALID_ARGUMENT, details: expect.stringContaining('resume token') });
  });

  it('GetEntitySentiment: counts over the window ending now; an empty entity or a window not kept is INVALID_ARGUMENT', async () => {
    view.record({ entities: ['Acme'], sentiment: 'negative', score: -0.8, publishedAt: '2025-01-06T11:59:00Z' }, NOW);
    const res = await unary<sentimentV1.GetEntitySentimentResponse>((cb) => client.getEntitySentiment({ entity: 'Acme', windowSeconds: 300 }, cb));
    expect(res).toMatchObject({ entity: 'Acme', windowSeconds: 300, totalCount: 1, negativeCount: 1, meanScore: -0.8 });
    expect(res.windowEnd?.toISOString()).toBe('2025-01-06T12:01:00.000Z');
    expect(await failure((cb) => client.getEntitySentiment({ entity: '', windowSeconds: 300 }, cb))).toMatchObject({ code: status.INVALID_ARGUMENT });
    expect(await failure((cb) => client.getEntitySentiment({ entity: 'Acme', windowSeconds: 301 }, cb))).toMatchObject({ code: status.INVALID_ARGUMENT });
  });
});
