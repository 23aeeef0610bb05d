import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Metadata, type ServiceError, status } from '@grpc/grpc-js';
import { healthV1, supportV1 } from '@tuneline/proto';
import { createAuthenticator } from '../auth/authenticator';
import { PlatformError, UnavailableError, ValidationError } from '../errors/platform-errors';
import { RETRIABLE_METADATA_KEY } from '../errors/status-mapping';
import { HealthRegistry } from '../health/health-registry';
import { createLogger } from '../logging/create-logger';
import { runWithRequestId } from '../logging/request-context';
import { createMetrics, type PlatformMetrics } from '../metrics/platform-metrics';
import type { GrpcCallContext } from './call-context';
import { createGrpcClient, type GrpcClientOptions } from './grpc-client';
import { type GrpcServer, type GrpcServerOptions, createGrpcServer } from './grpc-server';
import { callUnary, collectStream, sleep } from './testing/grpc-test-kit';

const SUPPORT = supportV1.SupportChatServiceService;
const SUPPORT_NAME = 'tuneline.support.v1.SupportChatService';
const KEY = 'test-key-0123456789abcdef';

type ChatImpl = (req: supportV1.ChatRequest, ctx: GrpcCallContext) => Promise<supportV1.ChatResponse>;
type StreamImpl = (
  req: supportV1.StreamChatRequest,
  send: (m: supportV1.StreamChatResponse) => Promise<void>,
  ctx: GrpcCallContext,
) => Promise<void>;

interface Harness {
  server: GrpcServer;
  health: HealthRegistry;
  metrics: PlatformMetrics;
  port: number;
  client(options?: GrpcClientOptions): supportV1.SupportChatServiceClient;
  healthClient(options?: GrpcClientOptions): healthV1.HealthClient;
}

const running: GrpcServer[] = [];
const clients: Array<{ close(): void }> = [];

/** A real server on 127.0.0.1:0 running the SupportChat service with swappable handlers. */
async function startHarness(
  handlers: { chat?: ChatImpl; stream?: StreamImpl } = {},
  overrides: Partial<GrpcServerOptions> = {},
): Promise<Harness> {
  const health = new HealthRegistry().addComponent('model');
  const metrics = createMetrics();
  const server = createGrpcServer({
    host: '127.0.0.1',
    port: 0,
    metrics,
    health,
    logger: createLogger({ service: 'grpc-spec', level: 'silent' }),
    ...overrides,
  });
  const chat: ChatImpl =
    handlers.chat ?? (async (req) => supportV1.ChatResponse.fromPartial({ sessionId: req.sessionId, reply: `echo: ${req.text}` }));
  const stream: StreamImpl = handlers.stream ?? (async () => undefined);
  server.addService(SUPPORT, {
    chat: server.wrapUnary(chat),
    streamChat: server.wrapServerStream(stream),
    endSession: server.wrapUnary(async (req) => ({ sessionId: req.sessionId, action: req.action, handoffTicketId: '', turnCount: 0 })),
    feedback: server.wrapUnary(async (req) => ({ sessionId: req.sessionId, requestId: req.requestId })),
  });
  const port = await server.listen();
  running.push(server);
  const address = `127.0.0.1:${port}`;
  return {
    server,
    health,
    metrics,
    port,
    client: (options) => track(createGrpcClient(supportV1.SupportChatServiceClient, address, options)),
    healthClient: (options) => track(createGrpcClient(healthV1.HealthClient, address, options)),
  };
}

function track<C extends { close(): void }>(client: C): C {
  clients.push(client);
  return client;
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await Promise.all(running.splice(0).map((s) => s.shutdown(0)));
});

const chatReq = (text = 'where is my card?'): supportV1.ChatRequest => ({ sessionId: 's-1', text, locale: 'en' });

