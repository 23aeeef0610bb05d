import 'reflect-metadata';
import { HealthRegistry, UnavailableError, createAuthenticator, createLogger, createMetrics, type Authenticator } from '@tuneline/platform';
import { NotFoundError, ValidationError } from '@tuneline/support';
import { fakeHandler, turnFor, whenAborted, type FakeHandler } from '../../test/fake-handler';
import { Admission } from '../chat/admission';
import { SupportChatService } from '../chat/support-chat.service';
import { startHttpServer, type HttpServer } from './http-server';

const logger = createLogger({ service: 'support-chat-spec', level: 'silent' });

describe('HTTP transport (fake handler, real socket)', () => {
  let server: HttpServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function start(handler: FakeHandler, options: { maxInFlight?: number; maxBodyBytes?: number; authenticator?: Authenticator } = {}) {
    const service = new SupportChatService(handler, new Admission(options.maxInFlight ?? 8), logger);
    server = await startHttpServer({
      host: '127.0.0.1',
      port: 0,
      maxBodyBytes: options.maxBodyBytes ?? 2048,
      retryAfterSeconds: 7,
      service,
      platform: { health: new HealthRegistry(), metrics: createMetrics(), logger, ...(options.authenticator ? { authenticator: options.authenticator } : {}) },
    });
    const base = `http://127.0.0.1:${server.port}`;
    return (path: string, body: unknown, contentType = 'application/json') =>
      fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  }

  it('passes the request id header through to the handler and answers the reply as JSON', async () => {
    const handler = fakeHandler();
    const post = await start(handler);
    const res = await fetch(`http://127.0.0.1:${server?.port}/v1/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'req-42' },
      body: JSON.stringify({ sessionId: 's1', text: 'hi', locale: 'en-GB' }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ sessionId: 's1', reply: 'First sentence. Second one!' });
    expect(handler.turns).toEqual([{ sessionId: 's1', text: 'hi', locale: 'en-GB', requestId: 'req-42' }]);
    expect((await post('/v1/chat', { sessionId: 's1', text: 'x', locale: 3 })).status).toBe(400);
  });

  it('answers 429 with Retry-After when more turns are in flight than allowed, and recovers', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const post = await start(fakeHandler({ turn: async (r) => (await gate, turnFor(r)) }), { maxInFlight: 1 });
    const first = post('/v1/chat', { sessionId: 'a', text: 'one' });
    await new Promise((r) => setTimeout(r, 50));
    const second = await post('/v1/chat', { sessionId: 'b', text: 'two' });
    expect(second.status).toBe(429);
    expect(second.headers.get('retry-after')).toBe('7');
    expect(await second.json()).toMatchObject({ error: { code: 'RESOURCE_EXHAUSTED', retriable: true } });
    release();
    expect((await first).status).toBe(200);
    expect((await post('/v1/chat', { sessionId: 'b', text: 'two' })).status).toBe(200);
  });

  it('answers 503 with Retry-After when a dependency is unavailable', async () => {
    const post = await start(fakeHandler({ turn: async () => Promise.reject(new UnavailableError('session store is unavailable')) }));
    const res = await post('/v1/chat/stream', { sessionId: 'a', text: 'one' });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it("maps libs/support's errors: 413 for too long, 404 for an unknown session; no Retry-After on client errors", async () => {
    const post = await start(
      fakeHandler({
        turn: async () => Promise.reject(new ValidationError('text has 3000 characters; limit is 2000', { kind: 'too-large', field: 'text' })),
        end: async () => Promise.reject(new NotFoundError('session s9 does not exist or has expired')),
      }),
    );
    const long = await post('/v1/chat', { sessionId: 'a', text: 'x' });
    expect(long.status).toBe(413);
    expect(long.headers.get('retry-after')).toBeNull();
    expect(await long.json()).toMatchObject({ error: { code: 'INVALID_ARGUMENT', message: 'text has 3000 characters; limit is 2000' } });
    const end = await post('/v1/sessions/s9/end', { action: 'close' });
    expect(end.status).toBe(404);
  });

  it('refuses bodies before they reach the handler: 413 over the byte limit, 415 not JSON, 400 malformed', async () => {
    const handler = fakeHandler();
    const post = await start(handler, { maxBodyBytes: 1024 });
    const big = await post('/v1/chat', { sessionId: 'a', text: 'x'.repeat(2000) });
    expect(big.status).toBe(413);
    expect((await post('/v1/chat', 'hello', 'text/plain')).status).toBe(415);
    expect((await post('/v1/chat', '{oops', 'application/json')).status).toBe(400);
    expect(handler.turns).toEqual([]);
  });

  it('streams chunks and a final event over SSE', async () => {
    const post = await start(fakeHandler());
    const res = await post('/v1/chat/stream', { sessionId: 's', text: 'hi' });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(await res.text()).toBe(
      'event: chunk\ndata: {"index":0,"text":"First sentence. "}\n\n' +
        'event: chunk\ndata: {"index":1,"text":"Second one!"}\n\n' +
        `event: final\ndata: ${JSON.stringify(turnFor({ sessionId: 's', text: 'hi' }).response)}\n\n`,
    );
  });

  it('with AUTH_MODE=api-key: chat routes need a key (401 without, 200 with), probes stay open', async () => {
    const key = 'support-chat-key-0123456789';
    const handler = fakeHandler();
    const post = await start(handler, { authenticator: createAuthenticator({ mode: 'api-key', apiKeys: [key] }) });
    const denied = await post('/v1/chat', { sessionId: 's', text: 'hi' });
    expect(denied.status).toBe(401);
    expect(handler.turns).toEqual([]);
    const allowed = await fetch(`http://127.0.0.1:${server?.port}/v1/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': key },
      body: JSON.stringify({ sessionId: 's', text: 'hi' }),
    });
    expect(allowed.status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${server?.port}/healthz`)).status).toBe(200);
  });

  it('checks credentials before the body: no API key + malformed JSON / wrong type / too large is 401', async () => {
    const handler = fakeHandler();
    const post = await start(handler, { maxBodyBytes: 1024, authenticator: createAuthenticator({ mode: 'api-key', apiKeys: ['support-chat-key-0123456789'] }) });
    expect((await post('/v1/chat', '{oops')).status).toBe(401);
    expect((await post('/v1/chat', 'hello', 'text/plain')).status).toBe(401);
    expect((await post('/v1/chat', { text: 'x'.repeat(2000) })).status).toBe(401);
    expect(handler.turns).toEqual([]);
  });

  it('body refusals carry x-request-id (header and body) and are counted in tuneline_request_duration_seconds', async () => {
    const metrics = createMetrics();
    const service = new SupportChatService(fakeHandler(), new Admission(8), logger);
    server = await startHttpServer({ host: '127.0.0.1', port: 0, maxBodyBytes: 1024, retryAfterSeconds: 7, service, platform: { health: new HealthRegistry(), metrics, logger } });
    const res = await fetch(`http://127.0.0.1:${server.port}/v1/chat`, { method: 'POST', headers: { 'content-type': 'text/plain', 'x-request-id': 'req-415' }, body: 'hello' });
    expect(res.status).toBe(415);
    expect(res.headers.get('x-request-id')).toBe('req-415');
    expect(await res.json()).toMatchObject({ error: { code: 'INVALID_ARGUMENT', requestId: 'req-415' } });
    const bad = await fetch(`http://127.0.0.1:${server.port}/v1/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{oops' });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('x-request-id')).toMatch(/.+/);
    const text = await metrics.render();
    expect(text).toMatch(/tuneline_request_duration_seconds_count\{[^}]*code="INVALID_ARGUMENT"[^}]*\} 2/);
  });

  it.each(['/v1/chat', '/v1/chat/stream'])('%s: a client that goes away aborts the turn (signal reaches the handler, admission slot freed)', async (path) => {
    const reasons: unknown[] = [];
    const handler = fakeHandler({ turn: async (r) => (reasons.push(await whenAborted(r.signal)), Promise.reject(r.signal?.reason)) });
    const post = await start(handler, { maxInFlight: 1 });
    const client = new AbortController();
    const call = fetch(`http://127.0.0.1:${server?.port}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sessionId: 's', text: 'hi' }), signal: client.signal });
    await new Promise((r) => setTimeout(r, 50));
    expect(handler.signals[0]?.aborted).toBe(false);
    client.abort();
    await expect(call).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 50));
    expect(handler.signals[0]?.aborted).toBe(true);
    expect(reasons).toEqual([expect.objectContaining({ code: 'CANCELLED' })]);
    // The slot (maxInFlight 1) is free again: the next turn is not 429.
    const ok = fakeHandler();
    expect(ok.turns).toEqual([]);
    handler.handleTurn = ok.handleTurn;
    expect((await post(path, { sessionId: 's2', text: 'again' })).status).toBe(200);
  });

  it('a finished request does not abort its signal', async () => {
    const handler = fakeHandler();
    const post = await start(handler);
    expect((await post('/v1/chat', { sessionId: 's', text: 'hi' })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 20));
    expect(handler.signals).toHaveLength(1);
    expect(handler.signals[0]?.aborted).toBe(false);
  });

  it('answers unknown routes with 404, not 500', async () => {
    const post = await start(fakeHandler());
    expect((await post('/v1/nothing-here', {})).status).toBe(404);
  });
});
