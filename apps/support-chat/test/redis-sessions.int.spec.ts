/**
 * Sessions in a real Redis shared by two replicas of the service (real sockets, real
 * models): a conversation continues on the other replica, readiness includes Redis PING,
 * and a Redis outage answers 503 with Retry-After (never 500) and turns readiness off.
 * Starts its own Redis on a free port with tools/redis/start.sh (REDIS_PORT, a temporary
 * REDIS_DIR, REDIS_REUSE=false; never REDIS_URL's: the outage test stops it) and stops it with
 * tools/redis/stop.sh; start.sh installs redis-server when missing.
 */
import 'reflect-metadata';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
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

const ROOT = join(__dirname, '..', '..', '..');

/** Runs tools/redis/<script> for this spec's Redis (its own port and directory). */
async function redisScript(script: 'start.sh' | 'stop.sh', port: number, dir: string): Promise<void> {
  const env = { ...process.env, REDIS_PORT: String(port), REDIS_DIR: dir, REDIS_PID_FILE: join(dir, 'redis.pid'), REDIS_REUSE: 'false' };
  await promisify(execFile)('bash', [join(ROOT, 'tools', 'redis', script)], { cwd: ROOT, env });
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
  const redisDir = mkdtempSync(join(tmpdir(), 'support-chat-redis-'));
  let redisPort = 0;
  let redisUrl = '';
  const replicas: SupportChat[] = [];
  const prefix = `test-${Date.now().toString(36)}-`;

  beforeAll(async () => {
    // Our own throwaway Redis (start.sh waits for PING): nothing persisted, stopped by the outage test or afterAll.
    redisPort = await freePort();
    await redisScript('start.sh', redisPort, redisDir);
    redisUrl = `redis://127.0.0.1:${redisPort}`;

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
    if (redisPort) await redisScript('stop.sh', redisPort, redisDir);
    rmSync(repo, { recursive: true, force: true });
    rmSync(redisDir, { recursive: true, force: true });
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
    await redisScript('stop.sh', redisPort, redisDir);
    const down = await post(a, '/v1/chat', { sessionId: `${prefix}s2`, text: 'how long does a refund take' });
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('1');
    expect(down.body.error?.code).toBe('UNAVAILABLE');
    await waitFor('readiness to drop', async () => (await ready(a)).status !== 'ready', 5_000);
    expect((await ready(a)).components).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'redis', ready: false })]));
  });
});
