/**
 * Exactly once across a crash: the service runs in a child process, is SIGKILLed while it
 * scores a burst of the sample stream, and a new process (another instance id, the same
 * groups and transactional ids) takes over: it fences the dead one's open transactions,
 * restores the windows from the changelog, and goes on. Read committed, every input item is
 * in sentiment.scored exactly once and no alert id repeats.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOPICS } from '@tuneline/events';
import { resolveModelDir } from '@tuneline/inference';
import { ensureSentimentModel } from '../src/bootstrap/sentiment-model';
import { settingsOf } from '../src/config';
import {
  caughtUp,
  countBy,
  createTestTopics,
  deleteTestTopics,
  readTopic,
  replayInRounds,
  sampleRecords,
  sampleTruth,
  serviceNameOf,
  stageGroups,
  testConfig,
  testEnv,
  testKafka,
  testLogger,
  testTopics,
  uniqueSuffix,
  waitFor,
  WORKSPACE_ROOT,
} from './support/harness';

jest.setTimeout(300_000);

interface Child {
  readonly process: ChildProcess;
  readonly httpPort: number;
  readonly output: () => string;
}

async function startChild(env: Record<string, string>): Promise<Child> {
  let out = '';
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'fixtures', 'sentiment-monitor-child.ts')], {
    cwd: WORKSPACE_ROOT,
    env: { ...process.env, ...env, TSX_TSCONFIG_PATH: 'apps/sentiment-monitor/tsconfig.serve.json' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  await waitFor(() => /READY \d+ \d+/.test(out) || child.exitCode !== null, 180_000, () => `the child to start (output: ${out.slice(-2_000)})`);
  const ready = /READY (\d+) (\d+)/.exec(out);
  if (!ready) throw new Error(`child exited ${child.exitCode}: ${out.slice(-2_000)}`);
  return { process: child, httpPort: Number(ready[1]), output: () => out };
}

async function itemsScored(port: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return Number(/^tuneline_sentiment_items_scored_total (\d+)/m.exec(text)?.[1] ?? 0);
}

const exited = (child: ChildProcess) => (child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', r)));

describe('sentiment-monitor killed with SIGKILL mid-stream (child processes, real broker and model)', () => {
  const repo = mkdtempSync(join(tmpdir(), 'sentiment-monitor-repo-'));
  const kafka = testKafka('sentiment-monitor-crash');
  const suffix = uniqueSuffix();
  const service = serviceNameOf(suffix);
  const topics = testTopics(suffix);
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    await createTestTopics(kafka, topics, service);
    // Trained here once, so each child starts in seconds.
    const settings = settingsOf(testConfig(testEnv(repo, service)));
    await ensureSentimentModel({
      repoRoot: repo,
      name: settings.model,
      dataFile: settings.trainFile,
      baseModelDir: resolveModelDir(settings.baseModel, { TUNELINE_CACHE: settings.cacheRoot }),
      cacheRoot: settings.cacheRoot,
      trainIfMissing: true,
      logger: testLogger('crash-int'),
    });
  }, 300_000);

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await Promise.all(children.map(exited));
    await deleteTestTopics(kafka, topics, service);
    rmSync(repo, { recursive: true, force: true });
  }, 60_000);

  it('loses no scored item and repeats no alert id; the surge still alerts', async () => {
    const records = sampleRecords();
    const groups = stageGroups(service);
    const first = await startChild({ ...testEnv(repo, service, { SENTIMENT_INSTANCE_ID: 'first' }), SM_TEST_SUFFIX: suffix });
    children.push(first.process);

    // The first 144 records in rounds; then a burst of 160 on one partition (it holds the sample's surge), and the
    // kill once part of it is committed: the surge's window state is in flight when the process dies.
    await replayInRounds(kafka, topics, service, records.slice(0, 144), { roundSize: 48, partitions: 6 });
    expect(await itemsScored(first.httpPort)).toBe(144);
    const burst = records.slice(144, 304);
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({ topic: topics.newsRaw.name, acks: -1, messages: burst.map((v) => ({ key: v.id, partition: 5, value: JSON.stringify(v) })) });
    await producer.disconnect();
    let scoredAtKill = 0;
    await waitFor(async () => (scoredAtKill = await itemsScored(first.httpPort)) > 144, 120_000, () => 'part of the burst to commit');
    first.process.kill('SIGKILL');
    await exited(first.process);
    expect(scoredAtKill).toBeLessThan(304);

    const second = await startChild({ ...testEnv(repo, service, { SENTIMENT_INSTANCE_ID: 'second' }), SM_TEST_SUFFIX: suffix });
    children.push(second.process);
    await waitFor(() => caughtUp(kafka, groups.score, topics.newsRaw.name), 120_000, () => 'the new process to finish the burst');
    await waitFor(() => caughtUp(kafka, groups.windows, topics.windowEvents.name), 60_000, () => 'the windows stage to catch up');
    // The rest in rounds again.
    await replayInRounds(kafka, topics, service, records.slice(304), { roundSize: 48, partitions: 6 });
    second.process.kill('SIGTERM');
    await exited(second.process);
    process.stdout.write(`crash int: killed after ${scoredAtKill} of 304 items committed\n`);

    const scored = await readTopic(kafka, topics.scored.name, TOPICS.sentimentScored.schema, { count: records.length, settleMs: 1_500 });
    const perItem = countBy(scored, (r) => r.value.id);
    expect([...perItem.keys()].sort()).toEqual(records.map((r) => r.id).sort());
    expect([...perItem.values()].every((n) => n === 1)).toBe(true);

    const alerts = (await readTopic(kafka, topics.alerts.name, TOPICS.sentimentAlerts.schema, { count: 1, settleMs: 1_500 })).map((r) => r.value);
    const perId = countBy(alerts, (a) => a.alertId);
    expect([...perId.values()].every((n) => n === 1)).toBe(true);
    const keys = new Set(alerts.map((a) => a.key));
    expect(keys).toContain(`entity:${sampleTruth().surges[0]?.entity}`);
    for (const steady of sampleTruth().steady) expect(keys).not.toContain(`entity:${steady}`);
  });
});
