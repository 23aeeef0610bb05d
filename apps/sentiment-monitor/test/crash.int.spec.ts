/**
 * Exactly once across a crash: the service runs in a child process, is SIGKILLed while it
 * scores a burst of the sample stream, and a new process (the same instance id, groups and
 * transactional ids) takes over: it fences the dead one's open transactions, restores the
 * windows from the changelog, and goes on. Read committed, every input item is in
 * sentiment.scored exactly once and no alert id repeats; and the new process's alert hub,
 * fed by a group new to this start, holds every alert, also those raised before the kill.
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
  committedOffsets,
  countBy,
  endOffsets,
  negativeSurges,
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
import { oracleAlertIds } from './support/alert-oracle';
import { SseClient } from './support/sse-client';

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

  it('loses no scored item and repeats no alert id; the surge still alerts; a restart with the same instance id serves every alert', async () => {
    const records = sampleRecords();
    const groups = stageGroups(service);
    // One fixed instance id for both processes (a pod name): the second must not inherit the first's feed position.
    // Heartbeats every 300 ms tell the SSE client below when everything queued has arrived.
    const env = { ...testEnv(repo, service, { SENTIMENT_INSTANCE_ID: 'pod-0', SENTIMENT_SSE_HEARTBEAT_MS: '300' }), SM_TEST_SUFFIX: suffix };
    const first = await startChild(env);
    children.push(first.process);

    // Surges of two entities the sample never mentions, an hour before it starts: alerts the first process
    // raises and the second one's hub must still serve. Then the first 144 records in rounds; then a burst of
    // 160 on one partition (it holds the sample's surge), and the kill once part of it is committed: the
    // surge's window state is in flight when the process dies.
    const early = negativeSurges(['Test Gamma Mining', 'Test Delta Shipping'], '2025-01-06T07:00:00Z', 'early');
    await replayInRounds(kafka, topics, service, early, { roundSize: early.length, partitions: 1 });
    await replayInRounds(kafka, topics, service, records.slice(0, 144), { roundSize: 48, partitions: 6 });
    const before = early.length + 144;
    expect(await itemsScored(first.httpPort)).toBe(before);
    const burst = records.slice(144, 304);
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({ topic: topics.newsRaw.name, acks: -1, messages: burst.map((v) => ({ key: v.id, partition: 5, value: JSON.stringify(v) })) });
    await producer.disconnect();
    let scoredAtKill = 0;
    await waitFor(async () => (scoredAtKill = await itemsScored(first.httpPort)) > before, 120_000, () => 'part of the burst to commit');
    const killedAt = Date.now();
    first.process.kill('SIGKILL');
    await exited(first.process);
    // Really mid-stream: what the dead process committed of the burst's partition ends before the partition does.
    const [committedAtKill, ends] = await Promise.all([committedOffsets(kafka, groups.score, topics.newsRaw.name), endOffsets(kafka, topics.newsRaw.name)]);
    expect(Number(committedAtKill.get(5) ?? '-1')).toBeLessThan(Number(ends.get(5)));
    expect(Number(committedAtKill.get(5) ?? '-1')).toBeGreaterThan(0);

    const second = await startChild(env);
    children.push(second.process);
    await waitFor(() => caughtUp(kafka, groups.score, topics.newsRaw.name), 120_000, () => 'the new process to finish the burst');
    await waitFor(() => caughtUp(kafka, groups.windows, topics.windowEvents.name), 60_000, () => 'the windows stage to catch up');
    // The rest in rounds again.
    await replayInRounds(kafka, topics, service, records.slice(304), { roundSize: 48, partitions: 6 });
    process.stdout.write(`crash int: killed after ${scoredAtKill - early.length} of 304 sample items committed (score offset ${committedAtKill.get(5)} of ${ends.get(5)} on the burst's partition)\n`);

    const all = [...early, ...records];
    const scored = await readTopic(kafka, topics.scored.name, TOPICS.sentimentScored.schema, { count: all.length, settleMs: 1_500 });
    const perItem = countBy(scored, (r) => r.value.id);
    expect([...perItem.keys()].sort()).toEqual(all.map((r) => r.id).sort());
    expect([...perItem.values()].every((n) => n === 1)).toBe(true);

    const alerts = (await readTopic(kafka, topics.alerts.name, TOPICS.sentimentAlerts.schema, { count: 1, settleMs: 1_500 })).map((r) => r.value);
    const perId = countBy(alerts, (a) => a.alertId);
    expect([...perId.values()].every((n) => n === 1)).toBe(true);
    const keys = new Set(alerts.map((a) => a.key));
    expect(keys).toContain(`entity:${sampleTruth().surges[0]?.entity}`);
    for (const steady of sampleTruth().steady) expect(keys).not.toContain(`entity:${steady}`);
    // Exactly the alerts an uninterrupted in-process run over the same scored items raises.
    expect(alerts.map((a) => a.alertId).sort()).toEqual(oracleAlertIds(scored.map((r) => r.value), settingsOf(testConfig(env)).alerting));

    const beforeKill = alerts.filter((a) => Date.parse(a.raisedAt) < killedAt).length;
    process.stdout.write(`crash int: ${alerts.length} alerts, ${beforeKill} raised before the kill\n`);
    // The early surges alerted before the kill (their round waited for the windows stage to commit).
    expect(beforeKill).toBeGreaterThanOrEqual(2);
    // The restarted replica (same instance id) replays every alert from "nothing seen", those of the dead process included, with no gap.
    const sse = new SseClient(`http://127.0.0.1:${second.httpPort}/v1/alerts/stream?resume_token=djE6`);
    try {
      await sse.subscribed();
      await waitFor(() => sse.alerts().length >= alerts.length, 30_000, () => `every alert from the restarted replica (got ${sse.alerts().length} of ${alerts.length})`);
      await sse.quiet();
      expect(sse.alerts().map((a) => a.data.alertId).sort()).toEqual(alerts.map((a) => a.alertId).sort());
      expect(sse.all().some((e) => e.event === 'gap')).toBe(false);
    } finally {
      sse.close();
    }
    second.process.kill('SIGTERM');
    await exited(second.process);
  });
});