describe('createGrpcServer: lifecycle', () => {
  it('binds port 0 to a real free port and reports it', async () => {
    const h = await startHarness();
    expect(h.port).toBeGreaterThan(0);
    expect(h.server.port).toBe(h.port);
  });

  it('rejects an invalid port or message limit up front', () => {
    const base = { metrics: createMetrics(), health: new HealthRegistry(), logger: createLogger({ service: 'x', level: 'silent' }) };
    expect(() => createGrpcServer({ ...base, port: 70000 })).toThrow(RangeError);
    expect(() => createGrpcServer({ ...base, port: 0, maxMessageBytes: 0 })).toThrow(/maxMessageBytes/);
  });
});

describe('grpc.health.v1.Health', () => {
  it('Check follows readiness: NOT_SERVING, then SERVING, then NOT_SERVING on shutdown', async () => {
    const h = await startHarness();
    const hc = h.healthClient();
    const check = (service: string) => callUnary<healthV1.HealthCheckResponse>((cb) => hc.check({ service }, cb));
    const S = healthV1.HealthCheckResponse_ServingStatus;

    expect((await check('')).response?.status).toBe(S.NOT_SERVING);
    expect((await check(SUPPORT_NAME)).response?.status).toBe(S.NOT_SERVING);
    h.health.setReady('model', true);
    expect((await check('')).response?.status).toBe(S.SERVING);
    expect((await check(SUPPORT_NAME)).response?.status).toBe(S.SERVING);
    h.health.markShuttingDown();
    expect((await check(SUPPORT_NAME)).response?.status).toBe(S.NOT_SERVING);
  });

  it('Check on an unknown service fails NOT_FOUND', async () => {
    const h = await startHarness();
    const hc = h.healthClient();
    const out = await callUnary<healthV1.HealthCheckResponse>((cb) => hc.check({ service: 'no.such.Service' }, cb));
    expect(out.error?.code).toBe(status.NOT_FOUND);
  });

  it('Watch sends the current status, then each change; SERVICE_UNKNOWN without ending for unknown names', async () => {
    const h = await startHarness();
    const hc = h.healthClient();
    const S = healthV1.HealthCheckResponse_ServingStatus;
    const seen: number[] = [];
    const unknownSeen: number[] = [];
    const watch = hc.watch({ service: SUPPORT_NAME });
    const unknown = hc.watch({ service: 'no.such.Service' });
    watch.on('data', (m: healthV1.HealthCheckResponse) => seen.push(m.status));
    unknown.on('data', (m: healthV1.HealthCheckResponse) => unknownSeen.push(m.status));
    watch.on('error', () => undefined);
    unknown.on('error', () => undefined);
    await waitFor(() => seen.length === 1 && unknownSeen.length === 1);
    h.health.setReady('model', true);
    await waitFor(() => seen.length === 2);
    expect(seen).toEqual([S.NOT_SERVING, S.SERVING]);
    expect(unknownSeen).toEqual([S.SERVICE_UNKNOWN]);
    watch.cancel();
    unknown.cancel();
  });

  it('stays reachable without credentials when auth is on', async () => {
    const h = await startHarness({}, { authenticator: createAuthenticator({ mode: 'api-key', apiKeys: [KEY] }) });
    const hc = h.healthClient();
    const out = await callUnary<healthV1.HealthCheckResponse>((cb) => hc.check({ service: '' }, cb));
    expect(out.error).toBeNull();
  });
});

