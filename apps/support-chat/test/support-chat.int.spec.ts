/**
 * The whole service over real sockets (HTTP on port 0, gRPC on port 0) with real models:
 * the app's own bootstrap fine-tunes the sample intents (int8 base, for speed) into a
 * temporary repository, the knowledge base is embedded by the real default encoder, and the
 * model follower joins the real broker on a uniquely named model.published topic (events go
 * to uniquely named support topics; the last test hot-swaps a version the trainer CLI publishes).
 */
import 'reflect-metadata';
import { Metadata, type ServiceError, status } from '@grpc/grpc-js';
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createKafka, defineTopic, ensureTopics, TOPICS } from '@tuneline/events';
import { HealthRegistry, createGrpcClient, createLogger, createMetrics, loadConfig } from '@tuneline/platform';
import { healthV1, supportV1 } from '@tuneline/proto';
import { supportChatConfigSchema, withServiceDefaults } from '../src/config';
import { startSupportChat, type SupportChat } from '../src/support-chat.app';

const BROKERS = process.env['KAFKA_BROKERS'] || '127.0.0.1:9092';
const ROOT = resolve(__dirname, '../../..');
const topicName = `test.model.published.${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
const topic = defineTopic({ ...TOPICS.modelPublished, name: topicName });
const suffix = `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
const supportTopics = {
  conversations: defineTopic({ ...TOPICS.supportConversations, name: `test.support.conversations.${suffix}`, partitions: 1 }),
  handoff: defineTopic({ ...TOPICS.supportHandoff, name: `test.support.handoff.${suffix}`, partitions: 1 }),
};

interface HttpAnswer {
  status: number;
  headers: Headers;
  body: Record<string, unknown> & { error?: { code: string; message: string } };
}

