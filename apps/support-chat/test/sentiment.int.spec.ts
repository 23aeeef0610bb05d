/**
 * Negative-sentiment handoff through a real service-to-service gRPC call: the app, started by
 * its own bootstrap with the real model, is configured with SUPPORT_SENTIMENT_GRPC_ADDR
 * pointing at a real gRPC server implementing tuneline.sentiment.v1.SentimentService with a
 * scripted ScoreTexts (a test double of the sentiment-monitor over real sockets). A message it
 * scores negative hands off (negative_sentiment) with the event on a uniquely named
 * support.handoff; with that server stopped the chat still answers, warning, never erroring.
 */
import 'reflect-metadata';
import { Server, ServerCredentials, type ServerUnaryCall, type ServiceError, type sendUnaryData } from '@grpc/grpc-js';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKafka, defineTopic, ensureTopics, TOPICS } from '@tuneline/events';
import { HealthRegistry, createGrpcClient, createLogger, createMetrics, loadConfig } from '@tuneline/platform';
import { sentimentV1, supportV1 } from '@tuneline/proto';
import { supportChatConfigSchema, withServiceDefaults } from '../src/config';
import { startSupportChat, type SupportChat } from '../src/support-chat.app';

const BROKERS = process.env['KAFKA_BROKERS'] || '127.0.0.1:9092';
const suffix = `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
const supportTopics = {
  conversations: defineTopic({ ...TOPICS.supportConversations, name: `test.support.conversations.sent.${suffix}`, partitions: 1 }),
  handoff: defineTopic({ ...TOPICS.supportHandoff, name: `test.support.handoff.sent.${suffix}`, partitions: 1 }),
};
/** The scripted sentiment-monitor: these words make a text negative. */
const ANGRY = /\b(furious|worst|useless|terrible)\b/i;
/** Confidently card_arrival for the intent model, and angry. */
const ANGRY_CARD = 'I am furious, my debit card ending in 4242 has still not arrived, this is the worst service';
const CALM_CARD = 'my debit card ending in 4242 has not arrived yet';

interface ScoredCall {
  texts: string[];
  /** Milliseconds from receipt to the call's deadline (Infinity: none sent). */
  deadlineInMs: number;
}

/** A real gRPC server of tuneline.sentiment.v1 with a scripted ScoreTexts, on a free port. */
async function startScriptedSentimentService(): Promise<{ port: number; calls: ScoredCall[]; stop(): Promise<void> }> {
  const calls: ScoredCall[] = [];
  const server = new Server();
  const unimplemented = (_call: unknown, callback: sendUnaryData<never>) => callback({ code: 12, details: 'not scripted' } as ServiceError, null);
  server.addService(sentimentV1.SentimentServiceService, {
    scoreTexts: (call: ServerUnaryCall<sentimentV1.ScoreTextsRequest, sentimentV1.ScoreTextsResponse>, callback: sendUnaryData<sentimentV1.ScoreTextsResponse>) => {
      const deadline = call.getDeadline();
      calls.push({ texts: call.request.texts.map((t) => t.text), deadlineInMs: deadline instanceof Date ? deadline.getTime() - Date.now() : Number(deadline) - Date.now() });
      const results = call.request.texts.map(({ id, text }): sentimentV1.TextScore => {
        const negative = ANGRY.test(text) ? 0.93 : 0.04;
        const positive = ANGRY.test(text) ? 0.02 : 0.6;
        const neutral = 1 - negative - positive;
        const sentimentScores = [
          { label: 'negative', score: negative },
          { label: 'neutral', score: neutral },
          { label: 'positive', score: positive },
        ].sort((a, b) => b.score - a.score);
        return sentimentV1.TextScore.fromPartial({
          id,
          topic: 'banking',
          sentiment: ANGRY.test(text) ? sentimentV1.Sentiment.SENTIMENT_NEGATIVE : sentimentV1.Sentiment.SENTIMENT_POSITIVE,
          score: positive - negative,
          sentimentScores,
          topicScores: [{ label: 'banking', score: 1 }],
        });
      });
      callback(null, { results, model: { name: 'scripted-sentiment', version: '1' } });
    },
    streamAlerts: (call: { end(): void }) => call.end(),
    getEntitySentiment: unimplemented,
  });
  const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))));
  return { port, calls, stop: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())) };
}

describe('negative-sentiment handoff over a real gRPC ScoreTexts call (scripted sentiment-monitor)', () => {
  const repo = mkdtempSync(join(tmpdir(), 'support-chat-sentiment-'));
  const kafka = createKafka({ clientId: 'support-chat-sentiment-int', brokers: BROKERS, logLevel: 'error' });
  const logLines: Record<string, unknown>[] = [];
  let sentiment: Awaited<ReturnType<typeof startScriptedSentimentService>>;
  let app: SupportChat;
  let base: string;
  let client: supportV1.SupportChatServiceClient;

  beforeAll(async () => {
    sentiment = await startScriptedSentimentService();
    await ensureTopics(kafka, [supportTopics.conversations, supportTopics.handoff]);
    const config = loadConfig(
      supportChatConfigSchema,
      withServiceDefaults({
        BIND_HOST: '127.0.0.1',
        HTTP_PORT: '0',
        GRPC_PORT: '0',
        KAFKA_BROKERS: BROKERS,
        TUNELINE_MODEL_REPO: repo,
        SUPPORT_INTENT_BASE_MODEL: 'int8',
        SUPPORT_FOLLOW_MODELS: 'false',
        SUPPORT_SENTIMENT_GRPC_ADDR: `127.0.0.1:${sentiment.port}`,
        // Generous for a shared 2-core host; the default (200 ms) is the production budget.
        SUPPORT_SENTIMENT_TIMEOUT_MS: '2000',
        TUNELINE_CACHE: process.env['TUNELINE_CACHE'],
      }),
    );
    const logger = createLogger({
      service: 'support-chat-sentiment-int',
      level: 'warn',
      destination: { write: (line: string) => void logLines.push(JSON.parse(line) as Record<string, unknown>) },
    });
    app = await startSupportChat(config, { logger, metrics: createMetrics(), health: new HealthRegistry(), supportTopics });
    base = `http://127.0.0.1:${app.httpPort}`;
    client = createGrpcClient(supportV1.SupportChatServiceClient, `127.0.0.1:${app.grpcPort}`);
  }, 120_000);

  afterAll(async () => {
    client?.close();
    await app?.close();
    await sentiment?.stop();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [supportTopics.conversations.name, supportTopics.handoff.name] }).catch(() => undefined);
    await admin.disconnect();
    rmSync(repo, { recursive: true, force: true });
  }, 30_000);

  async function chat(sessionId: string, text: string): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(`${base}/v1/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sessionId, text }) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  const grpcChat = (sessionId: string, text: string) =>
    new Promise<supportV1.ChatResponse>((resolve, reject) => client.chat({ sessionId, text, locale: '' }, (err, res) => (err ? reject(err) : resolve(res))));

  it('asks ScoreTexts (with a deadline) for every turn; a calm message is answered, an angry one hands off on HTTP and gRPC', async () => {
    const calm = await chat('sent-calm', CALM_CARD);
    expect(calm.status).toBe(200);
    expect(calm.body).toMatchObject({ intent: 'card_arrival', handoff: false });

    const angry = await chat('sent-angry', ANGRY_CARD);
    expect(angry.status).toBe(200);
    expect(angry.body['handoff']).toBe(true);
    expect(angry.body['reply']).toMatch(/^I'm sorry this has been frustrating\. .*\(ticket HO-[0-9A-F]{12}\)/);

    const viaGrpc = await grpcChat('sent-angry-grpc', 'This app is useless and I am furious with you');
    expect(viaGrpc.handoff).toBe(true);
    expect(viaGrpc.reply).toMatch(/^I'm sorry this has been frustrating/);

    // The remote saw each text once, one per call, each call with a deadline within the configured timeout.
    expect(sentiment.calls.map((c) => c.texts)).toEqual([[CALM_CARD], [ANGRY_CARD], ['This app is useless and I am furious with you']]);
    for (const call of sentiment.calls) {
      expect(call.deadlineInMs).toBeGreaterThan(0);
      expect(call.deadlineInMs).toBeLessThanOrEqual(2_000);
    }
    expect(logLines.filter((l) => String(l['msg']).includes('sentiment'))).toEqual([]);
  }, 30_000);

  it('emits the handoff on support.handoff with reason negative_sentiment, a ticket and the transcript', async () => {
    const seen: Record<string, unknown>[] = [];
    const consumer = kafka.consumer({ groupId: `support-chat-sentiment-int-${suffix}`, sessionTimeout: 6_000, rebalanceTimeout: 6_000, heartbeatInterval: 500, maxWaitTimeInMs: 100 });
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [supportTopics.handoff.name], fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => void seen.push(JSON.parse(message.value?.toString() ?? 'null') as Record<string, unknown>) });
      const deadline = Date.now() + 25_000;
      while (seen.filter((e) => String(e['sessionId']).startsWith('sent-angry')).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    } finally {
      await consumer.disconnect();
    }
    const event = seen.find((e) => e['sessionId'] === 'sent-angry');
    expect(event).toMatchObject({ reason: 'negative_sentiment', ticketId: expect.stringMatching(/^HO-/) });
    expect(JSON.stringify(event?.['transcript'])).toContain('I am furious');
    expect(seen.find((e) => e['sessionId'] === 'sent-angry-grpc')).toMatchObject({ reason: 'negative_sentiment' });
    expect(seen.find((e) => e['sessionId'] === 'sent-calm')).toBeUndefined();
  }, 40_000);

  it('keeps answering when the sentiment service is gone: the angry message gets its answer, with a warning, never an error', async () => {
    await sentiment.stop();
    const callsBefore = sentiment.calls.length;
    const http = await chat('sent-down', ANGRY_CARD);
    expect(http.status).toBe(200);
    expect(http.body).toMatchObject({ intent: 'card_arrival', handoff: false });
    expect(http.body['reply']).toEqual(expect.stringMatching(/card/));
    expect(http.body['reply']).not.toMatch(/frustrating|ticket/);
    const viaGrpc = await grpcChat('sent-down-grpc', ANGRY_CARD);
    expect(viaGrpc).toMatchObject({ intent: 'card_arrival', handoff: false });
    expect(sentiment.calls.length).toBe(callsBefore);
    const warnings = logLines.filter((l) => l['level'] === 'warn' && /sentiment scorer (failed|timed out).*answering without it/.test(String(l['msg'])));
    expect(warnings.map((w) => w['sessionId'])).toEqual(expect.arrayContaining(['sent-down', 'sent-down-grpc']));
    expect(logLines.filter((l) => l['level'] === 'error')).toEqual([]);
  }, 30_000);
});
