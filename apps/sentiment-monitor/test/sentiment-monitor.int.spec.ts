/**
 * The whole service against the real broker and the real model: its own bootstrap fine-tunes
 * the sample financial-sentiment model (int8 base, for speed) into a temporary repository,
 * then the sample news stream goes through news.raw → score stage → window events → windows
 * stage → sentiment.alerts → the replica's AlertHub → gRPC StreamAlerts and SSE, all on
 * uniquely named topics. A malformed record and an undecodable one ride along in news.raw.
 */
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Metadata, type ClientReadableStream, type ServiceError } from '@grpc/grpc-js';
import { dlqTopic, TOPICS } from '@tuneline/events';
import { HealthRegistry, createGrpcClient, createMetrics } from '@tuneline/platform';
import { sentimentV1 } from '@tuneline/proto';
import { encodeResumeToken } from '@tuneline/sentiment';
import { startSentimentMonitor, type SentimentMonitor } from '../src/sentiment-monitor.app';
import {
  BROKERS,
  createTestTopics,
  deleteTestTopics,
  FAST_CONSUMER,
  negativeSurges,
  produceNews,
  readTopic,
  replayInRounds,
  sampleRecords,
  sampleTruth,
  serviceNameOf,
  stageGroups,
  testConfig,
  testEnv,
  testKafka,
  testLogger,
  testTopics,
  uniqueSuffix,
  waitFor,
  WORKSPACE_ROOT,
} from './support/harness';
import { SseClient } from './support/sse-client';

jest.setTimeout(300_000);

const SURGE = sampleTruth().surges[0]?.entity ?? 'Northwind Bank';
const STEADY = sampleTruth().steady;
/** The sample in event-time order, 48 records a round, rounds rotating over the 6 partitions (harness.ts). */
const ROUNDS = { roundSize: 48, partitions: 6 };
/** Entities the sample never mentions, each with 10 clearly negative items inside one window after the sample's end. */
const EXTRA_ENTITIES = ['Test Alpha Holdings', 'Test Beta Industries'];
const EXTRA_SURGES = negativeSurges(EXTRA_ENTITIES, '2025-01-06T14:31:00Z', 'extra');
/** The alert ids one instance raised from the sample; the two-instance run must raise the same. */
let oneInstanceAlertIds: string[] | undefined;

