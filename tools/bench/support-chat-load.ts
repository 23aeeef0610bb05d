/**
 * Support chat load (product issue: support chat). Starts apps/support-chat as a child process,
 * the way `nx run support-chat:serve` does (tsx with apps/support-chat/tsconfig.serve.json), on
 * free ports with a throwaway model repository (the sample intent model is fine-tuned at start,
 * as on a fresh checkout), the default embedding cache, events on (Kafka at KAFKA_BROKERS), auth
 * off and the model follower off (nobody's model.published may swap the model mid-run). Then,
 * one after the other and interleaved --reps times:
 *   service    autocannon, --connections connections, POST /v1/chat; each request is the first
 *              turn of a new session carrying the next distinct message (tools/bench/chat-load.ts)
 *   classifier the bare libs/inference Classifier on the model directory the service serves,
 *              --connections concurrent callers of predict([text]) over the same messages: the ceiling
 *   modelWork  Classifier + the knowledge-base Encoder on each text, in parallel, as a turn does
 *              (classification and the retrieval query's embedding): where the ceiling's share goes
 * each for --duration seconds after a --warmup. The median run of each mode is reported.
 *   npx tsx --tsconfig tools/tsconfig.json tools/bench/support-chat-load.ts [--messages FILE|samples] [--duration 20] [--reps 3]
 * Merges turnsPerSec, classifierTextsPerSec, serviceToClassifierRatio, p50Ms, p99Ms into
 * docs/benchmarks/support-chat.json (the quality bench's keys stay), details under details.load.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import autocannon from 'autocannon';
import { ALL_TOPICS, createKafka, ensureTopics } from '@tuneline/events';
import { Classifier, defaultCacheRoot, Encoder, inferenceEnvSchema, ModelRepository, resolveModelDir, textModelOptionsFromEnv } from '@tuneline/inference';
import { DEFAULT_MAX_MESSAGE_CHARS } from '@tuneline/support';
import { machineLabel, medianRun, runCli } from './bench-cli';
import { mergeBenchJson, SUPPORT_CHAT_FLAT_KEYS } from './bench-json';
import { closedLoop, distinctMessages, eventCounts, loadFlat, MessageCycler, serviceRun, type RunStats, type ServiceRun } from './chat-load';
import { supportChatLoadOptions } from './options';
import { fieldOf, readRecords } from './sentences';
import { round } from './stats';

/** The issue's targets. */
const TARGET_RATIO = 0.7;
const TARGET_TAIL = 3;
const QUIET_LOAD = 0.8;
const INTENT_MODEL = 'support-intent';
const READY_TIMEOUT_MS = 300_000;

const root = process.cwd();
const opts = runCli((argv) => supportChatLoadOptions(argv, root));
const messages = runCli(() => distinctMessages(fieldOf(opts.messages, readRecords(opts.messages), opts.textField), DEFAULT_MAX_MESSAGE_CHARS));
const log = (m: string) => process.stderr.write(`[support-chat-load] ${m}\n`);
const load1 = () => round(loadavg()[0] as number, 2);

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });
}

function reachable(hostPort: string, timeoutMs = 3_000): Promise<boolean> {
  const i = hostPort.lastIndexOf(':');
  return new Promise((res) => {
    const sock = createConnection({ host: hostPort.slice(0, i), port: Number(hostPort.slice(i + 1)) });
    const done = (ok: boolean) => { sock.destroy(); res(ok); };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Service {
  readonly child: ChildProcess;
  readonly url: string;
  readonly logFile: string;
  readonly exited: () => boolean;
}

function startService(repo: string, logFile: string): Promise<Service> {
  return Promise.all([freePort(), freePort()]).then(([http, grpc]) => {
    const fd = openSync(logFile, 'w');
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'apps/support-chat/src/main.ts')], {
      cwd: root, stdio: ['ignore', fd, fd],
      env: {
        ...process.env, TSX_TSCONFIG_PATH: join(root, 'apps/support-chat/tsconfig.serve.json'), HTTP_PORT: String(http), GRPC_PORT: String(grpc),
        BIND_HOST: '127.0.0.1', TUNELINE_MODEL_REPO: repo, AUTH_MODE: 'off', SUPPORT_FOLLOW_MODELS: 'false', SUPPORT_PUBLISH_EVENTS: String(opts.events),
      },
    });
    closeSync(fd);
    let gone = false;
    child.once('exit', () => { gone = true; });
    return { child, url: `http://127.0.0.1:${http}`, logFile, exited: () => gone };
  });
}