describe('wrapUnary over a real socket', () => {
  it('answers, echoes the caller request id and records metrics', async () => {
    let ctxSeen: GrpcCallContext | undefined;
    const h = await startHarness({
      chat: async (req, ctx) => {
        ctxSeen = ctx;
        return supportV1.ChatResponse.fromPartial({ sessionId: req.sessionId, reply: 'ok', intent: 'card_arrival', confidence: 0.9 });
      },
    });
    const c = h.client();
    const md = new Metadata();
    md.set('x-request-id', 'req-abc');
    const out = await callUnary<supportV1.ChatResponse>((cb) => c.chat(chatReq(), md, cb));
    expect(out.error).toBeNull();
    expect(out.response).toMatchObject({ sessionId: 's-1', reply: 'ok', intent: 'card_arrival' });
    expect(out.headers?.get('x-request-id')).toEqual(['req-abc']);
    expect(ctxSeen).toMatchObject({ requestId: 'req-abc', method: '/tuneline.support.v1.SupportChatService/Chat' });
    expect(ctxSeen?.principal.method).toBe('anonymous');
    const latency = await h.metrics.requestLatency.get();
    expect(latency.values).toContainEqual(
      expect.objectContaining({
        metricName: 'tuneline_request_duration_seconds_count',
        value: 1,
        labels: { transport: 'grpc', method: '/tuneline.support.v1.SupportChatService/Chat', code: 'OK' },
      }),
    );
  });

  it('generates a request id when the caller sends none, and the client propagates the current one', async () => {
    const ids: string[] = [];
    const h = await startHarness({ chat: async (_req, ctx) => (ids.push(ctx.requestId), supportV1.ChatResponse.fromPartial({})) });
    const c = h.client();
    await callUnary<supportV1.ChatResponse>((cb) => c.chat(chatReq(), cb));
    await runWithRequestId('outer-7', () => callUnary<supportV1.ChatResponse>((cb) => c.chat(chatReq(), cb)));
    expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[1]).toBe('outer-7');
  });

  it('propagates INVALID_ARGUMENT with the message and a retriable=false trailer', async () => {
    const h = await startHarness({
      chat: async (req) => {
        if (!req.text) throw new ValidationError('text must not be empty', { field: 'text' });
        return supportV1.ChatResponse.fromPartial({});
      },
    });
    const c = h.client();
    const out = await callUnary<supportV1.ChatResponse>((cb) => c.chat(chatReq(''), cb));
    expect(out.error?.code).toBe(status.INVALID_ARGUMENT);
    expect(out.error?.details).toBe('text must not be empty');
    expect(out.error?.metadata.get(RETRIABLE_METADATA_KEY)).toEqual(['false']);
    const errors = await h.metrics.errorsTotal.get();
    expect(errors.values[0]?.labels.code).toBe('INVALID_ARGUMENT');
  });

  it('maps a duck-typed lib error (no platform import) by its code', async () => {
    class QueueFullError extends Error {
      readonly code = 'RESOURCE_EXHAUSTED';
      readonly retriable = true;
    }
    const h = await startHarness({ chat: async () => Promise.reject(new QueueFullError('inference queue is full')) });
    const c = h.client();
    const out = await callUnary<supportV1.ChatResponse>((cb) => c.chat(chatReq(), cb));
    expect(out.error?.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(out.error?.metadata.get(RETRIABLE_METADATA_KEY)).toEqual(['true']);
  });

  it('answers retriable overload over the wire with retry-after (seconds) and grpc-retry-pushback-ms trailers', async () => {
    class QueueFullError extends Error {
      readonly code = 'RESOURCE_EXHAUSTED';
      readonly retriable = true;
    }
    const h = await startHarness({ chat: async () => Promise.reject(new QueueFullError('inference queue is full')) });
    const out = await callUnary<supportV1.ChatResponse>((cb) => h.client().chat(chatReq(), cb));
    expect(out.error?.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(out.error?.metadata.get('retry-after')).toEqual(['1']);
    expect(out.error?.metadata.get('grpc-retry-pushback-ms')).toEqual(['1000']);
    const h2 = await startHarness({ chat: async () => Promise.reject(new UnavailableError('store down')) }, { retryAfterMs: 3_000 });
    const down = await callUnary<supportV1.ChatResponse>((cb) => h2.client().chat(chatReq(), cb));
    expect(down.error?.code).toBe(status.UNAVAILABLE);
    expect(down.error?.metadata.get('retry-after')).toEqual(['3']);
  });

  it('turns unknown errors into INTERNAL without leaking their message', async () => {
    const h = await startHarness({ chat: async () => Promise.reject(new Error('ENOENT /secret/path/model.onnx')) });
    const c = h.client();
    const out = await callUnary<supportV1.ChatResponse>((cb) => c.chat(chatReq(), cb));
    expect(out.error?.code).toBe(status.INTERNAL);
    expect(out.error?.details).toBe('Internal error');
  });

  it('fails DEADLINE_EXCEEDED when the handler is slower than the deadline, and aborts its signal', async () => {
    let reason: unknown;
    const h = await startHarness({
      chat: async (_req, ctx) => {
        ctx.signal.addEventListener('abort', () => (reason = ctx.signal.reason));
        expect(ctx.deadline).toBeInstanceOf(Date);
        await sleep(5_000, ctx.signal);
        return supportV1.ChatResponse.fromPartial({});
      },
    });
    const c = h.client();
    const started = Date.now();
    const out = await callUnary<supportV1.ChatResponse>((cb) => c.chat(chatReq(), new Metadata(), { deadline: Date.now() + 150 }, cb));
    expect(out.error?.code).toBe(status.DEADLINE_EXCEEDED);
    expect(Date.now() - started).toBeLessThan(2_000);
    await waitFor(() => reason !== undefined);
    expect(reason).toMatchObject({ code: 'DEADLINE_EXCEEDED' });
    await waitFor(async () => (await h.metrics.errorsTotal.get()).values.some((v) => v.labels.code === 'DEADLINE_EXCEEDED'));
  });

  it('aborts the handler signal with CANCELLED when the client cancels', async () => {
    let reason: unknown;
    const h = await startHarness({
      chat: async (_req, ctx) => {
        ctx.signal.addEventListener('abort', () => (reason = ctx.signal.reason));
        await sleep(5_000, ctx.signal);
        return supportV1.ChatResponse.fromPartial({});
      },
    });
    const c = h.client();
    const call = c.chat(chatReq(), () => undefined);
    await sleep(100);
    call.cancel();
    await waitFor(() => reason !== undefined);
    expect(reason).toMatchObject({ code: 'CANCELLED' });
  });

  it('rejects a request larger than maxMessageBytes with RESOURCE_EXHAUSTED', async () => {
    const handler = jest.fn(async () => supportV1.ChatResponse.fromPartial({}));
    const h = await startHarness({ chat: handler }, { maxMessageBytes: 1024 });
    const c = h.client({ maxMessageBytes: 1024 * 1024 });
    const small = await callUnary<supportV1.ChatResponse>((cb) => c.chat(chatReq('x'.repeat(500)), cb));
    expect(small.error).toBeNull();
    const big = await callUnary<supportV1.ChatResponse>((cb) => c.chat(chatReq('x'.repeat(4096)), cb));
    expect(big.error?.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(handler).toHaveBeenCalledTimes(1);
  });
});

describe('auth on gRPC calls', () => {
  const auth = () => ({ authenticator: createAuthenticator({ mode: 'api-key', apiKeys: [KEY] }) });

  it('fails UNAUTHENTICATED without a key or with a wrong one, and never runs the handler', async () => {
    const handler = jest.fn(async () => supportV1.ChatResponse.fromPartial({}));
    const h = await startHarness({ chat: handler }, auth());
    const missing = await callUnary<supportV1.ChatResponse>((cb) => h.client().chat(chatReq(), cb));
    const wrong = await callUnary<supportV1.ChatResponse>((cb) => h.client({ apiKey: 'wrong-key-0123456789ab' }).chat(chatReq(), cb));
    expect(missing.error?.code).toBe(status.UNAUTHENTICATED);
    expect(missing.error?.details).toContain('missing API key');
    expect(wrong.error?.code).toBe(status.UNAUTHENTICATED);
    expect(handler).not.toHaveBeenCalled();
  });

  it('accepts the right key sent by createGrpcClient and hands the principal to the handler', async () => {
    let subject = '';
    const h = await startHarness(
      { chat: async (_r, ctx) => ((subject = ctx.principal.subject), supportV1.ChatResponse.fromPartial({ reply: 'hi' })) },
      auth(),
    );
    const out = await callUnary<supportV1.ChatResponse>((cb) => h.client({ apiKey: KEY }).chat(chatReq(), cb));
    expect(out.error).toBeNull();
    expect(subject).toMatch(/^api-key:[0-9a-f]{12}$/);
  });
});

describe('wrapServerStream over a real socket', () => {
  it('streams chunks then the final summary', async () => {
    const h = await startHarness({
      stream: async (req, send) => {
        const words = req.text.split(' ');
        for (const [index, text] of words.entries()) await send({ event: { $case: 'chunk', value: { index, text } } });
        await send({ event: { $case: 'final', value: supportV1.ChatResponse.fromPartial({ reply: req.text, intent: 'greet' }) } });
      },
    });
    const { messages, error } = await collectStream(h.client().streamChat({ sessionId: 's', text: 'hello there you', locale: '' }));
    expect(error).toBeNull();
    expect(messages.map((m) => m.event?.$case)).toEqual(['chunk', 'chunk', 'chunk', 'final']);
    expect(messages[3]?.event).toMatchObject({ $case: 'final', value: { reply: 'hello there you', intent: 'greet' } });
  });

  it('ends the stream with the mapped status when the handler fails midway', async () => {
    const h = await startHarness({
      stream: async (_req, send) => {
        await send({ event: { $case: 'chunk', value: { index: 0, text: 'partial' } } });
        throw new PlatformError('model is reloading', 'UNAVAILABLE');
      },
    });
    const { messages, error } = await collectStream(h.client().streamChat({ sessionId: 's', text: 'x', locale: '' }));
    expect(messages).toHaveLength(1);
    expect((error as ServiceError | null)?.code).toBe(status.UNAVAILABLE);
    expect((error as ServiceError | null)?.details).toBe('model is reloading');
  });

  it('applies auth to streams too', async () => {
    const h = await startHarness({}, { authenticator: createAuthenticator({ mode: 'api-key', apiKeys: [KEY] }) });
    const { error } = await collectStream(h.client().streamChat({ sessionId: 's', text: 'x', locale: '' }));
    expect((error as ServiceError | null)?.code).toBe(status.UNAUTHENTICATED);
  });
});

describe('mTLS', () => {
  const pem = (name: string) => readFileSync(join(__dirname, 'testing', 'tls', name));

  it('serves clients with a CA-signed certificate and refuses clients without one', async () => {
    const h = await startHarness({}, { tls: { cert: pem('server.pem'), key: pem('server-key.pem'), ca: pem('ca.pem') } });
    const address = `localhost:${h.port}`;
    const good = track(
      createGrpcClient(supportV1.SupportChatServiceClient, address, {
        tls: { ca: pem('ca.pem'), cert: pem('client.pem'), key: pem('client-key.pem') },
      }),
    );
    const anonymous = track(createGrpcClient(supportV1.SupportChatServiceClient, address, { tls: { ca: pem('ca.pem') } }));
    const ok = await callUnary<supportV1.ChatResponse>((cb) => good.chat(chatReq('hi'), cb));
    expect(ok.error).toBeNull();
    expect(ok.response?.reply).toBe('echo: hi');
    const refused = await callUnary<supportV1.ChatResponse>((cb) =>
      anonymous.chat(chatReq(), new Metadata(), { deadline: Date.now() + 3_000 }, cb),
    );
    expect(refused.error?.code).toBe(status.UNAVAILABLE);
  });
});

describe('GrpcServer.shutdown', () => {
  it('waits for running calls up to the grace period, then cancels them', async () => {
    const h = await startHarness({
      chat: async (_r, ctx) => {
        await sleep(10_000, ctx.signal);
        return supportV1.ChatResponse.fromPartial({});
      },
    });
    const pending = callUnary<supportV1.ChatResponse>((cb) => h.client().chat(chatReq(), cb));
    await sleep(100);
    const started = Date.now();
    await h.server.shutdown(300);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(3_000);
    const out = await pending;
    expect(out.error).not.toBeNull();
  });

  it('resolves at once when idle', async () => {
    const h = await startHarness();
    const started = Date.now();
    await h.server.shutdown(5_000);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

async function waitFor(predicate: () => boolean | Promise<boolean>, timeoutMs = 3_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await sleep(10);
  }
}
