/**
 * RedisSessionStore against a real Redis at REDIS_URL (default redis://127.0.0.1:6379):
 * `npm test` starts a throwaway one on 16379 and sets REDIS_URL (tools/test.sh). Two ioredis
 * clients stand for two replicas. Every test writes under its own random key prefix, and
 * the keys are deleted afterwards, so a dev Redis is left as it was.
 * Fails (never skips) when Redis is not reachable.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { REDIS_CLIENT_OPTIONS, REDIS_COMMAND_TIMEOUT_MS } from '@tuneline/platform';
import { SessionConflictError, SessionStoreUnavailableError } from '../src/errors';
import { KnowledgeBase } from '../src/knowledge/knowledge-base';
import { loadArticlesFromDir } from '../src/knowledge/load-articles';
import { sampleContentPaths } from '../src/samples';
import { SupportChatHandler } from '../src/handler/support-chat-handler';
import type { LanguagePack } from '../src/handler/language-pack';
import { DEFAULT_REDIS_SESSION_KEY_PREFIX, RedisSessionStore } from '../src/session/redis-session-store';
import { newSession, type SessionState } from '../src/session/session-state';
import { describeSessionStoreContract } from '../src/session/session-store.contract';
import { AnswerTemplates } from '../src/templates/answer-templates';
import { FakeIntentClassifier } from '../src/testing/fake-intent-classifier';
import { hashingEmbedder } from '../src/testing/hashing-embedder';

jest.setTimeout(30_000);

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const RUN_PREFIX = `tuneline:test:${randomUUID()}:`;

async function connect(): Promise<Redis> {
  // No reconnect loop and one try per command: an absent Redis fails the suite at once.
  const client = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 3_000, maxRetriesPerRequest: 1, retryStrategy: () => null });
  // Kept for the message (connect() itself only says "Connection is closed."); a listener
  // also spares the log ioredis's "Unhandled error event".
  let cause: Error | undefined;
  client.on('error', (err: Error) => (cause = err));
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    client.disconnect();
    throw new Error(
      `Redis is not reachable at ${REDIS_URL} (${(cause ?? (err as Error)).message}). npm test starts its own (tools/test.sh); ` +
        'for a local run: REDIS_PORT=16379 npm run redis:start, then REDIS_URL=redis://127.0.0.1:16379 npx jest -c libs/support/jest.config.ts redis',
    );
  }
  return client;
}

let replicaA: Redis;
let replicaB: Redis;

beforeAll(async () => {
  replicaA = await connect();
  replicaB = await connect();
});

afterAll(async () => {
  if (replicaA) {
    const keys: string[] = [];
    for await (const batch of replicaA.scanStream({ match: `${RUN_PREFIX}*`, count: 500 })) keys.push(...(batch as string[]));
    if (keys.length > 0) await replicaA.del(...keys);
  }
  await Promise.all([replicaA?.quit(), replicaB?.quit()]);
});

const uniquePrefix = (): string => `${RUN_PREFIX}${randomUUID().slice(0, 8)}:`;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describeSessionStoreContract('RedisSessionStore', {
  create: (ttlMs) => {
    const keyPrefix = uniquePrefix();
    return {
      store: new RedisSessionStore({ client: replicaA, ttlMs, keyPrefix }),
      peer: new RedisSessionStore({ client: replicaB, ttlMs, keyPrefix }),
    };
  },
  advance: sleep,
  now: () => Date.now(),
  // Real time: 0.6 ttl of sleep must stay well below the ttl on a busy 2-core host.
  ttlMs: 1_500,
});

describe('RedisSessionStore (real Redis)', () => {
  it('keeps a session as one hash under <prefix><id> whose TTL each save restarts', async () => {
    const keyPrefix = uniquePrefix();
    const store = new RedisSessionStore({ client: replicaA, ttlMs: 60_000, keyPrefix });
    const saved = await store.save(newSession('s1', 'en', Date.now()), 0);
    const key = `${keyPrefix}s1`;
    expect(await replicaB.hgetall(key)).toEqual({ revision: '1', state: JSON.stringify(saved) });
    await replicaB.pexpire(key, 5_000);
    await store.get('s1');
    expect(await replicaB.pttl(key)).toBeLessThanOrEqual(5_000); // a read leaves the TTL alone
    await store.save(saved, 1);
    expect(await replicaB.pttl(key)).toBeGreaterThan(55_000); // a save restarts it
  });

  it('uses tuneline:support:session:<id> by default', async () => {
    const id = `${RUN_PREFIX.replace(/:/g, '.')}default`;
    const store = new RedisSessionStore({ client: replicaA });
    try {
      await store.save(newSession(id, 'en', Date.now()), 0);
      expect(await replicaB.exists(`${DEFAULT_REDIS_SESSION_KEY_PREFIX}${id}`)).toBe(1);
    } finally {
      await store.delete(id);
    }
  });

  it('a stale replica loses the compare-and-set and succeeds after re-reading', async () => {
    const keyPrefix = uniquePrefix();
    const a = new RedisSessionStore({ client: replicaA, keyPrefix });
    const b = new RedisSessionStore({ client: replicaB, keyPrefix });
    const start = await a.save(newSession('s1', 'en', Date.now()), 0);
    const readByB = (await b.get('s1')) as SessionState;
    await a.save({ ...start, userTurns: 1 }, start.revision);
    await expect(b.save({ ...readByB, userTurns: 1 }, readByB.revision)).rejects.toBeInstanceOf(SessionConflictError);
    const reread = (await b.get('s1')) as SessionState;
    await expect(b.save({ ...reread, userTurns: 2 }, reread.revision)).resolves.toMatchObject({ userTurns: 2, revision: 3 });
  });

  it('reloads its script after SCRIPT FLUSH (EVALSHA → NOSCRIPT → EVAL)', async () => {
    const store = new RedisSessionStore({ client: replicaA, keyPrefix: uniquePrefix() });
    await store.save(newSession('s1', 'en', Date.now()), 0);
    await replicaB.script('FLUSH');
    await expect(store.save({ ...newSession('s1', 'en', Date.now()), revision: 1 }, 1)).resolves.toMatchObject({ revision: 2 });
  });

  it('fails loudly when the key holds something else', async () => {
    const keyPrefix = uniquePrefix();
    const store = new RedisSessionStore({ client: replicaA, keyPrefix });
    await replicaB.set(`${keyPrefix}s1`, 'not a session', 'PX', 60_000);
    await expect(store.get('s1')).rejects.toThrow(/WRONGTYPE/);
    await expect(store.save(newSession('s1', 'en', Date.now()), 0)).rejects.toThrow(/WRONGTYPE/);
  });

  it('continues a conversation on another replica: the follow-up inherits the intent and the slots', async () => {
    const paths = sampleContentPaths('en');
    const labels = ['account_balance', 'card_arrival', 'card_lost', 'change_address', 'close_account', 'exchange_rate', 'pin_reset', 'refund_request', 'talk_to_human', 'transfer_failed'];
    const en: LanguagePack = {
      classifier: new FakeIntentClassifier(labels, [{ pattern: /refund/i, label: 'refund_request', confidence: 0.9 }], { label: 'exchange_rate', confidence: 0.3 }, 'en-1'),
      knowledge: await KnowledgeBase.build(loadArticlesFromDir(paths.articlesDir), { embed: hashingEmbedder(512), modelChecksum: 'fake' }),
      templates: AnswerTemplates.fromFile(paths.templates),
    };
    const keyPrefix = uniquePrefix();
    const replica = (client: Redis) =>
      new SupportChatHandler({ languages: { en }, store: new RedisSessionStore({ client, keyPrefix }), options: { retrievalMinScore: 0.2 } });

    const first = await replica(replicaA).handleTurn({ sessionId: 'conv-1', text: 'I want a refund of €40', locale: 'en' });
    expect(first.response).toMatchObject({ intent: 'refund_request', handoff: false });
    const second = await replica(replicaB).handleTurn({ sessionId: 'conv-1', text: 'and how long does that take?', locale: 'en' });
    expect(second.record).toMatchObject({ turn: 2, inherited: true, intent: 'refund_request', answerKind: 'template' });
    expect(second.response.reply).toContain('40 EUR'); // the slot replica A stored
    const stored = await new RedisSessionStore({ client: replicaA, keyPrefix }).get('conv-1');
    expect(stored).toMatchObject({ userTurns: 2, revision: 2, lastIntent: 'refund_request', slots: { amount: '40 EUR' } });
    expect(stored?.transcript.map((e) => e.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
  });

  it('leaves the clients it was given open: after the stores used them, both still answer PING', async () => {
    const keyPrefix = uniquePrefix();
    for (const client of [replicaA, replicaB]) {
      const store = new RedisSessionStore({ client, keyPrefix });
      const id = `ping-${randomUUID()}`;
      await store.save(newSession(id, 'en', Date.now()), 0);
      expect(await store.get(id)).toMatchObject({ id, revision: 1 });
      expect(await store.delete(id)).toBe(true);
    }
    expect(await Promise.all([replicaA.ping(), replicaB.ping()])).toEqual(['PONG', 'PONG']);
  });
});

/**
 * A Redis that stops answering (a frozen process; a black-holed network looks the same to the
 * client) must not hold a turn forever: with the service's client options a command fails after
 * REDIS_COMMAND_TIMEOUT_MS and the store says UNAVAILABLE. Its own redis-server (the one `npm
 * test` installs), stopped with SIGSTOP, so no other spec's Redis is paused.
 */