async function waitReady(s: Service): Promise<void> {
  const t0 = Date.now();
  while (Date.now() - t0 < READY_TIMEOUT_MS) {
    if (s.exited()) throw new Error(`support-chat exited before it was ready; its log (${s.logFile}):\n${tail(s.logFile)}`);
    try {
      if ((await fetch(`${s.url}/readyz`)).ok) return;
    } catch { /* not listening yet */ }
    await sleep(500);
  }
  throw new Error(`support-chat not ready after ${READY_TIMEOUT_MS / 1000} s; its log (${s.logFile}):\n${tail(s.logFile)}`);
}

function tail(file: string, lines = 30): string {
  return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}

async function stopService(s: Service): Promise<void> {
  if (s.exited()) return;
  const exited = new Promise<void>((r) => s.child.once('exit', () => r()));
  s.child.kill('SIGTERM');
  const timer = setTimeout(() => s.child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

/**
 * autocannon ends a run by closing its sockets, not by waiting for the answers: the turns then
 * in flight still run in the service. Wait until its CPU falls below a fifth of a core (sampled
 * every 500 ms from /metrics, at most 60 s) so they never overlap the next measurement.
 */
async function waitIdle(url: string): Promise<number> {
  const cpu = async () => {
    const m = /^process_cpu_seconds_total\{[^}]*\}\s+(\S+)/m.exec(await (await fetch(`${url}/metrics`)).text());
    return Number(m?.[1] ?? NaN);
  };
  const t0 = performance.now();
  let last = await cpu(), at = performance.now();
  while (performance.now() - t0 < 60_000) {
    await sleep(500);
    const now = await cpu(), t = performance.now();
    const cores = (now - last) / ((t - at) / 1000);
    if (!(cores >= 0.2)) break;
    last = now;
    at = t;
  }
  return performance.now() - t0;
}

async function cannon(url: string, seconds: number, cycler: MessageCycler): Promise<ServiceRun> {
  const result = await autocannon({
    url, connections: opts.connections, duration: seconds, timeout: 60,
    requests: [{ method: 'POST', path: '/v1/chat', headers: { 'content-type': 'application/json' }, setupRequest: (req) => ({ ...req, body: cycler.nextBody() }) }],
  });
  const run = serviceRun(result);
  const waited = await waitIdle(url);
  if (waited > 1_000) log(`service busy ${(waited / 1000).toFixed(1)} s after the run (answering turns autocannon stopped waiting for)`);
  return run;
}

/** Log records at warn (pino 40) and above in the service log, by message. */
function warnings(file: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const rec = JSON.parse(line) as { level?: number | string; msg?: string };
      const level = typeof rec.level === 'number' ? rec.level : ({ warn: 40, error: 50, fatal: 60 } as Record<string, number>)[rec.level ?? ''] ?? 0;
      if (level >= 40) out[rec.msg ?? '?'] = (out[rec.msg ?? '?'] ?? 0) + 1;
    } catch { /* not a log record */ }
  }
  return out;
}

type Mode = 'service' | 'classifier' | 'modelWork';
interface Measured { readonly rep: number; readonly load1: number; readonly stats: RunStats | ServiceRun }

