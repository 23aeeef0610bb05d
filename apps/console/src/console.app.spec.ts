/**
 * The console's HTTP surface over fake backends: routes, SSE framing, input refusals and the
 * 503 naming a down service. The browser specs (test/) run the same app against the real services.
 */
import 'reflect-metadata';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSse } from '@tuneline/console';
import { createFakeBackends, sampleAlert, type FakeBackends } from '@tuneline/console/testing';
import { HealthRegistry, createLogger, createMetrics, loadConfig } from '@tuneline/platform';
import { consoleConfigSchema, withServiceDefaults } from './config';
import { startConsole, type RunningConsole } from './console.app';

describe('console HTTP API (fake backends)', () => {
  let app: RunningConsole;
  let backends: FakeBackends;
  let base: string;

  beforeAll(async () => {
    const web = mkdtempSync(join(tmpdir(), 'console-web-'));
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>Tuneline console</title>');
    const config = loadConfig(
      consoleConfigSchema,
      withServiceDefaults({ HTTP_PORT: '0', BIND_HOST: '127.0.0.1', CONSOLE_FOLLOW_MODELS: 'false', CONSOLE_STATIC_DIR: web, CONSOLE_SSE_HEARTBEAT_MS: '100' }),
    );
    backends = createFakeBackends();
    app = await startConsole(config, { logger: createLogger({ service: 'console', level: 'silent' }), metrics: createMetrics(), health: new HealthRegistry(), backends });
    base = `http://127.0.0.1:${app.port}`;
  });

  afterAll(async () => {
    await app.close();
  });

  afterEach(() => backends.down.clear());

  const post = (path: string, body: unknown) => fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('serves the SPA, the probes and the status of every service', async () => {
    expect(await (await fetch(`${base}/`)).text()).toContain('<title>Tuneline console</title>');
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    backends.down.add('recommender');
    const status = (await (await fetch(`${base}/api/status`)).json()) as { services: { service: string; up: boolean }[] };
    expect(status.services.map((s) => `${s.service}:${s.up}`)).toEqual(['support-chat:true', 'sentiment-monitor:true', 'recommender:false']);
  });

  it('streams a chat reply as chunk events then final', async () => {
    const res = await post('/api/chat/stream', { sessionId: 's1', text: 'hello there' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = parseSse(await res.text());
    expect(events.map((e) => e.event)).toEqual(['chunk', 'chunk', 'final']);
    expect(events[2]?.data).toMatchObject({ sessionId: 's1', reply: 'You said: hello there', intent: 'card_arrival' });
  });

  it('answers 503 naming the service when it is down, on plain and streamed routes', async () => {
    backends.down.add('support-chat');
    for (const path of ['/api/chat', '/api/chat/stream']) {
      const res = await post(path, { sessionId: 's1', text: 'hi' });
      expect(res.status).toBe(503);
      expect(((await res.json()) as { error: { message: string } }).error.message).toBe('support-chat is unavailable: connect ECONNREFUSED');
    }
    backends.down.add('sentiment-monitor');
    const alerts = await fetch(`${base}/api/alerts/stream`);
    expect(alerts.status).toBe(503);
    expect(((await alerts.json()) as { error: { message: string } }).error.message).toContain('sentiment-monitor is unavailable');
  });

  it('gives each answer a turnId (the request id support-chat saw) that feedback must name', async () => {
    const res = await post('/api/chat', { sessionId: 's2', text: 'hi' });
    const turn = (await res.json()) as { turnId?: string };
    expect(turn.turnId).toBe(res.headers.get('x-request-id'));
    expect((await post('/api/chat/feedback', { sessionId: 's2', turnId: turn.turnId, helpful: true })).status).toBe(200);
    expect(backends.feedback).toEqual([{ sessionId: 's2', turnId: turn.turnId, helpful: true }]);
    const missing = await post('/api/chat/feedback', { sessionId: 's2', helpful: true });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toBe('turnId is required (the turnId of the rated answer)');
  });

  it('refuses bad input with a 4xx naming the field', async () => {
    const long = await post('/api/chat', { sessionId: 's1', text: 'x'.repeat(2_001) });
    expect(long.status).toBe(400);
    expect(((await long.json()) as { error: { message: string } }).error.message).toBe('text must be at most 2000 characters');
    const k = await post('/api/recommend', { userId: '1', k: 0 });
    expect(k.status).toBe(400);
    const big = await post('/api/chat', { sessionId: 's1', text: 'y'.repeat(20_000) });
    expect(big.status).toBe(413);
  });

  it('sends alerts matching the filter to an open stream', async () => {
    const controller = new AbortController();
    const res = await fetch(`${base}/api/alerts/stream?entity=Beta`, { signal: controller.signal });
    expect(res.status).toBe(200);
    const reader = (res.body as ReadableStream<Uint8Array>).pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    backends.pushAlert(sampleAlert('x1', 'Alpha'));
    backends.pushAlert(sampleAlert('x2', 'Beta', 'critical'));
    while (!text.includes('event: alert')) text += (await reader.read()).value ?? '';
    controller.abort();
    const alerts = parseSse(text).filter((e) => e.event === 'alert');
    expect(alerts).toEqual([{ event: 'alert', id: 'x2', data: sampleAlert('x2', 'Beta', 'critical') }]);
    const recent = (await (await fetch(`${base}/api/alerts/recent?entity=Alpha`)).json()) as { alertId: string }[];
    expect(recent.map((a) => a.alertId)).toEqual(['x1']);
  });

  it('records item feedback, after which the ranking differs', async () => {
    const before = (await (await post('/api/recommend', { userId: '7', k: 3 })).json()) as { items: { itemId: string }[] };
    expect((await post('/api/feedback/item', { userId: '7', itemId: before.items[0]?.itemId, type: 'like' })).status).toBe(200);
    const after = (await (await post('/api/recommend', { userId: '7', k: 3 })).json()) as { items: { itemId: string }[] };
    expect(after.items.map((i) => i.itemId)).not.toContain(before.items[0]?.itemId);
  });
});
