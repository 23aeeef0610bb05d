import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Registry } from 'prom-client';
import { createEventProducer, createKafka, defineTopic, dlqTopicName, DLQ_TOPIC_PREFIX, ensureTopics, TOPICS, type ModelPublished } from '@tuneline/events';
import { finetune } from '@tuneline/finetune';
import { ModelRepository, resolveModelDir } from '@tuneline/inference';
import { createModelFollower, type ModelFollower } from '../src';

// Real broker, real fine-tuned model, the trainer's own CLI publishing: one replica follows a
// random topic while 6 callers keep inferring, and must swap with zero failed requests.

const BROKERS = process.env['KAFKA_BROKERS'] || '127.0.0.1:9092';
const ROOT = resolve(__dirname, '../../..');
const consoleLogger = {
  debug: () => undefined,
  info: (o: object, m?: string) => console.info(m, o),
  warn: (o: object, m?: string) => console.warn(m, o),
  error: (o: object, m?: string) => console.error(m, o),
};
const unique = (p: string) => `test.${p}.${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;

function tuneline(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(join(ROOT, 'apps/trainer/bin/tuneline'), args, { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

async function waitFor(what: string, ok: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe(`model follower against the real broker (${BROKERS}) and a real fine-tuned model`, () => {
  const kafka = createKafka({ clientId: 'model-lifecycle-int', brokers: BROKERS, logLevel: 'error' });
  const topicName = unique('model.published');
  const topic = defineTopic({ ...TOPICS.modelPublished, name: topicName });
  const trainerRepo = mkdtempSync(join(tmpdir(), 'trainer-repo-'));
  const servingRoot = mkdtempSync(join(tmpdir(), 'serving-root-'));
  const name = `intent-${randomBytes(3).toString('hex')}`;
  const registry = new Registry();
  let repository: ModelRepository;
  let follower: ModelFollower | undefined;
  let v1: string;

  beforeAll(async () => {
    // One small real model (int8 base, few epochs); version 2 is a copy of it with its own card.
    const trained = await finetune({ task: 'classify', dataFile: join(ROOT, 'libs/finetune/samples/financial-sentiment.jsonl'),
      baseModelDir: resolveModelDir('int8', process.env), repo: trainerRepo, name, train: { head: 'linear', epochs: 3, minSteps: 0, seed: 1 } });
    v1 = trained.dir;
    const v2 = join(trainerRepo, name, '2');
    cpSync(v1, v2, { recursive: true });
    const card = JSON.parse(readFileSync(join(v2, 'model-card.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(v2, 'model-card.json'), JSON.stringify({ ...card, version: '2' }));
    // The service starts on version 1 from its own repository.
    cpSync(v1, join(servingRoot, name, '1'), { recursive: true });
    repository = new ModelRepository({ root: servingRoot });
    await repository.load(name, '1');
  }, 180_000);

  afterAll(async () => {
    await follower?.stop({ timeoutMs: 5_000 });
    await repository?.close();
    const admin = kafka.admin();
    await admin.connect();
    if (follower) await admin.deleteGroups([follower.groupId]).catch(() => undefined);
    await admin.deleteTopics({ topics: [topicName] }).catch(() => undefined);
    await admin.disconnect();
  }, 30_000);

  it('swaps to the version the trainer publishes under continuous load with zero failed requests, then refuses a bad sha256', async () => {
    let ok = 0;
    const failures: unknown[] = [];
    const versionsSeen = new Map<string, number>();
    let running = true;
    const caller = async (id: number) => {
      while (running) {
        try {
          const r = await repository.infer(name, [`caller ${id}: shares fell after the profit warning (${ok})`]);
          versionsSeen.set(r.version, (versionsSeen.get(r.version) ?? 0) + 1);
          ok++;
        } catch (err) {
          failures.push(err);
        }
      }
    };
    const callers = Array.from({ length: 6 }, (_, i) => caller(i));
    try {
      follower = createModelFollower({ kafka, service: 'int-test', models: [name], repository, registry, topic,
        replicaId: randomBytes(4).toString('hex'), ...(process.env['LIFECYCLE_TEST_LOG'] ? { logger: consoleLogger } : {}), consumer: { sessionTimeout: 6_000, rebalanceTimeout: 6_000, heartbeatInterval: 500, maxWaitTimeInMs: 100 } });
      expect(follower.groupId).toMatch(/^int-test\.model-lifecycle\.[0-9a-f]{8}$/);
      // Two records no follower can decode come first: a tombstone and a value that is not JSON.
      // They are counted and passed, never dead-lettered (no DLQ topic exists for a replica group).
      await ensureTopics(kafka, [topic]);
      const raw = kafka.producer();
      await raw.connect();
      try {
        await raw.send({ topic: topicName, messages: [{ key: name, value: null }, { key: name, value: 'not json' }] });
      } finally {
        await raw.disconnect();
      }
      // The trainer's CLI creates the topic and publishes version 2 (file:// uri, both sha256s).
      const published = await tuneline(['publish', '--model', join(trainerRepo, name, '2'), '--brokers', BROKERS, '--topic', topicName]);
      if (published.code !== 0) throw new Error(`tuneline publish failed (${published.code}): ${published.stderr}`);
      const event = JSON.parse(published.stdout.trim().split('\n').pop() ?? '{}') as ModelPublished & { topic: string };
      expect(event).toMatchObject({ topic: topicName, version: '2', uri: expect.stringMatching(/^file:\/\//), tokenizerSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });

      // A staging dir a killed process left behind is swept at start.
      const leftover = join(servingRoot, name, '.tmp-2-deadbeef');
      cpSync(v1, leftover, { recursive: true });
      await follower.start();
      expect(existsSync(leftover)).toBe(false);
      await waitFor('the swap to version 2', () => repository.currentVersion(name) === '2', 60_000);
      const servedBySwap = ok;
      await new Promise((r) => setTimeout(r, 500)); // keep serving on the new version
      expect(follower.isServing()).toBe(true);
      expect(follower.isFollowing()).toBe(true);
      expect(follower.state()).toMatchObject({ serving: true, following: true, runner: 'running' });
      const up = await registry.getSingleMetric('tuneline_model_follower_up')?.get();
      expect(up?.values).toEqual([{ labels: { group: follower.groupId }, value: 1 }]);
      expect(existsSync(join(servingRoot, name, '2', 'model.onnx'))).toBe(true);

      // Version 3 whose announced sha256 does not match its model.onnx: refused, 2 keeps serving.
      const v3 = join(trainerRepo, name, '3');
      cpSync(join(trainerRepo, name, '2'), v3, { recursive: true });
      const producer = createEventProducer(kafka);
      try {
        await producer.send(topic, [{ ...event, version: '3', path: v3, uri: `file://${v3}`, sha256: 'f'.repeat(64), publishedAt: new Date().toISOString() }]);
      } finally {
        await producer.disconnect();
      }
      await waitFor('the refusal of version 3', () => follower?.state().models[name]?.lastEvent?.version === '3', 60_000)
        .catch((err: Error) => { throw new Error(`${err.message}; state ${JSON.stringify(follower?.state())}`); });
      await new Promise((r) => setTimeout(r, 300));
      running = false;
      await Promise.all(callers);

      const state = follower.state();
      expect(state.models[name]).toMatchObject({ servedVersion: '2', lastEvent: { version: '3', outcome: 'rejected_checksum' } });
      expect(repository.currentVersion(name)).toBe('2');
      expect(existsSync(join(servingRoot, name, '3'))).toBe(false);
      const swaps = await registry.getSingleMetric('tuneline_model_swaps_total')?.get();
      const counts = Object.fromEntries((swaps?.values ?? []).map((v) => [String(v.labels['outcome']), v.value]));
      expect(counts).toEqual({ swapped: 1, rejected_checksum: 1, rejected_malformed: 2 });
      const admin = kafka.admin();
      await admin.connect();
      try {
        const topics = await admin.listTopics();
        expect(topics).not.toContain(dlqTopicName(follower.groupId));
        expect(topics.filter((t) => t.startsWith(DLQ_TOPIC_PREFIX) && t.includes(follower?.groupId ?? ''))).toEqual([]);
      } finally {
        await admin.disconnect();
      }
      console.info(`model-lifecycle int: ${ok} requests served (${servedBySwap} before the swap completed), ` +
        `by version ${JSON.stringify(Object.fromEntries(versionsSeen))}, ${failures.length} failed`);
      expect(failures).toEqual([]);
      expect(versionsSeen.get('1')).toBeGreaterThan(0);
      expect(versionsSeen.get('2')).toBeGreaterThan(0);
    } finally {
      running = false;
      await Promise.all(callers);
    }
  }, 180_000);
});
