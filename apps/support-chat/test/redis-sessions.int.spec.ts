/**
 * Sessions in a real Redis shared by two replicas of the service (real sockets, real
 * models): a conversation continues on the other replica, readiness includes Redis PING,
 * and a Redis outage answers 503 with Retry-After (never 500) and turns readiness off.
 * Starts its own redis-server on a free port (not REDIS_URL's: the outage test stops it);
 * tools/test.sh installs redis-server.
 */
import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { HealthRegistry, createLogger, createMetrics, loadConfig } from '@tuneline/platform';
import { supportChatConfigSchema, withServiceDefaults } from '../src/config';
import { startSupportChat, type SupportChat } from '../src/support-chat.app';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function waitFor(what: string, ok: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('support-chat with sessions in Redis (two replicas)', () => {
  const repo = mkdtempSync(join(tmpdir(), 'support-chat-redis-repo-'));
  let redisProcess: ChildProcess | undefined;
  let redisUrl = '';
  const replicas: SupportChat[] = [];
  const prefix = `test-${Date.now().toString(36)}-`;

  beforeAll(async () => {
    // Our own throwaway Redis: nothing persisted, stopped by the outage test or afterAll (only this process).
    const port = await freePort();
    redisProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    redisProcess.on('error', (err) => console.error(`redis-server could not start (install it: tools/redis/start.sh does): ${err.message}`));
    redisUrl = `redis://127.0.0.1:${port}`;
    const probe = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    await waitFor('redis PING', async () => (await probe.connect().then(() => probe.ping()).catch(() => '')) === 'PONG', 10_000);
    probe.disconnect();

    const env = withServiceDefaults({
      BIND_HOST: '127.0.0.1',
      HTTP_PORT: '0',
      GRPC_PORT: '0',
      LOG_LEVEL: 'silent',
      TUNELINE_MODEL_REPO: repo,
      SUPPORT_INTENT_BASE_MODEL: 'int8',
      TUNELINE_CACHE: process.env['TUNELINE_CACHE'],
      SUPPORT_FOLLOW_MODELS: 'false',
      SUPPORT_PUBLISH_EVENTS: 'false',
      REDIS_URL: redisUrl,
      SUPPORT_REDIS_PING_INTERVAL_MS: '200',
    });
    const logger = createLogger({ service: 'support-chat-redis-int', level: 'silent' });
    // Sequential: the first trains the model into the shared repository, the second finds it.
    for (let i = 0; i < 2; i++) {
      replicas.push(await startSupportChat(loadConfig(supportChatConfigSchema, env), { logger, metrics: createMetrics(), health: new HealthRegistry() }));
    }
  }, 120_000);

  afterAll(async () => {
    for (const r of replicas) await r.close();
    redisProcess?.kill('SIGTERM');
    rmSync(repo, { recursive: true, force: true });
  }, 30_000);

  const post = async (replica: SupportChat, path: string, body: unknown) => {
    const res = await fetch(`http://127.0.0.1:${replica.httpPort}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> & { error?: { code: string } } };
  };
  const ready = async (replica: SupportChat) => (await fetch(`http://127.0.0.1:${replica.httpPort}/readyz`)).json() as Promise<{ status: string; components: { name: string; ready: boolean }[] }>;

  it('is ready with Redis answering PING, and a conversation continues on the other replica', async () => {
    const [a, b] = replicas as [SupportChat, SupportChat];
    expect(await ready(a)).toMatchObject({ status: 'ready', components: expect.arrayContaining([{ name: 'redis', ready: true, required: true, detail: 'PONG' }]) });
    const first = await post(a, '/v1/chat', { sessionId: `${prefix}s1`, text: 'My SEPA transfer of 200 EUR failed' });
    expect(first.body['intent']).toBe('transfer_failed');
    const next = await post(b, '/v1/chat', { sessionId: `${prefix}s1`, text: 'what about the one on 3 March?' });
    expect(next.body['intent']).toBe('transfer_failed');
    expect(next.body['reply']).toMatch(/transfer of 200 EUR on \d{4}-03-03/);
    const ended = await post(a, `/v1/sessions/${prefix}s1/end`, { action: 'close' });
    expect(ended.body).toMatchObject({ turnCount: 2 });
    expect((await post(b, `/v1/sessions/${prefix}s1/end`, { action: 'close' })).status).toBe(404);
  });

  it('answers 503 with Retry-After while Redis is down, and readiness turns off', async () => {
    const [a] = replicas as [SupportChat];
    redisProcess?.kill('SIGTERM');
    await new Promise((r) => redisProcess?.once('exit', r));
    const down = await post(a, '/v1/chat', { sessionId: `${prefix}s2`, text: 'how long does a refund take' });
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('1');
    expect(down.body.error?.code).toBe('UNAVAILABLE');
    await waitFor('readiness to drop', async () => (await ready(a)).status !== 'ready', 5_000);
    expect((await ready(a)).components).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'redis', ready: false })]));
  });
});
