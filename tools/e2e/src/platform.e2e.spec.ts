/**
 * End to end: the platform started exactly as `npm start` starts it (tools/up.sh --detach), then
 * a chat reply over HTTP and gRPC (the printed curl and gRPC lines, run as printed) and through
 * the console, an alert on sentiment.alerts, on the monitor's SSE stream and on the console's
 * after replaying the sample news, a ranking, and a trainer-published intent model hot-swapped into the running support-chat under a request
 * loop with zero failed requests. Stops everything it started, also on failure.
 */
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ChildProcess } from 'node:child_process';
import { Metadata } from '@grpc/grpc-js';
import {
  endpointsFromEnv,
  type PlatformEndpoints,
  platformClients,
  unary,
  deadline,
  type PlatformClients,
  requestJson,
  waitForSse,
  startReplay,
  SURGE_ENTITY,
  waitForKafkaAlert,
} from '@tuneline/platform-client';
import { dropPublishedVersions, e2eEnv, MODEL_REPO, modelVersions, ROOT, runScript } from './platform-run';
import { startSentimentStagesAtEnd } from './sentiment-start';

const run = promisify(execFile);
const INTENT_MODEL = 'support-intent';
/** Session ids of this run: sessions live in Redis, and a handed-off session refuses further turns. */
const RUN = Date.now().toString(36);

let env: Record<string, string>;
let endpoints: PlatformEndpoints;
let clients: PlatformClients | undefined;
let upOutput = '';
let publishedVersion: number | undefined;

/** The line of up.sh's output that starts (after spaces) with `<prefix>`, without it. */
function printedLine(prefix: string, mustContain: string): string {
  const line = upOutput.split('\n').find((l) => l.trim().startsWith(prefix) && l.includes(mustContain));
  if (!line) throw new Error(`up.sh printed no "${prefix}" line with ${mustContain}:\n${upOutput}`);
  return line.trim().slice(prefix.length).trim();
}

async function shell(command: string): Promise<string> {
  const { stdout } = await run('bash', ['-c', command], { cwd: ROOT, env, timeout: 60_000 });
  return stdout;
}

beforeAll(async () => {
  env = e2eEnv();
  endpoints = endpointsFromEnv(env);
  // A run killed before its afterAll may have left services (and a published version) behind.
  await runScript('tools/stop.sh', env, 120_000);
  dropPublishedVersions(INTENT_MODEL);
  await startSentimentStagesAtEnd(endpoints.kafkaBrokers);
  const started = Date.now();
  const up = await runScript('tools/up.sh', env, 15 * 60_000);
  upOutput = up.output;
  process.stdout.write(`e2e: tools/up.sh ready in ${((Date.now() - started) / 1000).toFixed(1)} s (exit ${up.code})\n`);
  if (up.code !== 0) throw new Error(`tools/up.sh failed (exit ${up.code}):\n${up.output.slice(-6000)}`);
  clients = platformClients(endpoints);
}, 16 * 60_000);

afterAll(async () => {
  clients?.close();
  const stop = await runScript('tools/stop.sh', env, 180_000);
  if (stop.code !== 0) process.stderr.write(`tools/stop.sh: ${stop.output}\n`);
  if (publishedVersion !== undefined) rmSync(join(MODEL_REPO, INTENT_MODEL, String(publishedVersion)), { recursive: true, force: true });
}, 200_000);

