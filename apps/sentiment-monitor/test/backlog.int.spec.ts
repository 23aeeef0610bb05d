/**
 * The sample as a backlog: every record produced at once, keyed by item id over news.raw's six
 * partitions (no rounds), so the score stage works through the partitions at its own pace and
 * each window key's events reach the windows stage interleaved from six sources, far apart in
 * event time. The engine tracks each source's progress: no window event is late, the surge
 * alerts, the steady entity does not, and one instance and two instances alert on exactly the
 * keys an in-process run over the scored items alerts on (test/support/alert-oracle.ts).
 * Not the same ids: alerts fire early (on the item that crosses the threshold) with a
 * cooldown, so when a later window of a key arrives before an earlier one (another source
 * ahead), the later window can fire first and its cooldown silence the earlier one. Exact id
 * equality holds when each key's events keep their order (the rounds replay in
 * sentiment-monitor.int.spec.ts, the crash spec); docs/sentiment-monitor.md says so.
 *
 * The sample is sparse (528 items in 6 hours): a 64-record chunk of one partition spans about
 * 4 hours of event time, and one partition can be a whole chunk or two ahead of another, so
 * the sources are hours apart. SENTIMENT_SOURCE_IDLE_MS is raised past the sample's span here;
 * at the default (30 min) sources that far behind count as idle and most events are late
 * (measured: 765 late, no alert).
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOPICS } from '@tuneline/events';
import { HealthRegistry, createMetrics } from '@tuneline/platform';
import { settingsOf } from '../src/config';
import { startSentimentMonitor, type SentimentMonitor } from '../src/sentiment-monitor.app';
import { oracleAlerts } from './support/alert-oracle';
import {
  caughtUp,
  createTestTopics,
  deleteTestTopics,
  FAST_CONSUMER,
  produceNews,
  readTopic,
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
} from './support/harness';

jest.setTimeout(300_000);

/** Longer than the sample's 6 hours: no source of this backlog may count as idle. */
const BACKLOG_SOURCE_IDLE_MS = String(7 * 3_600_000);

const SURGE = `entity:${sampleTruth().surges[0]?.entity ?? 'Northwind Bank'}`;
const STEADY = sampleTruth().steady.map((e) => `entity:${e}`);

function run(kafka: ReturnType<typeof testKafka>) {
  const suffix = uniqueSuffix();
  const service = serviceNameOf(suffix);
  const topics = testTopics(suffix);
  return {
    service,
    topics,
    /** Both stages have committed everything: the score stage first, then the window events it wrote. */
    drained: async () => {
      const groups = stageGroups(service);
      await waitFor(() => caughtUp(kafka, groups.score, topics.newsRaw.name), 180_000, () => 'the score stage to work off the backlog');
      await waitFor(() => caughtUp(kafka, groups.windows, topics.windowEvents.name), 60_000, () => 'the windows stage to work off the backlog');
    },
  };
}

async function lateDropped(app: SentimentMonitor): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${app.httpPort}/metrics`)).text();
  const value = /^tuneline_sentiment_late_events_dropped (\d+)/m.exec(text)?.[1];
  if (value === undefined) throw new Error('no tuneline_sentiment_late_events_dropped on /metrics');
  return Number(value);
}

describe('the sample as one backlog, replayed as fast as possible', () => {
  const repo = mkdtempSync(join(tmpdir(), 'sentiment-monitor-repo-'));
  const kafka = testKafka('sentiment-monitor-backlog');
  const records = sampleRecords();
  const solo = run(kafka);
  const pair = run(kafka);
  const apps: SentimentMonitor[] = [];
  let soloKeys: string[] | undefined;

  const start = async (r: ReturnType<typeof run>, instance: string) => {
    const app = await startSentimentMonitor(testConfig(testEnv(repo, r.service, { SENTIMENT_INSTANCE_ID: instance, SENTIMENT_SOURCE_IDLE_MS: BACKLOG_SOURCE_IDLE_MS })), {
      logger: testLogger(`sentiment-monitor-backlog-${instance}`),
      metrics: createMetrics(),
      health: new HealthRegistry(),
      topics: r.topics,
      consumer: FAST_CONSUMER,
    });
    apps.push(app);
    return app;
  };

  beforeAll(async () => {
    for (const r of [solo, pair]) await createTestTopics(kafka, r.topics, r.service);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close()));
    for (const r of [solo, pair]) await deleteTestTopics(kafka, r.topics, r.service);
    rmSync(repo, { recursive: true, force: true });
  }, 60_000);

  it('one instance started on the whole backlog: the surge alerts, the steady entity does not, the ids are the oracle\'s', async () => {
    await produceNews(kafka, solo.topics.newsRaw, records);
    const app = await start(solo, 'solo');
    await solo.drained();

    const scored = (await readTopic(kafka, solo.topics.scored.name, TOPICS.sentimentScored.schema, { count: records.length, settleMs: 500 })).map((r) => r.value);
    expect(new Set(scored.map((s) => s.id)).size).toBe(records.length);
    const alerts = (await readTopic(kafka, solo.topics.alerts.name, TOPICS.sentimentAlerts.schema, { count: 1 })).map((r) => r.value);
    const keys = alerts.map((a) => a.key);
    expect(keys).toContain(SURGE);
    for (const steady of STEADY) expect(keys).not.toContain(steady);
    soloKeys = [...new Set(keys)].sort();
    const options = settingsOf(testConfig(testEnv(repo, solo.service, { SENTIMENT_SOURCE_IDLE_MS: BACKLOG_SOURCE_IDLE_MS }))).alerting;
    expect(soloKeys).toEqual([...new Set(oracleAlerts(scored, options).map((a) => a.key))].sort());
    // Sources that start later but earlier in event time are held for (engine: watermark ≤ first event − sourceIdleMs).
    expect(await lateDropped(app)).toBe(0);
    await app.close();
  });

  it('two instances splitting both stages, the backlog produced at once: alerts on the same keys, no late event', async () => {
    const two = [await start(pair, 'one'), await start(pair, 'two')];
    const owned = (stage: 'score' | 'windows') => two.map((a) => a.stages[stage].assignedPartitions());
    for (const stage of ['score', 'windows'] as const) {
      await waitFor(() => owned(stage).every((p) => p.length > 0) && owned(stage).flat().length === 6, 60_000, () => `the ${stage} partitions to be split (${JSON.stringify(owned(stage))})`);
    }
    await produceNews(kafka, pair.topics.newsRaw, records);
    await pair.drained();

    const alerts = (await readTopic(kafka, pair.topics.alerts.name, TOPICS.sentimentAlerts.schema, { count: 1 })).map((r) => r.value);
    const ids = alerts.map((a) => a.alertId);
    expect(new Set(ids).size).toBe(ids.length);
    const keys = alerts.map((a) => a.key);
    expect(soloKeys).toBeDefined();
    expect([...new Set(keys)].sort()).toEqual(soloKeys);
    expect(keys).toContain(SURGE);
    for (const steady of STEADY) expect(keys).not.toContain(steady);
    const late = (await lateDropped(two[0] as SentimentMonitor)) + (await lateDropped(two[1] as SentimentMonitor));
    expect(late).toBe(0);
  });
});