async function main(): Promise<void> {
  const started = new Date();
  if (load1() >= QUIET_LOAD) log(`WARNING: 1-minute load average ${load1()} >= ${QUIET_LOAD}: the machine is not quiet, figures will be low`);
  const brokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',').map((b) => b.trim()).filter(Boolean);
  if (opts.events && !(await reachable(brokers[0] as string))) {
    throw new Error(`Kafka does not answer at ${brokers[0]} (KAFKA_BROKERS): start it (npm run kafka:start) or pass --no-events`);
  }
  if (opts.events) {
    // As `npm start` does (tools/kafka/ensure-topics.ts): support.conversations / support.handoff must exist, or every publish is refused.
    const { created } = await ensureTopics(createKafka({ clientId: 'support-chat-load-bench', brokers: brokers.join(',') }), ALL_TOPICS);
    if (created.length) log(`created topics: ${created.join(', ')}`);
  }
  log(`${messages.length} distinct messages from ${opts.messages} (field ${opts.textField})`);

  const work = mkdtempSync(join(tmpdir(), 'support-chat-load-'));
  const logDir = resolve(root, '.cache/bench/support-chat-load');
  mkdirSync(logDir, { recursive: true });
  const svc = await startService(join(work, 'repo'), join(logDir, 'service.log'));
  let classifier: Classifier | undefined;
  let encoder: Encoder | undefined;
  try {
    const t0 = Date.now();
    await waitReady(svc);
    log(`service ready at ${svc.url} in ${((Date.now() - t0) / 1000).toFixed(1)} s (log: ${svc.logFile})`);

    // The ceiling loads exactly the version directory the service serves, with the same model options (from the same environment).
    const version = new ModelRepository({ root: join(work, 'repo') }).latestVersion(INTENT_MODEL);
    const modelDir = join(work, 'repo', INTENT_MODEL, version);
    const modelOptions = textModelOptionsFromEnv(inferenceEnvSchema.parse(process.env));
    classifier = await Classifier.load(modelDir, modelOptions);
    const encoderDir = resolveModelDir(process.env['TUNELINE_MODEL'] ?? 'default', { TUNELINE_CACHE: defaultCacheRoot(process.env) });
    encoder = await Encoder.load(encoderDir, { ...modelOptions, name: 'bench-kb-encoder' });
    const clf = classifier, enc = encoder;

    const runId = Date.now().toString(36);
    const cyclers: Record<Mode, MessageCycler> = {
      service: new MessageCycler(messages, `load-${runId}`),
      classifier: new MessageCycler(messages, 'ceiling'),
      modelWork: new MessageCycler(messages, 'model-work'),
    };
    const measure: Record<Mode, (seconds: number) => Promise<RunStats | ServiceRun>> = {
      service: (s) => cannon(svc.url, s, cyclers.service),
      classifier: (s) => closedLoop(opts.connections, s * 1000, () => cyclers.classifier.next().text, (t) => clf.predict([t])),
      modelWork: (s) => closedLoop(opts.connections, s * 1000, () => cyclers.modelWork.next().text, (t) => Promise.all([clf.predict([t]), enc.embed([t])])),
    };
    const modes: Mode[] = ['service', 'classifier', 'modelWork'];
    const runs: Record<Mode, Measured[]> = { service: [], classifier: [], modelWork: [] };
    for (let rep = 1; rep <= opts.reps; rep++) {
      for (const mode of modes) {
        if (rep === 1 && opts.warmupS > 0) {
          log(`${mode}: warm-up ${opts.warmupS} s`);
          await measure[mode](opts.warmupS);
        }
        const l = load1();
        const stats = await measure[mode](opts.durationS);
        runs[mode].push({ rep, load1: l, stats });
        log(`rep ${rep}/${opts.reps} ${mode}: ${stats.perSec.toFixed(1)}/s, p50 ${stats.p50Ms.toFixed(1)} ms, p99 ${stats.p99Ms.toFixed(1)} ms`
          + `${'non2xx' in stats ? `, non-2xx ${stats.non2xx}, errors ${stats.errors}` : ''} (load ${l})`);
      }
    }
    const metricsText = await (await fetch(`${svc.url}/metrics`)).text();
    const served = await (await fetch(`${svc.url}/v1/chat`, { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sessionId: `load-${runId}-probe`, text: messages[0] }) })).json() as { model?: { name?: string; version?: string } };

    const median = (mode: Mode) => medianRun(runs[mode], (r) => r.stats.perSec);
    const svcMed = median('service'), clfMed = median('classifier'), mwMed = median('modelWork');
    const flat = loadFlat(svcMed.stats, clfMed.stats);
    const all = runs.service.map((r) => r.stats as ServiceRun);
    const nonSuccess = { non2xx: all.reduce((s, r) => s + r.non2xx, 0), errors: all.reduce((s, r) => s + r.errors, 0), timeouts: all.reduce((s, r) => s + r.timeouts, 0) };
    const tail = round(flat.p99Ms / flat.p50Ms, 2);
    const r1 = (x: number) => round(x, 1);
    const view = (m: Measured) => ({ rep: m.rep, load1: m.load1, perSec: r1(m.stats.perSec), p50Ms: r1(m.stats.p50Ms), p99Ms: r1(m.stats.p99Ms), completed: m.stats.completed,
      seconds: round(m.stats.seconds, 2), ...('non2xx' in m.stats ? { non2xx: m.stats.non2xx, errors: m.stats.errors, statusCodes: m.stats.statusCodes } : {}) });

    const command = `npx tsx --tsconfig tools/tsconfig.json tools/bench/support-chat-load.ts ${opts.flags}`;
    const text = mergeBenchJson(resolve(root, opts.outJson), {
      part: 'load', command, date: started.toISOString(), machine: machineLabel(), flat,
      nested: {
        details: {
          load: {
            models: 'service = apps/support-chat child process (tsx, tsconfig.serve.json; in-memory sessions, events on unless --no-events, auth off, follower off, '
              + 'LOG_LEVEL from the environment (default info: one log line per turn), sentiment off) under autocannon POST /v1/chat, each request the first turn '
              + 'of a new session with the next distinct message; classifier = bare Classifier.predict([text]) on the served version directory, same concurrency, '
              + 'same messages, same duration, in the bench process; modelWork = Classifier.predict and the knowledge-base Encoder.embed on each text in parallel '
              + '(the two model passes a turn makes), same concurrency. Modes run one after the other, interleaved per rep; figures are the median rep by rate.',
            messages: { file: opts.samples ? 'samples' : relative(root, opts.messages), field: opts.textField, distinct: messages.length },
            connections: opts.connections, durationS: opts.durationS, warmupS: opts.warmupS, reps: opts.reps, publishEvents: opts.events,
            servedModel: served.model ?? null, encoder: relative(root, encoderDir),
            modelWorkTurnsPerSec: r1(mwMed.stats.perSec), modelWorkP50Ms: r1(mwMed.stats.p50Ms), modelWorkP99Ms: r1(mwMed.stats.p99Ms),
            modelWorkToClassifierRatio: round(mwMed.stats.perSec / clfMed.stats.perSec, 3), serviceToModelWorkRatio: round(svcMed.stats.perSec / mwMed.stats.perSec, 3),
            classifierP50Ms: r1(clfMed.stats.p50Ms), classifierP99Ms: r1(clfMed.stats.p99Ms),
            p99OverP50: tail, nonSuccess, load1Start: runs.service[0]?.load1 ?? null,
            eventsTotal: eventCounts(metricsText), serviceWarnings: warnings(svc.logFile),
            targets: {
              serviceToClassifierRatio: { target: `>= ${TARGET_RATIO}`, value: flat.serviceToClassifierRatio, met: flat.serviceToClassifierRatio >= TARGET_RATIO },
              p99OverP50: { target: `<= ${TARGET_TAIL}`, value: tail, met: tail <= TARGET_TAIL },
            },
            runs: { service: runs.service.map(view), classifier: runs.classifier.map(view), modelWork: runs.modelWork.map(view) },
          },
        },
      },
    }, SUPPORT_CHAT_FLAT_KEYS);
    process.stdout.write(text);
    if (nonSuccess.non2xx + nonSuccess.errors > 0) log(`WARNING: ${nonSuccess.non2xx} non-2xx responses and ${nonSuccess.errors} errors across the service runs (see details.load.runs.service[].statusCodes)`);
    log(`turns/s ${flat.turnsPerSec} vs classifier ${flat.classifierTextsPerSec} texts/s: ratio ${flat.serviceToClassifierRatio} (target >= ${TARGET_RATIO}: `
      + `${flat.serviceToClassifierRatio >= TARGET_RATIO ? 'met' : 'NOT met'}); p50 ${flat.p50Ms} ms, p99 ${flat.p99Ms} ms, p99/p50 ${tail} (target <= ${TARGET_TAIL}: `
      + `${tail <= TARGET_TAIL ? 'met' : 'NOT met'}); model work (classifier + KB encoder) ${r1(mwMed.stats.perSec)}/s`);
  } finally {
    await classifier?.dispose();
    await encoder?.dispose();
    await stopService(svc);
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e: Error) => { process.stderr.write(`${e.stack}\n`); process.exit(1); });