describe('sentiment-monitor over real Kafka with the real model', () => {
  const repo = mkdtempSync(join(tmpdir(), 'sentiment-monitor-repo-'));
  const kafka = testKafka('sentiment-monitor-int');
  const suffix = uniqueSuffix();
  const service = serviceNameOf(suffix);
  const topics = testTopics(suffix);
  const records = sampleRecords();
  let app: SentimentMonitor;
  let client: sentimentV1.SentimentServiceClient;
  let base: string;

  beforeAll(async () => {
    await createTestTopics(kafka, topics, service);
    // Heartbeats every 300 ms: a heartbeat tells an SSE client that everything queued before it has arrived.
    const config = testConfig(testEnv(repo, service, { SENTIMENT_FOLLOW_MODELS: 'true', SENTIMENT_SSE_HEARTBEAT_MS: '300' }));
    app = await startSentimentMonitor(config, {
      logger: testLogger('sentiment-monitor-int'),
      metrics: createMetrics(),
      health: new HealthRegistry(),
      topics,
      consumer: FAST_CONSUMER,
    });
    base = `http://127.0.0.1:${app.httpPort}`;
    client = createGrpcClient(sentimentV1.SentimentServiceClient, `127.0.0.1:${app.grpcPort}`);
  }, 300_000);

  afterAll(async () => {
    client?.close();
    await app?.close();
    await deleteTestTopics(kafka, topics, service);
    rmSync(repo, { recursive: true, force: true });
  }, 60_000);

  const unary = <Res>(call: (cb: (err: ServiceError | null, res: Res) => void) => void) =>
    new Promise<Res>((resolve, reject) => call((err, res) => (err ? reject(err) : resolve(res))));

  it('is ready once the model is loaded and both stages run', async () => {
    await waitFor(async () => (await fetch(`${base}/readyz`)).status === 200, 30_000, () => 'readiness');
    const body = (await (await fetch(`${base}/readyz`)).json()) as { components: { name: string; ready: boolean }[] };
    expect(body.components).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'model', ready: true }), expect.objectContaining({ name: 'pipeline', ready: true })]));
  });

  it('replaying the sample stream raises the surge entity\'s alert, none for the steady entity, to a gRPC and an SSE subscriber, who resume exactly; malformed records and unwindowable event times are dead-lettered with their reason and the rest is scored', async () => {
    // Subscribers first. SSE: live alerts for the surge entity; gRPC: everything the replica holds from the start.
    const sse = new SseClient(`${base}/v1/alerts/stream?entity=${encodeURIComponent(SURGE)}`);
    await sse.subscribed();
    const grpcAlerts: sentimentV1.StreamAlertsResponse[] = [];
    const call: ClientReadableStream<sentimentV1.StreamAlertsResponse> = client.streamAlerts(
      sentimentV1.StreamAlertsRequest.fromPartial({ resumeToken: encodeResumeToken(new Map()) }),
      new Metadata(),
    );
    call.on('data', (m: sentimentV1.StreamAlertsResponse) => grpcAlerts.push(m));
    call.on('error', () => undefined); // cancelled at the end

    // The malformed record (no title, no body), an undecodable one, and two valid news.raw records whose event
    // times cannot be windowed (year 9999, before 1970) go first on partition 0, where round 0 follows them.
    const producer = kafka.producer();
    await producer.connect();
    const malformed = { ...records[0], id: 'bad-1', title: '', body: '' };
    const future = { ...records[0], id: 'future-1', published_at: '9999-12-31T23:59:59Z' };
    const old = { ...records[0], id: 'old-1', published_at: '1969-07-20T20:17:00Z' };
    await producer.send({
      topic: topics.newsRaw.name,
      messages: [
        { key: 'bad-1', value: JSON.stringify(malformed), partition: 0 },
        { key: 'bad-2', value: '{not json', partition: 0 },
        { key: 'future-1', value: JSON.stringify(future), partition: 0 },
        { key: 'old-1', value: JSON.stringify(old), partition: 0 },
      ],
    });
    await producer.disconnect();
    const started = Date.now();
    await replayInRounds(kafka, topics, service, records, ROUNDS);
    const replayMs = Date.now() - started;
    const groups = stageGroups(service);

    // Every sample item scored exactly once; neither bad record.
    const scored = await readTopic(kafka, topics.scored.name, TOPICS.sentimentScored.schema, { count: records.length });
    expect(scored.map((r) => r.value.id).sort()).toEqual(records.map((r) => r.id).sort());
    process.stdout.write(`sentiment-monitor int: ${records.length} items through both stages in ${ROUNDS.roundSize}-item rounds in ${(replayMs / 1000).toFixed(1)} s = ${((records.length * 1000) / replayMs).toFixed(1)} items/s\n`);

    const dlq = dlqTopic(groups.score);
    const dead = await readTopic(kafka, dlq.name, dlq.schema, { count: 4, settleMs: 500 });
    const reasons = new Map(dead.map((d) => [d.value.originalKey?.data, d.value.error.message]));
    expect([...reasons.keys()].sort()).toEqual(['bad-1', 'bad-2', 'future-1', 'old-1']);
    expect(reasons.get('bad-1')).toMatch(/title or body must be non-empty/);
    expect(reasons.get('future-1')).toMatch(/^published_at 9999-12-31T23:59:59.000Z is \d+ ms after the score stage's clock .*more than SENTIMENT_MAX_FUTURE_MS \(600000 ms\)/);
    expect(reasons.get('old-1')).toMatch(/^published_at 1969-07-20T20:17:00.000Z is before 1970-01-01T00:00:00Z/);
    const codes = new Map(dead.map((d) => [d.value.originalKey?.data, d.value.error.code]));
    expect([codes.get('future-1'), codes.get('old-1')]).toEqual(['PERMANENT_PROCESSING', 'PERMANENT_PROCESSING']);
    expect(dead.every((d) => d.value.originalTopic === topics.newsRaw.name)).toBe(true);

    const alerts = (await readTopic(kafka, topics.alerts.name, TOPICS.sentimentAlerts.schema, { count: 1 })).map((r) => r.value);
    oneInstanceAlertIds = alerts.map((a) => a.alertId).sort();
    const keys = new Set(alerts.map((a) => a.key));
    expect(keys).toContain(`entity:${SURGE}`);
    for (const steady of STEADY) expect(keys).not.toContain(`entity:${steady}`);
    const surgeAlerts = alerts.filter((a) => a.key === `entity:${SURGE}`);
    const truth = sampleTruth().surges[0];
    if (truth) for (const a of surgeAlerts) expect(Date.parse(a.eventTime)).toBeGreaterThanOrEqual(truth.startMs);

    // Both transports received the surge alert.
    await waitFor(() => sse.alerts().length >= surgeAlerts.length, 30_000, () => `SSE alerts (got ${sse.alerts().length})`);
    expect(sse.alerts().map((a) => a.data.alertId).sort()).toEqual(surgeAlerts.map((a) => a.alertId).sort());
    expect(sse.alerts().every((a) => a.id !== '')).toBe(true);
    await waitFor(() => grpcAlerts.length >= alerts.length, 30_000, () => `gRPC alerts (got ${grpcAlerts.length})`);
    expect(grpcAlerts.map((m) => m.alert?.alertId).sort()).toEqual(alerts.map((a) => a.alertId).sort());
    const grpcSurge = grpcAlerts.find((m) => m.alert?.entity === SURGE);
    expect(grpcSurge?.alert).toMatchObject({ kind: sentimentV1.AlertKind.ALERT_KIND_ENTITY, topic: '' });
    expect(grpcSurge?.resumeToken).not.toBe('');
    sse.close();

    // Two more surges after the sample, for entities it never mentions, so the stream holds several alerts to resume in.
    await replayInRounds(kafka, topics, service, EXTRA_SURGES, { roundSize: EXTRA_SURGES.length, partitions: 1 });
    const allAlerts = (await readTopic(kafka, topics.alerts.name, TOPICS.sentimentAlerts.schema, { count: alerts.length + EXTRA_ENTITIES.length })).map((r) => r.value);
    for (const entity of EXTRA_ENTITIES) expect(allAlerts.map((a) => a.key)).toContain(`entity:${entity}`);
    await waitFor(() => grpcAlerts.length >= allAlerts.length, 30_000, () => `gRPC alerts (got ${grpcAlerts.length})`);
    expect(grpcAlerts.map((m) => m.alert?.alertId).sort()).toEqual(allAlerts.map((a) => a.alertId).sort());
    call.cancel();

    // Resume. The whole stream from "nothing seen" (djE6) holds every alert in the hub's order; a client
    // reconnecting with the FIRST alert's id as Last-Event-ID gets exactly the rest, once each, no gap.
    const everything = new SseClient(`${base}/v1/alerts/stream?resume_token=djE6`);
    await everything.subscribed();
    await waitFor(() => everything.alerts().length >= allAlerts.length, 30_000, () => `the held alerts over SSE (got ${everything.alerts().length})`);
    await everything.quiet();
    const held = everything.alerts();
    expect(held.map((a) => a.data.alertId).sort()).toEqual(allAlerts.map((a) => a.alertId).sort());
    expect(held.length).toBeGreaterThan(2);
    const resumed = new SseClient(`${base}/v1/alerts/stream`, { 'last-event-id': held[0]?.id ?? '' });
    await resumed.subscribed();
    await waitFor(() => resumed.alerts().length >= held.length - 1, 30_000, () => `the resumed SSE stream (got ${resumed.alerts().length})`);
    await resumed.quiet();
    expect(resumed.alerts().map((a) => a.data.alertId)).toEqual(held.slice(1).map((a) => a.data.alertId));
    expect(resumed.all().some((e) => e.event === 'gap')).toBe(false);
    // Filtered, from the same id: the rest of the extra entities' alerts only.
    const extraQuery = EXTRA_ENTITIES.map((e) => `entity=${encodeURIComponent(e)}`).join('&');
    const resumedExtra = new SseClient(`${base}/v1/alerts/stream?${extraQuery}`, { 'last-event-id': held[0]?.id ?? '' });
    const extraIds = new Set(allAlerts.filter((a) => a.kind === 'entity' && EXTRA_ENTITIES.includes(a.name)).map((a) => a.alertId));
    const extraRest = held.slice(1).filter((a) => extraIds.has(a.data.alertId));
    await resumedExtra.subscribed();
    await waitFor(() => resumedExtra.alerts().length >= extraRest.length, 30_000, () => 'the resumed filtered stream');
    await resumedExtra.quiet();
    expect(resumedExtra.alerts().map((a) => a.data.alertId)).toEqual(extraRest.map((a) => a.data.alertId));

    // gRPC: a new call with the token the earlier call delivered with its first alert gets the rest, in order.
    const first = grpcAlerts[0];
    const rest: sentimentV1.StreamAlertsResponse[] = [];
    const again = client.streamAlerts(sentimentV1.StreamAlertsRequest.fromPartial({ resumeToken: first?.resumeToken ?? '' }), new Metadata());
    again.on('data', (m: sentimentV1.StreamAlertsResponse) => rest.push(m));
    again.on('error', () => undefined); // cancelled below
    await waitFor(() => rest.length >= grpcAlerts.length - 1, 30_000, () => `the resumed gRPC stream (got ${rest.length})`);
    expect(rest.map((m) => m.alert?.alertId)).toEqual(grpcAlerts.slice(1).map((m) => m.alert?.alertId));
    expect(rest.some((m) => m.gap)).toBe(false);

    // Every stream gone: the hub has no subscriber left.
    again.cancel();
    for (const c of [everything, resumed, resumedExtra]) c.close();
    await waitFor(() => app.serving.hub.stats().subscribers === 0, 10_000, () => `subscribers to go (${app.serving.hub.stats().subscribers})`);
  });

  it('ScoreTexts scores on demand; GetEntitySentiment answers from the scored feed; bad calls are INVALID_ARGUMENT', async () => {
    const res = await unary<sentimentV1.ScoreTextsResponse>((cb) =>
      client.scoreTexts({ texts: [{ id: 'a', text: 'The bank was fined and its shares collapsed after the fraud probe.' }, { id: 'b', text: 'Profit rose sharply and the dividend was raised.' }] }, cb),
    );
    expect(res.results.map((r) => r.id)).toEqual(['a', 'b']);
    expect(res.results[0]?.sentiment).toBe(sentimentV1.Sentiment.SENTIMENT_NEGATIVE);
    expect(res.results[1]?.sentiment).toBe(sentimentV1.Sentiment.SENTIMENT_POSITIVE);
    expect(res.results[0]?.topicMethod).toBe(sentimentV1.TopicMethod.TOPIC_METHOD_EMBEDDING_SIMILARITY);
    expect(res.model).toEqual({ name: 'financial-sentiment', version: '1' });

    const empty = await unary((cb) => client.scoreTexts({ texts: [] }, cb)).catch((e: ServiceError) => e);
    expect(empty).toMatchObject({ code: 3, details: 'texts must not be empty' });
    const tooMany = await unary((cb) => client.scoreTexts({ texts: Array.from({ length: 65 }, (_, i) => ({ id: String(i), text: 'x' })) }, cb)).catch((e: ServiceError) => e);
    expect(tooMany).toMatchObject({ code: 3 });

    // The sample's event times are in the past; an item published now is counted in the 5-minute window.
    const now = new Date().toISOString();
    await produceNews(kafka, topics.newsRaw, [{ id: 'now-1', source: 'wire', published_at: now, title: 'Quantra Semiconductors shares crash after fraud charges.', body: '', language: 'en' }]);
    await waitFor(
      async () => (await unary<sentimentV1.GetEntitySentimentResponse>((cb) => client.getEntitySentiment({ entity: 'Quantra Semiconductors', windowSeconds: 300 }, cb))).totalCount === 1,
      60_000,
      () => 'the fresh item in GetEntitySentiment',
    );
    const unknownWindow = await unary((cb) => client.getEntitySentiment({ entity: 'Quantra Semiconductors', windowSeconds: 301 }, cb)).catch((e: ServiceError) => e);
    expect(unknownWindow).toMatchObject({ code: 3 });

    const badFilter = await fetch(`${base}/v1/alerts/stream?min_severity=urgent`);
    expect(badFilter.status).toBe(400);
    expect(((await badFilter.json()) as { error: { message: string } }).error.message).toMatch(/min_severity/);
  });

  it('hot-swaps a version `tuneline publish` announces on model.published: ScoreTexts and the score stage use it', async () => {
    await waitFor(() => app.follower?.isFollowing() === true, 30_000, () => 'the follower to follow');
    // Version 2 is version 1 with its own card, published by the real trainer CLI (file:// uri, sha256s).
    const trainerRepo = mkdtempSync(join(tmpdir(), 'sentiment-monitor-trainer-'));
    try {
      const v2 = join(trainerRepo, 'financial-sentiment', '2');
      cpSync(join(repo, 'financial-sentiment', '1'), v2, { recursive: true });
      const card = JSON.parse(readFileSync(join(v2, 'model-card.json'), 'utf8')) as Record<string, unknown>;
      writeFileSync(join(v2, 'model-card.json'), JSON.stringify({ ...card, version: '2' }));
      const published = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(join(WORKSPACE_ROOT, 'apps/trainer/bin/tuneline'), ['publish', '--model', v2, '--brokers', BROKERS, '--topic', topics.modelPublished.name], { cwd: WORKSPACE_ROOT });
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('close', (code) => resolve({ code, stderr }));
      });
      expect(published).toMatchObject({ code: 0 });
      await waitFor(() => app.repository.currentVersion('financial-sentiment') === '2', 60_000, () => 'the swap to version 2');
    } finally {
      rmSync(trainerRepo, { recursive: true, force: true });
    }
    const res = await unary<sentimentV1.ScoreTextsResponse>((cb) => client.scoreTexts({ texts: [{ id: 'x', text: 'Regulators fined the bank.' }] }, cb));
    expect(res.model).toEqual({ name: 'financial-sentiment', version: '2' });
    await produceNews(kafka, topics.newsRaw, [{ id: 'after-swap', source: 'wire', published_at: new Date().toISOString(), title: 'Bluefin Insurance settles the lawsuit.', body: '', language: 'en' }]);
    const scored = await readTopic(kafka, topics.scored.name, TOPICS.sentimentScored.schema, { count: records.length + EXTRA_SURGES.length + 2, settleMs: 500 });
    expect(scored.find((r) => r.value.id === 'after-swap')?.value.modelVersion).toBe('financial-sentiment@2');
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
  });
});