describe('support-chat over real HTTP and gRPC with the real models', () => {
  const repo = mkdtempSync(join(tmpdir(), 'support-chat-repo-'));
  const kafka = createKafka({ clientId: 'support-chat-int', brokers: BROKERS, logLevel: 'error' });
  let app: SupportChat;
  let base: string;
  let client: supportV1.SupportChatServiceClient;
  let health: healthV1.HealthClient;

  beforeAll(async () => {
    await ensureTopics(kafka, [topic, supportTopics.conversations, supportTopics.handoff]);
    const config = loadConfig(
      supportChatConfigSchema,
      withServiceDefaults({
        BIND_HOST: '127.0.0.1',
        HTTP_PORT: '0',
        GRPC_PORT: '0',
        LOG_LEVEL: 'silent',
        KAFKA_BROKERS: BROKERS,
        TUNELINE_MODEL_REPO: repo,
        SUPPORT_INTENT_BASE_MODEL: 'int8',
        TUNELINE_CACHE: process.env['TUNELINE_CACHE'],
      }),
    );
    const logger = createLogger({ service: 'support-chat-int', level: (process.env['INT_LOG_LEVEL'] as 'silent' | undefined) ?? 'silent' });
    app = await startSupportChat(config, { logger, metrics: createMetrics(), health: new HealthRegistry(), modelPublishedTopic: topic, supportTopics });
    base = `http://127.0.0.1:${app.httpPort}`;
    client = createGrpcClient(supportV1.SupportChatServiceClient, `127.0.0.1:${app.grpcPort}`);
    health = createGrpcClient(healthV1.HealthClient, `127.0.0.1:${app.grpcPort}`);
  }, 120_000);

  afterAll(async () => {
    client?.close();
    health?.close();
    await app?.close();
    const admin = kafka.admin();
    await admin.connect();
    if (app?.follower) await admin.deleteGroups([app.follower.groupId]).catch(() => undefined);
    await admin.deleteTopics({ topics: [topicName, supportTopics.conversations.name, supportTopics.handoff.name] }).catch(() => undefined);
    await admin.disconnect();
    rmSync(repo, { recursive: true, force: true });
  }, 30_000);

  async function post(path: string, body: unknown, contentType = 'application/json'): Promise<HttpAnswer> {
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text.startsWith('{') ? (JSON.parse(text) as HttpAnswer['body']) : { raw: text } };
  }

  const unary = <Res>(call: (cb: (err: ServiceError | null, res: Res) => void) => void) =>
    new Promise<Res>((resolve, reject) => call((err, res) => (err ? reject(err) : resolve(res))));

  async function grpcError(call: (cb: (err: ServiceError | null, res: unknown) => void) => void): Promise<ServiceError> {
    try {
      await unary<unknown>(call);
    } catch (err) {
      return err as ServiceError;
    }
    throw new Error('expected the call to fail');
  }

  function streamChat(req: supportV1.StreamChatRequest): Promise<supportV1.StreamChatResponse[]> {
    return new Promise((resolve, reject) => {
      const out: supportV1.StreamChatResponse[] = [];
      const call = client.streamChat(req, new Metadata());
      call.on('data', (m: supportV1.StreamChatResponse) => out.push(m));
      call.on('error', reject);
      call.on('end', () => resolve(out));
    });
  }

  describe('probes', () => {
    it('is ready (model loaded, warmed, served) on /readyz and gRPC health, and follows model.published', async () => {
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ready', components: [expect.objectContaining({ name: 'model', ready: true })] });
      const check = await unary<healthV1.HealthCheckResponse>((cb) => health.check({ service: 'tuneline.support.v1.SupportChatService' }, cb));
      expect(check.status).toBe(healthV1.HealthCheckResponse_ServingStatus.SERVING);
      expect(app.repository.currentVersion('support-intent')).toBe('1');
      const deadline = Date.now() + 30_000;
      while (!app.follower?.isFollowing() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(app.follower?.isFollowing()).toBe(true);
      expect(app.follower?.isServing()).toBe(true);
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toContain('tuneline_request_duration_seconds');
    }, 40_000);
  });

  describe('HTTP', () => {
    it('answers with a template whose slots are filled from the message', async () => {
      const { status: code, body } = await post('/v1/chat', { sessionId: 'http-template', text: 'my debit card ending in 4242 has not arrived yet' });
      expect(code).toBe(200);
      expect(body).toMatchObject({ sessionId: 'http-template', intent: 'card_arrival', handoff: false, model: { name: 'support-intent', version: '1' } });
      expect(body['reply']).toMatch(/^New debit cards are posted within 2 working days/);
      expect(body['confidence']).toBeGreaterThanOrEqual(0.6);
      expect((body['topIntents'] as { label: string }[])[0]?.label).toBe('card_arrival');
    });

    it('answers an unclassified question from retrieval, citing the passage it quotes', async () => {
      const { status: code, body } = await post('/v1/chat', { sessionId: 'http-retrieval', text: 'Can I top up using Google Pay?' });
      expect(code).toBe(200);
      const citations = body['citations'] as { passageId: string; text: string; score: number }[];
      expect(citations[0]?.passageId).toMatch(/^top-ups#/);
      expect(citations[0]?.score).toBeGreaterThan(0.62);
      expect(body['reply']).toBe(`Here is what I found in our help centre:\n\n${citations[0]?.text}`);
    });

    it('resolves a follow-up from the session: the intent and slots carry over', async () => {
      const first = await post('/v1/chat', { sessionId: 'http-follow-up', text: 'My SEPA transfer of 200 EUR failed' });
      expect(first.body).toMatchObject({ intent: 'transfer_failed' });
      const next = await post('/v1/chat', { sessionId: 'http-follow-up', text: 'what about the one on 3 March?' });
      expect(next.status).toBe(200);
      expect(next.body['intent']).toBe('transfer_failed');
      expect(next.body['reply']).toMatch(/^I'm sorry your SEPA transfer of 200 EUR on \d{4}-03-03 did not go through/);
    });

    it('hands off on an explicit request; the session then refuses more turns', async () => {
      const { body } = await post('/v1/chat', { sessionId: 'http-human', text: 'I want to talk to a human' });
      expect(body).toMatchObject({ handoff: true });
      expect(body['reply']).toMatch(/support agents now \(ticket HO-[0-9A-F]{12}\)/);
      const after = await post('/v1/chat', { sessionId: 'http-human', text: 'hello?' });
      expect(after.status).toBe(400);
      expect(after.body.error?.code).toBe('FAILED_PRECONDITION');
    });

    it('hands off on the third consecutive low-confidence turn (SUPPORT_LOW_CONFIDENCE_HANDOFF_COUNT=3): two retrieval answers, then a human', async () => {
      const question = 'Can I top up using Google Pay?';
      const first = await post('/v1/chat', { sessionId: 'http-low-confidence', text: question });
      const second = await post('/v1/chat', { sessionId: 'http-low-confidence', text: question });
      for (const turn of [first, second]) {
        expect(turn.status).toBe(200);
        expect(turn.body).toMatchObject({ handoff: false });
        expect(turn.body['confidence']).toBeLessThan(0.6);
        expect(turn.body['reply']).toMatch(/^Here is what I found in our help centre/);
      }
      const third = await post('/v1/chat', { sessionId: 'http-low-confidence', text: question });
      expect(third.status).toBe(200);
      expect(third.body).toMatchObject({ handoff: true });
      expect(third.body['confidence']).toBeLessThan(0.6);
      expect(third.body['reply']).toMatch(/\(ticket HO-[0-9A-F]{12}\)/);
      expect((await post('/v1/chat', { sessionId: 'http-low-confidence', text: question })).body.error?.code).toBe('FAILED_PRECONDITION');
    });

    it('streams the reply as Server-Sent Events: chunks in order, then one final event with the whole turn', async () => {
      const res = await fetch(`${base}/v1/chat/stream`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sessionId: 'http-sse', text: 'Can I top up using Google Pay?' }),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const events = (await res.text())
        .split('\n\n')
        .filter((e) => e.trim() !== '')
        .map((e) => {
          const [eventLine, dataLine] = e.split('\n');
          return { event: eventLine?.replace('event: ', ''), data: JSON.parse(dataLine?.replace('data: ', '') ?? 'null') };
        });
      const chunks = events.filter((e) => e.event === 'chunk');
      expect(chunks.length).toBeGreaterThan(1);
      expect(chunks.map((c) => c.data.index)).toEqual(chunks.map((_, i) => i));
      expect(events.at(-1)?.event).toBe('final');
      expect(events.filter((e) => e.event === 'final')).toHaveLength(1);
      const final = events.at(-1)?.data as { reply: string; sessionId: string; citations: unknown[] };
      expect(chunks.map((c) => c.data.text).join('')).toBe(final.reply);
      expect(final).toMatchObject({ sessionId: 'http-sse', citations: expect.any(Array) });
    });

    it('ends sessions: close answers the turn count and forgets the session; handoff needs a reason and names a ticket', async () => {
      await post('/v1/chat', { sessionId: 'http-end', text: 'how long does a refund take' });
      const closed = await post('/v1/sessions/http-end/end', { action: 'close' });
      expect(closed).toMatchObject({ status: 200, body: { sessionId: 'http-end', action: 'close', handoffTicketId: '', turnCount: 1 } });
      expect((await post('/v1/sessions/http-end/end', { action: 'close' })).status).toBe(404);

      await post('/v1/chat', { sessionId: 'http-agent', text: 'how long does a refund take' });
      expect((await post('/v1/sessions/http-agent/end', { action: 'handoff' })).status).toBe(400);
      const handedOff = await post('/v1/sessions/http-agent/end', { action: 'handoff', reason: 'customer asked on the phone' });
      expect(handedOff.status).toBe(200);
      expect(handedOff.body).toEqual({ sessionId: 'http-agent', action: 'handoff', handoffTicketId: expect.stringMatching(/^HO-/), turnCount: 1 });
    });

    it('takes feedback on a turn (rated by its x-request-id); unknown sessions 404, unknown labels and bad fields 400', async () => {
      const res = await fetch(`${base}/v1/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'feedback-turn-1' },
        body: JSON.stringify({ sessionId: 'http-feedback', text: 'how long does a refund take' }),
      });
      expect(res.headers.get('x-request-id')).toBe('feedback-turn-1');
      const ok = await post('/v1/feedback', { sessionId: 'http-feedback', requestId: 'feedback-turn-1', helpful: false, correctIntent: 'refund_request', comment: 'too vague' });
      expect(ok).toMatchObject({ status: 200, body: { sessionId: 'http-feedback', requestId: 'feedback-turn-1' } });
      expect((await post('/v1/feedback', { sessionId: 'never-seen', requestId: 'x', helpful: true })).status).toBe(404);
      const badLabel = await post('/v1/feedback', { sessionId: 'http-feedback', requestId: 'feedback-turn-1', helpful: false, correctIntent: 'buy_crypto' });
      expect(badLabel.status).toBe(400);
      expect(badLabel.body.error?.message).toMatch(/buy_crypto/);
      expect((await post('/v1/feedback', { sessionId: 'http-feedback', requestId: 'feedback-turn-1', helpful: 'yes' })).status).toBe(400);
      expect((await post('/v1/feedback', { sessionId: 'http-feedback', helpful: true })).status).toBe(400);
    });

    it.each([
      { name: 'empty text', path: '/v1/chat', body: { sessionId: 'bad-1', text: '' }, code: 400, grpcCode: 'INVALID_ARGUMENT' },
      { name: 'whitespace text', path: '/v1/chat', body: { sessionId: 'bad-2', text: '  \n\t ' }, code: 400, grpcCode: 'INVALID_ARGUMENT' },
      { name: 'text over 2000 characters', path: '/v1/chat', body: { sessionId: 'bad-3', text: 'a'.repeat(2001) }, code: 413, grpcCode: 'INVALID_ARGUMENT' },
      { name: 'bad session id characters', path: '/v1/chat', body: { sessionId: 'no spaces/allowed', text: 'hello' }, code: 400, grpcCode: 'INVALID_ARGUMENT' },
      { name: 'missing text', path: '/v1/chat', body: { sessionId: 'bad-5' }, code: 400, grpcCode: 'INVALID_ARGUMENT' },
      { name: 'text not a string', path: '/v1/chat', body: { sessionId: 'bad-6', text: 42 }, code: 400, grpcCode: 'INVALID_ARGUMENT' },
      { name: 'body not an object', path: '/v1/chat', body: [1, 2], code: 400, grpcCode: 'INVALID_ARGUMENT' },
      { name: 'unsupported locale', path: '/v1/chat', body: { sessionId: 'bad-7', text: 'hello', locale: 'fr-FR' }, code: 400, grpcCode: 'INVALID_ARGUMENT' },
      { name: 'stream with empty text', path: '/v1/chat/stream', body: { sessionId: 'bad-8', text: '' }, code: 400, grpcCode: 'INVALID_ARGUMENT' },
      { name: 'unknown session on end', path: '/v1/sessions/never-seen/end', body: { action: 'close' }, code: 404, grpcCode: 'NOT_FOUND' },
      { name: 'bad end action', path: '/v1/sessions/never-seen/end', body: { action: 'archive' }, code: 400, grpcCode: 'INVALID_ARGUMENT' },
      { name: 'malformed JSON', path: '/v1/chat', body: '{"sessionId": "bad-9", "text": ', code: 400, grpcCode: 'INVALID_ARGUMENT' },
    ] as { name: string; path: string; body: unknown; code: number; grpcCode: string }[])('$name → HTTP $code $grpcCode', async ({ path, body, code, grpcCode }) => {
      const answer = await post(path, body);
      expect(answer.status).toBe(code);
      expect(answer.body.error?.code).toBe(grpcCode);
      expect(answer.body.error?.message).not.toBe('Internal error');
    });

    it('refuses a body that is not JSON with 415', async () => {
      const answer = await post('/v1/chat', 'sessionId=x&text=hello', 'application/x-www-form-urlencoded');
      expect(answer.status).toBe(415);
      expect(answer.body.error?.message).toMatch(/application\/json/);
    });
  });

  describe('gRPC', () => {
    it('Chat answers a turn with the same shape as HTTP', async () => {
      const res = await unary<supportV1.ChatResponse>((cb) => client.chat({ sessionId: 'grpc-chat', text: 'my debit card ending in 4242 has not arrived yet', locale: '' }, cb));
      expect(res).toMatchObject({ sessionId: 'grpc-chat', intent: 'card_arrival', handoff: false, model: { name: 'support-intent', version: '1' } });
      expect(res.reply).toMatch(/^New debit cards/);
      expect(res.citations[0]?.passageId).toMatch(/^card-delivery#/);
    });

    it('StreamChat sends chunks then exactly one final message', async () => {
      const messages = await streamChat({ sessionId: 'grpc-stream', text: 'Can I top up using Google Pay?', locale: 'en-GB' });
      const chunks = messages.filter((m) => m.event?.$case === 'chunk').map((m) => (m.event?.$case === 'chunk' ? m.event.value : undefined));
      const last = messages.at(-1)?.event;
      expect(chunks.length).toBeGreaterThan(1);
      expect(chunks.map((c) => c?.index)).toEqual(chunks.map((_, i) => i));
      expect(last?.$case).toBe('final');
      expect(messages.filter((m) => m.event?.$case === 'final')).toHaveLength(1);
      if (last?.$case !== 'final') throw new Error('no final message');
      expect(chunks.map((c) => c?.text).join('')).toBe(last.value.reply);
      expect(last.value.citations[0]?.passageId).toMatch(/^top-ups#/);
    });

    it('EndSession hands off with a ticket, then closes; unknown sessions are NOT_FOUND', async () => {
      await unary((cb) => client.chat({ sessionId: 'grpc-end', text: 'how long does a refund take', locale: '' }, cb));
      const handedOff = await unary<supportV1.EndSessionResponse>((cb) =>
        client.endSession({ sessionId: 'grpc-end', action: supportV1.EndAction.END_ACTION_HANDOFF, reason: 'agent takes over' }, cb),
      );
      expect(handedOff).toMatchObject({ sessionId: 'grpc-end', action: supportV1.EndAction.END_ACTION_HANDOFF, turnCount: 1, handoffTicketId: expect.stringMatching(/^HO-/) });
      const closed = await unary<supportV1.EndSessionResponse>((cb) => client.endSession({ sessionId: 'grpc-end', action: supportV1.EndAction.END_ACTION_CLOSE, reason: '' }, cb));
      expect(closed.action).toBe(supportV1.EndAction.END_ACTION_CLOSE);
      const missing = await grpcError((cb) => client.endSession({ sessionId: 'grpc-end', action: supportV1.EndAction.END_ACTION_CLOSE, reason: '' }, cb));
      expect(missing.code).toBe(status.NOT_FOUND);
    });

    it.each([
      ['empty text', { sessionId: 'g-bad-1', text: '', locale: '' }],
      ['whitespace text', { sessionId: 'g-bad-2', text: ' \t ', locale: '' }],
      ['text over 2000 characters', { sessionId: 'g-bad-3', text: 'a'.repeat(2001), locale: '' }],
      ['bad session id characters', { sessionId: 'bad id!', text: 'hello', locale: '' }],
      ['empty session id', { sessionId: '', text: 'hello', locale: '' }],
    ])('Chat and StreamChat refuse %s with INVALID_ARGUMENT', async (_name, req) => {
      const chat = await grpcError((cb) => client.chat(req, cb));
      expect(chat.code).toBe(status.INVALID_ARGUMENT);
      await expect(streamChat(req)).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
    });

    it('Feedback accepts a rating of a live session; NOT_FOUND for an unknown one, INVALID_ARGUMENT without a request id', async () => {
      await unary((cb) => client.chat({ sessionId: 'grpc-feedback', text: 'I forgot my PIN', locale: '' }, cb));
      const res = await unary<supportV1.FeedbackResponse>((cb) =>
        client.feedback({ sessionId: 'grpc-feedback', requestId: 'grpc-turn-1', helpful: true, correctIntent: '', comment: '' }, cb),
      );
      expect(res).toEqual({ sessionId: 'grpc-feedback', requestId: 'grpc-turn-1' });
      const missing = await grpcError((cb) => client.feedback({ sessionId: 'never-seen', requestId: 'r', helpful: true, correctIntent: '', comment: '' }, cb));
      expect(missing.code).toBe(status.NOT_FOUND);
      const invalid = await grpcError((cb) => client.feedback({ sessionId: 'grpc-feedback', requestId: '', helpful: true, correctIntent: '', comment: '' }, cb));
      expect(invalid.code).toBe(status.INVALID_ARGUMENT);
    });

    it('EndSession refuses an unspecified action with INVALID_ARGUMENT', async () => {
      const err = await grpcError((cb) => client.endSession({ sessionId: 'grpc-chat', action: supportV1.EndAction.END_ACTION_UNSPECIFIED, reason: '' }, cb));
      expect(err.code).toBe(status.INVALID_ARGUMENT);
      expect(err.details).toMatch(/action/);
    });
  });

  describe('events (real broker, unique topics)', () => {
    it('published every turn and the feedback to support.conversations, and both handoffs to support.handoff', async () => {
      const seen = { conversations: [] as Record<string, unknown>[], handoff: [] as Record<string, unknown>[] };
      const consumer = kafka.consumer({ groupId: `support-chat-int-${suffix}`, sessionTimeout: 6_000, rebalanceTimeout: 6_000, heartbeatInterval: 500, maxWaitTimeInMs: 100 });
      await consumer.connect();
      try {
        await consumer.subscribe({ topics: [supportTopics.conversations.name, supportTopics.handoff.name], fromBeginning: true });
        await consumer.run({
          eachMessage: async ({ topic: t, message }) => {
            const value = JSON.parse(message.value?.toString() ?? 'null') as Record<string, unknown>;
            (t === supportTopics.handoff.name ? seen.handoff : seen.conversations).push(value);
          },
        });
        const done = () =>
          seen.conversations.some((e) => e['kind'] === 'feedback' && e['sessionId'] === 'http-feedback') &&
          seen.handoff.some((e) => e['sessionId'] === 'http-human') &&
          seen.handoff.some((e) => e['sessionId'] === 'http-agent') &&
          seen.handoff.some((e) => e['sessionId'] === 'http-low-confidence');
        const deadline = Date.now() + 25_000;
        while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      } finally {
        await consumer.disconnect();
      }
      const template = seen.conversations.find((e) => e['sessionId'] === 'http-template');
      expect(template).toMatchObject({ kind: 'turn', turn: 0, role: 'user', intent: 'card_arrival', answerKind: 'template', model: { name: 'support-intent', version: '1' } });
      expect(seen.conversations.filter((e) => e['sessionId'] === 'http-follow-up').map((e) => e['turn'])).toEqual([0, 1]);
      expect(seen.conversations.find((e) => e['kind'] === 'feedback')).toMatchObject({ sessionId: 'http-feedback', requestId: 'feedback-turn-1', helpful: false, correctIntent: 'refund_request' });
      expect(seen.conversations.find((e) => e['sessionId'] === 'http-feedback' && e['kind'] === 'turn')).toMatchObject({ requestId: 'feedback-turn-1' });
      expect(seen.handoff.find((e) => e['sessionId'] === 'http-human')).toMatchObject({ reason: 'explicit_request', ticketId: expect.stringMatching(/^HO-/) });
      expect(seen.handoff.find((e) => e['sessionId'] === 'http-agent')).toMatchObject({ reason: 'agent_requested', note: 'customer asked on the phone' });
      expect((seen.handoff.find((e) => e['sessionId'] === 'http-agent')?.['transcript'] as unknown[]).length).toBe(2);
      const lowConfidence = seen.handoff.filter((e) => e['sessionId'] === 'http-low-confidence');
      expect(lowConfidence).toHaveLength(1);
      expect(lowConfidence[0]).toMatchObject({ reason: 'low_confidence', ticketId: expect.stringMatching(/^HO-/) });
      // Three user turns and the bot's answers to them.
      expect((lowConfidence[0]?.['transcript'] as { role: string }[]).filter((t) => t.role === 'user')).toHaveLength(3);
    }, 40_000);
  });

  describe('hot swap (model.published from the trainer CLI)', () => {
    it('swaps to the published version under continuous chat load: zero failed turns, turns answered by both versions, readiness stays on', async () => {
      // Version 2 is version 1 with its own card, published by the real `tuneline publish` (file:// uri, sha256s).
      const trainerRepo = mkdtempSync(join(tmpdir(), 'support-chat-trainer-'));
      // Continuous load: 3 HTTP loops and 1 gRPC loop, each a fresh session every 10 turns (far below the turn limit),
      // with confident template questions (no handoffs), from before the publish until well after the swap.
      const texts = ['I forgot my PIN', 'my debit card ending in 4242 has not arrived yet'];
      const load = { stop: false, requests: 0, failures: [] as string[], versions: new Map<string, number>(), afterSwap: 0 };
      const record = (version: string | undefined) => {
        load.requests++;
        load.versions.set(version ?? '?', (load.versions.get(version ?? '?') ?? 0) + 1);
        if (version === '2') load.afterSwap++;
      };
      const httpLoop = async (loop: number) => {
        for (let i = 0; !load.stop; i++) {
          const sessionId = `swap-http-${loop}-${Math.floor(i / 10)}`;
          try {
            const turn = await post('/v1/chat', { sessionId, text: texts[i % texts.length] });
            const model = turn.body['model'] as { version?: string } | undefined;
            if (turn.status !== 200 || turn.body['handoff'] !== false || !model?.version) load.failures.push(`HTTP ${turn.status} ${JSON.stringify(turn.body).slice(0, 200)}`);
            record(model?.version);
          } catch (err) {
            load.requests++;
            load.failures.push(`HTTP ${String(err)}`);
          }
        }
      };
      const grpcLoop = async () => {
        for (let i = 0; !load.stop; i++) {
          try {
            const res = await unary<supportV1.ChatResponse>((cb) => client.chat({ sessionId: `swap-grpc-${Math.floor(i / 10)}`, text: texts[i % texts.length] ?? '', locale: '' }, cb));
            if (res.handoff || !res.model?.version) load.failures.push(`gRPC ${JSON.stringify(res).slice(0, 200)}`);
            record(res.model?.version);
          } catch (err) {
            load.requests++;
            load.failures.push(`gRPC ${(err as ServiceError).code} ${(err as ServiceError).details}`);
          }
        }
      };
      const loops = [httpLoop(0), httpLoop(1), httpLoop(2), grpcLoop()];
      try {
        const v2 = join(trainerRepo, 'support-intent', '2');
        cpSync(join(repo, 'support-intent', '1'), v2, { recursive: true });
        const card = JSON.parse(readFileSync(join(v2, 'model-card.json'), 'utf8')) as Record<string, unknown>;
        writeFileSync(join(v2, 'model-card.json'), JSON.stringify({ ...card, version: '2' }));
        while ((load.versions.get('1') ?? 0) < 20) await new Promise((r) => setTimeout(r, 20));
        const published = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
          const child = spawn(join(ROOT, 'apps/trainer/bin/tuneline'), ['publish', '--model', v2, '--brokers', BROKERS, '--topic', topicName], { cwd: ROOT });
          let stderr = '';
          child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
          child.on('close', (code) => resolve({ code, stderr }));
        });
        expect(published).toMatchObject({ code: 0 });
        // Fetch, load and warm-up of v2 under the chat load took 36 s on a loaded 2-core machine.
        const deadline = Date.now() + 90_000;
        while (app.repository.currentVersion('support-intent') !== '2' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
        expect(app.repository.currentVersion('support-intent')).toBe('2');
        // Keep the load on until the new version has answered a good number of turns.
        const after = Date.now() + 20_000;
        while (load.afterSwap < 40 && Date.now() < after) await new Promise((r) => setTimeout(r, 20));
      } finally {
        load.stop = true;
        await Promise.all(loops);
        rmSync(trainerRepo, { recursive: true, force: true });
      }
      process.stdout.write(`swap under load: ${load.requests} turns, ${load.failures.length} failed, by version ${JSON.stringify(Object.fromEntries(load.versions))}\n`);
      expect(load.failures).toEqual([]);
      expect([...load.versions.keys()].sort()).toEqual(['1', '2']);
      expect(load.versions.get('1')).toBeGreaterThanOrEqual(20);
      expect(load.versions.get('2')).toBeGreaterThanOrEqual(40);
      const turn = await post('/v1/chat', { sessionId: 'after-swap', text: 'I forgot my PIN' });
      expect(turn.body).toMatchObject({ intent: 'pin_reset', model: { name: 'support-intent', version: '2' } });
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
    }, 180_000);
  });
});
