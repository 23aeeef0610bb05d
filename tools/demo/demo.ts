/**
 * `npm run demo`: a tour of the running platform (start it with `npm start`). Three chat turns
 * (a template answer with its cited passage, a follow-up in the same session, a handoff), the
 * sample news replayed into news.raw until the Northwind Bank surge alert fires (printed as the
 * SSE stream delivers it), and a user's ranking before and after likes recorded with gRPC
 * RecordFeedback. Flags in options.ts.
 */
import { resolve } from 'node:path';
import { Metadata } from '@grpc/grpc-js';
import { recommendV1 } from '@tuneline/proto';
import {
  endpointsFromEnv,
  type PlatformEndpoints,
  deadline,
  platformClients,
  unary,
  type PlatformClients,
  requestJson,
  waitForSse,
  startReplay,
  SURGE_ENTITY,
} from '@tuneline/platform-client';
import { DEMO_USAGE, DemoUsageError, parseDemoOptions, type DemoOptions } from './options';
import { RANKING_WAIT_MS, rankingChangeLines, rankingLines, topChanged, type Ranked } from './ranking-change';

const ROOT = resolve(__dirname, '../..');
const say = (line = ''): void => void process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Ranking places shown before and after the likes. */
const TOP = 5;

async function checkReady(endpoints: PlatformEndpoints): Promise<void> {
  const services = { 'support-chat': endpoints.supportChat.http, 'sentiment-monitor': endpoints.sentiment.http, recommender: endpoints.recommender.http };
  for (const [name, url] of Object.entries(services)) {
    const res = await requestJson(`${url}/readyz`, undefined, 5_000).catch((err: Error) => ({ status: 0, body: { error: err.message } }));
    if (res.status !== 200) throw new Error(`${name} is not ready at ${url}/readyz (${res.status || 'no answer'}); start the platform with npm start`);
  }
}

async function chat(endpoints: PlatformEndpoints): Promise<void> {
  say('== Support chat (POST /v1/chat)');
  const sessionId = `demo-${Date.now().toString(36)}`;
  const turns = [
    ['a template answer', 'My new card still has not arrived, when will it come?'],
    ['a follow-up in the same session', 'And how do I change my PIN once it is here?'],
    ['a handoff', 'can I speak with a human'],
  ] as const;
  for (const [what, text] of turns) {
    const res = await requestJson(`${endpoints.supportChat.http}/v1/chat`, { sessionId, text });
    if (res.status !== 200) throw new Error(`chat answered ${res.status}: ${JSON.stringify(res.body)}`);
    const b = res.body as { intent?: string; confidence?: number; handoff?: boolean; reply?: string; citations?: { title?: string }[] };
    say(`-- ${what}: "${text}"`);
    say(`   intent ${b.intent} (confidence ${(b.confidence ?? 0).toFixed(2)})${b.handoff ? '  ** HANDED OFF to a human agent **' : ''}`);
    say(`   reply: ${b.reply}`);
    const titles = [...new Set((b.citations ?? []).map((c) => c.title))];
    if (titles.length) say(`   cites: ${titles.join('; ')}`);
  }
  say();
}

interface AlertJson {
  name: string; severity: string; negativeShare: number; baselineNegativeShare: number; totalCount: number;
  windowStart: string; windowEnd: string; raisedAt: string; topHeadlines: { title: string; negativeProb: number }[];
}

function printAlert(a: AlertJson): void {
  say(`   ${a.severity} on ${a.name}: negative share ${(a.negativeShare * 100).toFixed(0)}% vs baseline ${(a.baselineNegativeShare * 100).toFixed(0)}% over ${a.totalCount} items, window ${a.windowStart} .. ${a.windowEnd}`);
  for (const h of a.topHeadlines.slice(0, 3)) say(`   - ${h.title} (P(negative) ${h.negativeProb.toFixed(2)})`);
}

/** How long after the replay ends a new alert may still arrive (scoring lag). */
const ALERT_GRACE_MS = 30_000;

