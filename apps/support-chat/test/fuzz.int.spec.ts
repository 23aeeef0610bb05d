/**
 * Property-based fuzz of both transports (fast-check) against the whole service as the app's
 * own bootstrap starts it, with the real intent model and encoder, on real HTTP and gRPC sockets
 * (port 0). Each case sends one random HTTP request and one random gRPC call at once (so the
 * two sometimes race on one session): random session ids (valid, invalid characters, empty,
 * over 128), random unicode text (empty, whitespace, lone surrogates, huge), random JSON bodies
 * (wrong types, missing and extra fields, not an object, malformed), random content types and
 * random EndAction values.
 *
 * Property: never a 5xx or gRPC INTERNAL/UNKNOWN; every error carries a message; every status
 * is one docs/support-chat.md documents; a 200 answers the session it was asked about.
 * FUZZ_RUNS (default 300) and FUZZ_SEED reproduce or widen a run; FUZZ_DEBUG=1 prints the error messages seen.
 */
import 'reflect-metadata';
import { Metadata, type ServiceError, status } from '@grpc/grpc-js';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HealthRegistry, createGrpcClient, createLogger, createMetrics, loadConfig } from '@tuneline/platform';
import { supportV1 } from '@tuneline/proto';
import { supportChatConfigSchema, withServiceDefaults } from '../src/config';
import { startSupportChat, type SupportChat } from '../src/support-chat.app';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 300);
const SEED = process.env['FUZZ_SEED'] ? Number(process.env['FUZZ_SEED']) : undefined;
const MAX_TURNS = 6;

const HTTP_OK = new Set([200, 400, 404, 409, 413, 415, 429]);
const GRPC_OK = new Set([status.OK, status.INVALID_ARGUMENT, status.NOT_FOUND, status.FAILED_PRECONDITION, status.ABORTED, status.RESOURCE_EXHAUSTED]);

// ---- arbitraries -------------------------------------------------------------------------

const SESSION_POOL = ['fz-a', 'fz-b', 'fz-c', 'fz.d:1', 'fz_E-2'];
const validSessionId = fc.oneof(fc.constantFrom(...SESSION_POOL), fc.stringMatching(/^[A-Za-z0-9._:-]{1,128}$/));
const anySessionId = fc.oneof(
  { weight: 12, arbitrary: validSessionId },
  { weight: 1, arbitrary: fc.constant('') },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }) },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9]{129,300}$/) },
  { weight: 1, arbitrary: fc.constantFrom('a b', 'x/y', '../etc', 'ü', '会话', 'a\u0000b', ' fz-a', 'fz-a\n') },
);

const whitespace = fc.string({ unit: fc.constantFrom(' ', '\t', '\n', '\r', '\u00a0', '\u3000', '\u2028', '\u200b', '\ufeff'), maxLength: 50 });
const loneSurrogates = fc.string({ unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 10 });
const HUGE = 'é'.repeat(70_000);
const banking = fc.constantFrom(
  'my debit card ending in 4242 has not arrived yet',
  'Can I top up using Google Pay?',
  'My SEPA transfer of 200 EUR failed',
  'what about the one on 3 March?',
  'I want to talk to a human',
  'I lost my card',
  'I forgot my PIN',
  '我的卡丢了',
  'and how long does that take?',
);
const anyText = fc.oneof(
  { weight: 8, arbitrary: banking },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 300 }) },
  { weight: 1, arbitrary: fc.constant('') },
  { weight: 1, arbitrary: whitespace },
  { weight: 1, arbitrary: loneSurrogates },
  { weight: 1, arbitrary: fc.integer({ min: 1_990, max: 2_010 }).map((n) => 'a'.repeat(n)) },
  { weight: 1, arbitrary: fc.constant(HUGE) },
);
const anyLocale = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('', 'en', 'en-GB', 'en-US') },
  { weight: 2, arbitrary: fc.constantFrom('zh', 'zh-CN', 'fr-FR', 'EN', 'en_GB', 'xx-', '-', 'en-') },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
);
/**
 * Well-formed turns on two sessions only answerable ones go to: they reach the turn limit
 * (429 / RESOURCE_EXHAUSTED), and HTTP and gRPC race on them (409 / ABORTED).
 */
const BUSY_SESSIONS = ['fz-busy-1', 'fz-busy-2'];
const busyTurn = fc.record({ sessionId: fc.constantFrom(...BUSY_SESSIONS), text: fc.constantFrom('my debit card ending in 4242 has not arrived yet', 'Can I top up using Google Pay?'), locale: fc.constant('') });
const wrongValue = fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }));
const extraFields = fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });

/** A field: usually well typed, sometimes missing or of the wrong type. */
const field = <T>(good: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 14, arbitrary: good.map((v) => ({ v })) }, { weight: 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: wrongValue.map((v) => ({ v })) });

function objectOf(fields: Record<string, { v: unknown } | undefined>, extra: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...extra };
  for (const [k, f] of Object.entries(fields)) {
    if (f) out[k] = f.v;
    else delete out[k];
  }
  return out;
}

const chatBody = fc
  .record({ sessionId: field(anySessionId), text: field(anyText), locale: fc.option(field(anyLocale), { nil: undefined }), extra: fc.option(extraFields, { nil: undefined }) })
  .map(({ sessionId, text, locale, extra }) => objectOf({ sessionId, text, ...(locale ? { locale } : {}) }, extra ?? {}));
const endBody = fc
  .record({
    action: field(fc.constantFrom('close', 'handoff', 'archive', '', 'CLOSE', 'END_ACTION_CLOSE')),
    reason: fc.option(field(fc.oneof(anyText, fc.string({ maxLength: 600 }))), { nil: undefined }),
    extra: fc.option(extraFields, { nil: undefined }),
  })
  .map(({ action, reason, extra }) => objectOf({ action, ...(reason ? { reason } : {}) }, extra ?? {}));
const feedbackBody = fc
  .record({
    sessionId: field(anySessionId),
    requestId: field(fc.oneof(fc.constant(''), fc.string({ maxLength: 40 }))),
    helpful: field(fc.boolean()),
    correctIntent: fc.option(field(fc.constantFrom('card_arrival', 'refund_request', 'buy_crypto', '')), { nil: undefined }),
    comment: fc.option(field(fc.oneof(anyText, fc.string({ maxLength: 2_100 }))), { nil: undefined }),
  })
  .map(({ correctIntent, comment, ...rest }) => objectOf({ ...rest, ...(correctIntent ? { correctIntent } : {}), ...(comment ? { comment } : {}) }, {}));

/** The raw body: JSON of an object, JSON of a non-object, malformed JSON, or nothing. */
const rawBody = (body: fc.Arbitrary<Record<string, unknown>>) =>
  fc.oneof(
    { weight: 16, arbitrary: body.map((b) => JSON.stringify(b)) },
    { weight: 1, arbitrary: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant(null)).map((v) => JSON.stringify(v) ?? 'null') },
    { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 60 }), fc.constantFrom('{"sessionId": "fz-a", "text": ', '{', '[1,', '\u0000', '{"text":"\\ud800"}')) },
    { weight: 1, arbitrary: fc.constant('') },
  );

const contentType = fc.oneof(
  { weight: 20, arbitrary: fc.constant('application/json') },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'application/json; charset=utf-8',
      'APPLICATION/JSON',
      'application/json; charset=latin1',
      'application/json; charset=utf-16',
      'application/json; charset=nope',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/vnd.api+json',
      '',
      'json',
      '*/*',
    ),
  },
  { weight: 1, arbitrary: fc.stringMatching(/^[a-z]{1,8}\/[a-z+.-]{1,12}$/) },
);

/** A path id for /v1/sessions/{id}/end: encoded, or raw (malformed percent escapes included). */
const pathId = fc.oneof(
  { weight: 4, arbitrary: anySessionId.filter((s) => s !== '' && !/[\ud800-\udfff]/.test(s)).map((s) => encodeURIComponent(s)) },
  { weight: 1, arbitrary: fc.constantFrom('%', '%zz', '%E0%A4%A', '%2F', '..', '%00', 'a%20b', '%F0%9F%98') },
);

const httpRequest = fc.oneof(
  fc.record({ path: fc.constant('/v1/chat'), body: busyTurn.map((b) => JSON.stringify(b)), contentType: fc.constant('application/json') }),
  fc.record({ path: fc.constant('/v1/chat'), body: rawBody(chatBody), contentType }),
  fc.record({ path: fc.constant('/v1/chat/stream'), body: rawBody(chatBody), contentType }),
  fc.record({ path: pathId.map((id) => `/v1/sessions/${id}/end`), body: rawBody(endBody), contentType }),
  fc.record({ path: fc.constant('/v1/feedback'), body: rawBody(feedbackBody), contentType }),
);