describe('two instances of sentiment-monitor in one group', () => {
  const repo = mkdtempSync(join(tmpdir(), 'sentiment-monitor-repo-'));
  const kafka = testKafka('sentiment-monitor-int-pair');
  const suffix = uniqueSuffix();
  const service = serviceNameOf(suffix);
  const topics = testTopics(suffix);
  const apps: SentimentMonitor[] = [];

  beforeAll(async () => {
    await createTestTopics(kafka, topics, service);
    // One at a time: the first trains the model into the shared repository, the second finds it.
    for (const instance of ['one', 'two']) {
      apps.push(
        await startSentimentMonitor(testConfig(testEnv(repo, service, { SENTIMENT_INSTANCE_ID: instance })), {
          logger: testLogger(`sentiment-monitor-int-${instance}`),
          metrics: createMetrics(),
          health: new HealthRegistry(),
          topics,
          consumer: FAST_CONSUMER,
        }),
      );
    }
  }, 300_000);

  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close()));
    await deleteTestTopics(kafka, topics, service);
    rmSync(repo, { recursive: true, force: true });
  }, 60_000);

  it('split the partitions of both stages and together raise exactly the alerts one instance raised; each replica\'s hub hears all of them', async () => {
    const owned = (stage: 'score' | 'windows') => apps.map((a) => a.stages[stage].assignedPartitions());
    for (const stage of ['score', 'windows'] as const) {
      await waitFor(() => owned(stage).every((p) => p.length > 0) && owned(stage).flat().length === 6, 60_000, () => `the ${stage} partitions to be split (${JSON.stringify(owned(stage))})`);
      expect(owned(stage).flat().sort()).toEqual([0, 1, 2, 3, 4, 5]);
    }
    await replayInRounds(kafka, topics, service, sampleRecords(), ROUNDS);

    const alerts = (await readTopic(kafka, topics.alerts.name, TOPICS.sentimentAlerts.schema, { count: 1 })).map((r) => r.value);
    const ids = alerts.map((a) => a.alertId).sort();
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(oneInstanceAlertIds);
    for (const app of apps) await waitFor(() => app.serving.hub.stats().added === ids.length, 30_000, () => `every alert in each replica's hub (${app.serving.hub.stats().added})`);
  });
});