async function alerts(endpoints: PlatformEndpoints, opts: DemoOptions): Promise<void> {
  say(`== Sentiment monitor: replaying the sample news at ${opts.rate}/s until the ${SURGE_ENTITY} alert fires`);
  const since = Date.now();
  const url = `${endpoints.sentiment.http}/v1/alerts/stream?entity=${encodeURIComponent(SURGE_ENTITY)}&resume_token=djE6`;
  let held: AlertJson | undefined; // the latest alert from an earlier replay (djE6 replays every held one)
  const replayDone = new AbortController();
  const replay = startReplay(ROOT, endpoints.kafkaBrokers, opts.rate);
  let replayError = '';
  replay.stderr?.on('data', (b: Buffer) => (replayError += b.toString()));
  let stopping = false; // the demo stops the replay itself once the alert is in
  replay.on('exit', (code) => {
    if (code && !stopping) say(`   (replay exited with ${code}: ${replayError.trim().slice(-300)})`);
    setTimeout(() => replayDone.abort(new Error('replay over')), ALERT_GRACE_MS).unref();
  });
  try {
    const ev = await waitForSse(
      url,
      (e) => {
        if (e.event !== 'alert') return false;
        const a = JSON.parse(e.data) as AlertJson;
        if (Date.parse(a.raisedAt) >= since) return true;
        held = a;
        return false;
      },
      { timeoutMs: opts.alertTimeoutS * 1_000, signal: replayDone.signal },
    );
    say(`-- ALERT after ${((Date.now() - since) / 1000).toFixed(0)} s (GET /v1/alerts/stream):`);
    printAlert(JSON.parse(ev.data) as AlertJson);
  } catch (err) {
    if (!replayDone.signal.aborted || !held) throw err;
    // docs/sentiment-monitor.md: a replay within 6 h of the last one is late for the windows.
    say('-- no new alert: the sample was replayed in the last 6 hours, so its rebased times are older than');
    say(`   what the windows have seen. The alert the earlier replay raised (at ${held.raisedAt}):`);
    printAlert(held);
  } finally {
    stopping = true;
    replay.kill('SIGTERM');
  }
  say();
}

async function recommend(clients: PlatformClients, userId: string, k: number): Promise<Ranked[]> {
  const res = await unary<recommendV1.RecommendResponse>((cb) => clients.recommender.recommend({ userId, k }, new Metadata(), deadline(30_000), cb));
  return res.items.map((i) => ({ itemId: i.itemId, title: i.title, score: i.score }));
}

async function ranking(clients: PlatformClients, user: string): Promise<void> {
  say(`== Recommender: user ${user} (gRPC Recommend, RecordFeedback)`);
  const before = await recommend(clients, user, 10);
  rankingLines('before', before.slice(0, TOP)).forEach((l) => say(l));
  // Likes for the items ranked 6-8: they are seen afterwards (filtered), and what resembles them rises.
  const liked = before.slice(5, 8);
  for (const item of liked) {
    await unary((cb) => clients.recommender.recordFeedback({ userId: user, itemId: item.itemId, type: recommendV1.FeedbackType.FEEDBACK_TYPE_LIKE, value: 0 }, new Metadata(), deadline(30_000), cb));
  }
  say(`-- recorded LIKE for: ${liked.map((i) => i.title ?? i.itemId).join('; ')}`);
  // The profile changes when the service consumes user.events (normally well under a second).
  const until = Date.now() + RANKING_WAIT_MS;
  let after = before;
  while (!topChanged(before, after, TOP) && Date.now() < until) {
    await sleep(250);
    after = await recommend(clients, user, 10);
  }
  rankingChangeLines(before, after, TOP, RANKING_WAIT_MS).forEach((l) => say(l));
  say();
}

async function main(): Promise<void> {
  let opts: DemoOptions;
  try {
    opts = parseDemoOptions(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof DemoUsageError)) throw err;
    process.stderr.write(`demo: ${err.message}\n${DEMO_USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  const endpoints = endpointsFromEnv();
  await checkReady(endpoints);
  const clients = platformClients(endpoints);
  try {
    await chat(endpoints);
    await alerts(endpoints, opts);
    await ranking(clients, opts.user);
    say('Done. The console shows the same live: npm start prints its URL.');
  } finally {
    clients.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`demo: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