const endAction = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(supportV1.EndAction.END_ACTION_UNSPECIFIED, supportV1.EndAction.END_ACTION_CLOSE, supportV1.EndAction.END_ACTION_HANDOFF) },
  { weight: 1, arbitrary: fc.integer({ min: -1_000, max: 1_000 }) as fc.Arbitrary<supportV1.EndAction> },
);
const grpcRequest = fc.oneof(
  fc.record({ rpc: fc.constant('chat' as const), req: busyTurn }),
  fc.record({ rpc: fc.constant('chat' as const), req: fc.record({ sessionId: anySessionId, text: anyText, locale: anyLocale }) }),
  fc.record({ rpc: fc.constant('streamChat' as const), req: fc.record({ sessionId: anySessionId, text: anyText, locale: anyLocale }) }),
  fc.record({ rpc: fc.constant('endSession' as const), req: fc.record({ sessionId: anySessionId, action: endAction, reason: fc.oneof(fc.constant(''), anyText) }) }),
  fc.record({
    rpc: fc.constant('feedback' as const),
    req: fc.record({ sessionId: anySessionId, requestId: fc.string({ maxLength: 40 }), helpful: fc.boolean(), correctIntent: fc.constantFrom('', 'card_arrival', 'buy_crypto'), comment: anyText }),
  }),
);

// ---- the service -------------------------------------------------------------------------

interface Outcome {
  transport: 'http' | 'grpc';
  status: number | string;
  message?: string;
}