describe('RedisSessionStore on a Redis that stops answering', () => {
  let server: ChildProcess | undefined;
  afterAll(() => {
    server?.kill('SIGCONT');
    server?.kill('SIGKILL');
  });

  it('fails the command after the timeout with SessionStoreUnavailableError', async () => {
    const port = await freePort();
    server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    const client = new Redis(`redis://127.0.0.1:${port}`, { ...REDIS_CLIENT_OPTIONS, retryStrategy: () => null });
    client.on('error', () => undefined);
    for (let i = 0; ; i++) {
      try {
        await client.connect();
        break;
      } catch (err) {
        if (i >= 50) throw err;
        await sleep(100);
      }
    }
    const store = new RedisSessionStore({ client, keyPrefix: uniquePrefix() });
    await store.save(newSession('s1', 'en', 1), 0);
    expect(await store.get('s1')).toBeDefined();

    server.kill('SIGSTOP');
    const started = Date.now();
    const err: unknown = await store.get('s1').catch((e: unknown) => e);
    const waited = Date.now() - started;
    expect(err).toBeInstanceOf(SessionStoreUnavailableError);
    expect(waited).toBeGreaterThanOrEqual(REDIS_COMMAND_TIMEOUT_MS - 50);
    expect(waited).toBeLessThan(REDIS_COMMAND_TIMEOUT_MS + 3_000);
    server.kill('SIGCONT');
    client.disconnect();
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}