describe('the platform as npm start runs it', () => {
  it('prints, per service, a curl line and a gRPC client line on its own ports', () => {
    expect(upOutput).toContain('Tuneline is ready');
    expect(printedLine('curl:', ':38081/v1/chat')).toMatch(/^curl -s -X POST http:\/\/127\.0\.0\.1:38081\/v1\/chat/);
    expect(printedLine('grpc:', 'support-chat')).toMatch(/^npm run -s grpc -- --addr 127\.0\.0\.1:38061 support-chat Chat /);
    expect(printedLine('grpc:', 'sentiment-monitor')).toContain('--addr 127.0.0.1:38062 sentiment-monitor ScoreTexts');
    expect(printedLine('grpc:', 'recommender')).toContain('--addr 127.0.0.1:38063 recommender Recommend');
    expect(printedLine('console:', '38080')).toBe(`${endpoints.consoleHttp}/`);
  });

  it('answers a chat turn over HTTP (the printed curl line) and over gRPC (the printed client line)', async () => {
    const http = JSON.parse(await shell(printedLine('curl:', ':38081/v1/chat'))) as Record<string, unknown>;
    expect(http).toMatchObject({ sessionId: 'demo-1', intent: 'card_arrival', model: { name: INTENT_MODEL } });
    expect(String(http['reply'])).toMatch(/card/i);
    const grpc = JSON.parse(await shell(printedLine('grpc:', 'support-chat'))) as Record<string, unknown>;
    expect(grpc).toMatchObject({ sessionId: 'demo-1', intent: 'card_arrival', model: { name: INTENT_MODEL } });
    // Asking for a person hands the session off (talk_to_human is a human intent by default).
    const handoff = await unary<{ handoff: boolean; intent: string }>((cb) =>
      clients?.supportChat.chat({ sessionId: `e2e-handoff-${RUN}`, text: 'can I speak with a human', locale: '' }, cb),
    );
    expect(handoff).toMatchObject({ handoff: true, intent: 'talk_to_human' });
    // Through the console's backend-for-frontend, which calls support-chat over gRPC.
    const viaConsole = await requestJson(`${endpoints.consoleHttp}/api/chat`, { sessionId: `e2e-console-${RUN}`, text: 'I forgot my PIN' });
    expect(viaConsole.status).toBe(200);
    expect(viaConsole.body).toMatchObject({ intent: 'pin_reset' });
  }, 120_000);

  it('ranks items for a sample user over HTTP and gRPC', async () => {
    const res = await requestJson(`${endpoints.recommender.http}/v1/recommend`, { userId: '1', k: 5 });
    expect(res.status).toBe(200);
    const items = res.body['items'] as { itemId: string; rank: number; score: number }[];
    expect(items.map((i) => i.rank)).toEqual([1, 2, 3, 4, 5]);
    const scores = items.map((i) => i.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    const grpc = JSON.parse(await shell(printedLine('grpc:', 'recommender'))) as { items: { itemId: string }[] };
    expect(grpc.items.map((i) => i.itemId)).toEqual(items.map((i) => i.itemId));
  }, 120_000);

  it('raises the sample surge alert on sentiment.alerts, the monitor SSE stream and the console SSE stream', async () => {
    const since = new Date();
    const sseUrl = `${endpoints.sentiment.http}/v1/alerts/stream?entity=${encodeURIComponent(SURGE_ENTITY)}&resume_token=djE6`;
    const isSurge = (data: string): boolean => {
      const alert = JSON.parse(data) as { name?: string; raisedAt?: string };
      return alert.name === SURGE_ENTITY && Date.parse(alert.raisedAt ?? '') >= since.getTime();
    };
    // npm start brings the console up beside the services: its alert stream to the monitor may
    // still be reconnecting when up.sh reports ready (the route then answers 503, by design).
    await untilConsoleAlertsUp(`${endpoints.consoleHttp}/api/alerts/stream`, 60_000);
    const onKafka = waitForKafkaAlert(endpoints.kafkaBrokers, SURGE_ENTITY, since, 240_000);
    const onSse = waitForSse(sseUrl, (ev) => ev.event === 'alert' && isSurge(ev.data), { timeoutMs: 240_000 });
    // The console's stream (its one StreamAlerts to the monitor, fanned out): alert JSON with `entity`.
    const consoleUrl = `${endpoints.consoleHttp}/api/alerts/stream?entity=${encodeURIComponent(SURGE_ENTITY)}`;
    const onConsole = waitForSse(
      consoleUrl,
      (ev) => {
        const alert = JSON.parse(ev.data) as { entity?: string; raisedAt?: string };
        return ev.event === 'alert' && alert.entity === SURGE_ENTITY && Date.parse(alert.raisedAt ?? '') >= since.getTime();
      },
      { timeoutMs: 240_000 },
    );
    let replay: ChildProcess | undefined;
    try {
      replay = startReplay(ROOT, endpoints.kafkaBrokers, 10);
      const [kafkaAlert, sseAlert, consoleAlert] = await Promise.all([onKafka, onSse, onConsole]);
      expect(kafkaAlert).toMatchObject({ name: SURGE_ENTITY, kind: 'entity' });
      expect(kafkaAlert.negativeShare).toBeGreaterThan(kafkaAlert.baselineNegativeShare);
      expect(JSON.parse(sseAlert.data)).toMatchObject({ name: SURGE_ENTITY, kind: 'entity' });
      expect(JSON.parse(consoleAlert.data)).toMatchObject({ entity: SURGE_ENTITY, kind: 'entity' });
    } finally {
      replay?.kill('SIGTERM');
      // On a failure the other waits are still open (a Kafka consumer, SSE requests): let them end
      // (their timeouts match) so nothing runs on after the test, or after jest's teardown.
      await Promise.allSettled([onKafka, onSse, onConsole]);
    }
  }, 270_000);

  it('hot-swaps a model the trainer publishes into the running support-chat with zero failed requests', async () => {
    const before = modelVersions(INTENT_MODEL);
    const served = String(before[before.length - 1]);
    const next = String(Number(served) + 1);
    const load = { stop: false, ok: 0, failures: [] as string[], versions: new Map<string, number>() };
    // One session per request: a turn the service hands off (its answer, not a failure) ends its session.
    const texts = ['I forgot my PIN', 'my address is outdated', 'which rate do you use for foreign payments', 'how do I see my balance'];
    const count = (v: string | undefined): void => {
      load.versions.set(v ?? '?', (load.versions.get(v ?? '?') ?? 0) + 1);
      load.ok++;
    };
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const httpLoop = async () => {
      for (let i = 0; !load.stop; i++) {
        try {
          const res = await requestJson(`${endpoints.supportChat.http}/v1/chat`, { sessionId: `swap-http-${RUN}-${i}`, text: texts[i % texts.length] });
          const model = res.body['model'] as { version?: string } | undefined;
          if (res.status !== 200 || !model?.version) load.failures.push(`HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
          else count(model.version);
        } catch (err) {
          load.failures.push(`HTTP ${(err as Error).message}`);
        }
        await sleep(100);
      }
    };
    const grpcLoop = async () => {
      for (let i = 0; !load.stop; i++) {
        try {
          const res = await unary<{ model?: { version: string } }>((cb) =>
            clients?.supportChat.chat({ sessionId: `swap-grpc-${RUN}-${i}`, text: texts[i % texts.length] ?? '', locale: '' }, new Metadata(), deadline(30_000), cb),
          );
          if (!res.model?.version) load.failures.push(`gRPC no model in ${JSON.stringify(res).slice(0, 200)}`);
          else count(res.model.version);
        } catch (err) {
          load.failures.push(`gRPC ${(err as Error).message}`);
        }
        await sleep(100);
      }
    };
    const loops = Promise.all([httpLoop(), grpcLoop()]);
    try {
      const trainer = await run(
        join(ROOT, 'apps/trainer/bin/tuneline'),
        ['finetune', '--task', 'classify', '--data', 'libs/finetune/samples/support-intents.jsonl', '--out', MODEL_REPO, '--name', INTENT_MODEL, '--publish', '--brokers', endpoints.kafkaBrokers],
        { cwd: ROOT, env, timeout: 300_000 },
      );
      const result = JSON.parse(trainer.stdout.trim().split('\n').pop() ?? '{}') as { version?: string; published?: unknown };
      expect(result.version).toBe(next);
      expect(result.published).toMatchObject({ topic: 'model.published' });
      publishedVersion = Number(next);
      // The follower copies, verifies, loads and warms the new version, then swaps.
      const until = Date.now() + 240_000;
      while ((load.versions.get(next) ?? 0) < 20 && Date.now() < until) await sleep(250);
    } finally {
      load.stop = true;
      await loops;
    }
    process.stdout.write(`e2e swap: ${load.ok} ok, ${load.failures.length} failed, by version ${JSON.stringify(Object.fromEntries(load.versions))}\n`);
    expect(load.failures).toEqual([]);
    expect(load.versions.get(served)).toBeGreaterThan(0);
    expect(load.versions.get(next)).toBeGreaterThanOrEqual(20);
  }, 600_000);
});

/** Polls the console's alert stream until it opens (200) instead of 503; fails naming the last answer. */
async function untilConsoleAlertsUp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    const ctl = new AbortController();
    try {
      const res = await fetch(url, { headers: { accept: 'text/event-stream' }, signal: ctl.signal });
      if (res.status === 200) return;
      last = `${res.status}: ${await res.text()}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    } finally {
      ctl.abort();
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  throw new Error(`${url} did not open within ${timeoutMs} ms; last answer ${last}`);
}