describe('fuzz: random input on both transports never gets a 5xx/INTERNAL, always a documented status and a message', () => {
  const repo = mkdtempSync(join(tmpdir(), 'support-chat-fuzz-'));
  const errorLogs: string[] = [];
  let app: SupportChat;
  let base: string;
  let client: supportV1.SupportChatServiceClient;

  beforeAll(async () => {
    const config = loadConfig(
      supportChatConfigSchema,
      withServiceDefaults({
        BIND_HOST: '127.0.0.1',
        HTTP_PORT: '0',
        GRPC_PORT: '0',
        TUNELINE_MODEL_REPO: repo,
        SUPPORT_INTENT_BASE_MODEL: 'int8',
        SUPPORT_FOLLOW_MODELS: 'false',
        SUPPORT_PUBLISH_EVENTS: 'false',
        // Small, so the turn limit (429 / RESOURCE_EXHAUSTED) is reached by the session pool.
        SUPPORT_MAX_TURNS: String(MAX_TURNS),
        // The busy sessions must end at the turn limit, not by a low-confidence handoff: one of
        // their two texts scores below the threshold with the int8 model, and two of it in a row
        // handed a busy session off (a CI run saw both go, so no 429 at all). Handoffs stay
        // reachable (EndSession with a handoff; FAILED_PRECONDITION after it).
        SUPPORT_LOW_CONFIDENCE_HANDOFF_COUNT: '100',
        TUNELINE_CACHE: process.env['TUNELINE_CACHE'],
      }),
    );
    // Errors logged (an INTERNAL on either transport is logged at error with its stack) fail the run.
    const logger = createLogger({ service: 'support-chat-fuzz', level: 'error', destination: { write: (line: string) => void errorLogs.push(line) } });
    app = await startSupportChat(config, { logger, metrics: createMetrics(), health: new HealthRegistry() });
    base = `http://127.0.0.1:${app.httpPort}`;
    client = createGrpcClient(supportV1.SupportChatServiceClient, `127.0.0.1:${app.grpcPort}`, { maxMessageBytes: 8 * 1024 * 1024 });
  }, 120_000);

  afterAll(async () => {
    client?.close();
    await app?.close();
    rmSync(repo, { recursive: true, force: true });
  }, 30_000);

  async function sendHttp(r: { path: string; body: string; contentType: string }): Promise<Outcome> {
    const res = await fetch(`${base}${r.path}`, { method: 'POST', headers: r.contentType ? { 'content-type': r.contentType } : {}, body: r.body });
    const text = await res.text();
    if (res.status === 200) {
      if (r.path === '/v1/chat/stream') {
        expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
        expect(text).toMatch(/event: final\ndata: \{.*\}\n\n$/s);
      } else {
        const body = JSON.parse(text) as Record<string, unknown>;
        expect(body['sessionId']).toEqual(expect.any(String));
        if (r.path === '/v1/chat') expect(body['reply']).toEqual(expect.stringMatching(/\S/));
      }
      return { transport: 'http', status: 200 };
    }
    let message: string | undefined;
    try {
      message = (JSON.parse(text) as { error?: { message?: unknown } }).error?.message as string | undefined;
    } catch {
      message = undefined; // not JSON: fails the "every error has a message" check below
    }
    return { transport: 'http', status: res.status, ...(message !== undefined ? { message } : {}) };
  }

  const unary = <Res>(call: (cb: (err: ServiceError | null, res: Res) => void) => unknown) =>
    new Promise<Outcome>((resolve) =>
      call((err) => resolve(err ? { transport: 'grpc', status: err.code, message: err.details } : { transport: 'grpc', status: status.OK })),
    );

  function sendGrpc(g: GrpcCase): Promise<Outcome> {
    switch (g.rpc) {
      case 'chat':
        return new Promise<Outcome>((resolve) =>
          client.chat(g.req, (err, res) => {
            if (err) resolve({ transport: 'grpc', status: err.code, message: err.details });
            else resolve({ transport: 'grpc', status: res.sessionId === g.req.sessionId && /\S/.test(res.reply) ? status.OK : 'OK with a wrong session or an empty reply' });
          }),
        );
      case 'streamChat':
        return new Promise<Outcome>((resolve) => {
          const messages: supportV1.StreamChatResponse[] = [];
          const call = client.streamChat(g.req, new Metadata());
          call.on('data', (m: supportV1.StreamChatResponse) => messages.push(m));
          call.on('error', (err: ServiceError) => resolve({ transport: 'grpc', status: err.code, message: err.details }));
          call.on('end', () => resolve({ transport: 'grpc', status: messages.at(-1)?.event?.$case === 'final' ? status.OK : 'stream ended without a final message' }));
        });
      case 'endSession':
        return unary((cb) => client.endSession(g.req, cb));
      case 'feedback':
        return unary((cb) => client.feedback(g.req, cb));
    }
  }

  it(`holds for ${RUNS} random cases (each: one HTTP request and one gRPC call at once)`, async () => {
    const seen = { http: new Map<number | string, number>(), grpc: new Map<number | string, number>() };
    const messages = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(httpRequest, grpcRequest, async (h, g) => {
        const outcomes = await Promise.all([sendHttp(h), sendGrpc(g)]);
        for (const o of outcomes) {
          const counts = seen[o.transport];
          counts.set(o.status, (counts.get(o.status) ?? 0) + 1);
          if (process.env['FUZZ_DEBUG'] && o.message) {
            const key = `${o.transport} ${String(o.status)} ${o.message.replace(/[\d"'].*$/s, '').slice(0, 50)}`;
            messages.set(key, (messages.get(key) ?? 0) + 1);
          }
          if (o.transport === 'http') expect(HTTP_OK.has(o.status as number) ? o.status : { status: o.status, request: h }).toBe(o.status);
          else expect(GRPC_OK.has(o.status as status) ? o.status : { status: status[o.status as status], request: g }).toBe(o.status);
          if (o.status !== 200 && o.status !== status.OK) expect(o.message ?? '').toMatch(/\S/);
        }
        expect(errorLogs).toEqual([]);
      }),
      { numRuns: RUNS, ...(SEED !== undefined ? { seed: SEED } : {}), endOnFailure: true },
    );
    if (process.env['FUZZ_DEBUG']) process.stdout.write(`${[...messages].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${v}\t${k}`).join('\n')}\n`);
    // The fuzz reached the interesting statuses, not only the happy path or only the validation.
    const httpStatuses = [...seen.http.keys()];
    const grpcStatuses = [...seen.grpc.keys()];
    process.stdout.write(`fuzz: ${RUNS} cases; HTTP ${JSON.stringify(Object.fromEntries(seen.http))}; gRPC ${JSON.stringify(Object.fromEntries([...seen.grpc].map(([k, v]) => [status[k as status], v])))}\n`);
    // (Only statuses seen dozens of times per 300 cases; 413 and 409/ABORTED are rarer and not required.)
    if (RUNS >= 200) {
      expect(httpStatuses).toEqual(expect.arrayContaining([200, 400, 404, 415, 429]));
      expect(grpcStatuses).toEqual(expect.arrayContaining([status.OK, status.INVALID_ARGUMENT, status.NOT_FOUND, status.FAILED_PRECONDITION, status.RESOURCE_EXHAUSTED]));
    }
  }, 180_000);
});

type GrpcCase =
  | { rpc: 'chat' | 'streamChat'; req: supportV1.ChatRequest }
  | { rpc: 'endSession'; req: supportV1.EndSessionRequest }
  | { rpc: 'feedback'; req: supportV1.FeedbackRequest };
