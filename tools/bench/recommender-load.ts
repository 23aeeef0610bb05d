/**
 * Recommender speed (issue 13). Starts apps/recommender as a child process, the way
 * `nx run recommender:serve` does (tsx with apps/recommender/tsconfig.serve.json), on free ports
 * with a throwaway model repository (the ranking head is trained at start, as on a fresh
 * checkout), the catalog and seeded profiles from --data, profiles in memory, the Kafka
 * consumers and the model follower off and auth off. Then, interleaved --reps times:
 *   rank       autocannon, --connections connections, POST /v1/rank with --candidates distinct catalog
 *              ids per request (seeded draw) and k = --k, users cycling over --data's users
 *   recommend  the same, POST /v1/recommend with k = --k (retrieval over the whole catalog, then ranking)
 *   rankInProcess / recommendInProcess  the same bodies through libs/recommend's Recommender in this
 *              process (same catalog, state and seeded profiles, the served head as a LocalRanker,
 *              profiles in memory), --connections concurrent callers: the model work without HTTP,
 *              JSON, admission and ONNX Runtime, i.e. what the service could reach
 * each for --duration seconds after a --warmup. The median run of each mode is reported.
 *   npx tsx --tsconfig tools/tsconfig.json tools/bench/recommender-load.ts [--data DIR|samples] [--duration 20] [--reps 3]
 * Merges rankRequestsPerSec, rankP50Ms, rankP99Ms, recommendRequestsPerSec, recommendP99Ms into
 * docs/benchmarks/recommender.json (the quality bench's keys stay), details under details.load.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import { Encoder, ModelRepository, resolveModelDir, sha256File } from '@tuneline/inference';
import {
  InMemoryProfileStore,
  ItemCatalog,
  LocalRanker,
  RECENT_LIKED,
  Recommender,
  buildOfflineState,
  featureHeadFromCard,
  loadMovieLens,
  type RankRequest,
  type RecommendRequest,
} from '@tuneline/recommend';
import { machineLabel, medianRun, runCli } from './bench-cli';
import { mergeBenchJson } from './bench-json';
import { closedLoop, serviceRun, type RunStats, type ServiceRun } from './chat-load';
import { RECOMMENDER_FLAT_KEYS } from './recommender-options';
import { BodyCycler, rankBodies, recommendBodies, recommenderLoadOptions, relativeData, speedFlat } from './recommender-load-plan';
import { round } from './stats';

const QUIET_LOAD = 0.8;
const READY_TIMEOUT_MS = 900_000;

const root = process.cwd();
const opts = runCli((argv) => recommenderLoadOptions(argv, root));
const log = (m: string) => process.stderr.write(`[recommender-load] ${m}\n`);
const load1 = () => round(loadavg()[0] as number, 2);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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

interface Service {
  readonly child: ChildProcess;
  readonly url: string;
  readonly logFile: string;
  readonly exited: () => boolean;
}

async function startService(repo: string, logFile: string): Promise<Service> {
  const [http, grpc] = await Promise.all([freePort(), freePort()]);
  const fd = openSync(logFile, 'w');
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'apps/recommender/src/main.ts')], {
    cwd: root, stdio: ['ignore', fd, fd],
    env: {
      ...process.env, TSX_TSCONFIG_PATH: join(root, 'apps/recommender/tsconfig.serve.json'), HTTP_PORT: String(http), GRPC_PORT: String(grpc),
      BIND_HOST: '127.0.0.1', TUNELINE_MODEL_REPO: repo, AUTH_MODE: 'off', RECOMMEND_FOLLOW_MODELS: 'false', RECOMMEND_CONSUME_EVENTS: 'false',
      RECOMMEND_DATA_DIR: opts.data, RECOMMEND_MAX_IN_FLIGHT: String(Math.max(256, opts.connections * 2)), REDIS_URL: '',
    },
  });
  closeSync(fd);
  let gone = false;
  child.once('exit', () => { gone = true; });
  return { child, url: `http://127.0.0.1:${http}`, logFile, exited: () => gone };
}

function tail(file: string, lines = 30): string {
  return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}

async function waitReady(s: Service): Promise<void> {
  const t0 = Date.now();
  while (Date.now() - t0 < READY_TIMEOUT_MS) {
    if (s.exited()) throw new Error(`recommender exited before it was ready; its log (${s.logFile}):\n${tail(s.logFile)}`);
    try {
      if ((await fetch(`${s.url}/readyz`)).ok) return;
    } catch { /* not listening yet */ }
    await sleep(500);
  }
  throw new Error(`recommender not ready after ${READY_TIMEOUT_MS / 1000} s; its log (${s.logFile}):\n${tail(s.logFile)}`);
}

async function stopService(s: Service): Promise<void> {
  if (s.exited()) return;
  const exited = new Promise<void>((r) => s.child.once('exit', () => r()));
  s.child.kill('SIGTERM');
  const timer = setTimeout(() => s.child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

/** Waits until the service's CPU falls below a fifth of a core (requests autocannon stopped waiting for, a start-up warm-up), at most `maxMs`. */
async function waitIdle(url: string, maxMs = 60_000): Promise<number> {
  const cpu = async () => Number(/^process_cpu_seconds_total\{[^}]*\}\s+(\S+)/m.exec(await (await fetch(`${url}/metrics`)).text())?.[1] ?? NaN);
  const t0 = performance.now();
  let last = await cpu(), at = performance.now();
  while (performance.now() - t0 < maxMs) {
    await sleep(500);
    const now = await cpu(), t = performance.now();
    if (!((now - last) / ((t - at) / 1000) >= 0.2)) break;
    last = now;
    at = t;
  }
  return performance.now() - t0;
}

async function cannon(url: string, path: string, seconds: number, bodies: BodyCycler): Promise<ServiceRun> {
  const result = await autocannon({
    url, connections: opts.connections, duration: seconds, timeout: 60,
    requests: [{ method: 'POST', path, headers: { 'content-type': 'application/json' }, setupRequest: (req) => ({ ...req, body: bodies.next() }) }],
  });
  const run = serviceRun(result);
  const waited = await waitIdle(url);
  if (waited > 1_000) log(`service busy ${(waited / 1000).toFixed(1)} s after the run`);
  return run;
}

type Mode = 'rank' | 'recommend' | 'rankInProcess' | 'recommendInProcess';
interface Measured { readonly rep: number; readonly load1: number; readonly stats: ServiceRun | RunStats }

/**
 * The service's model work in this process: the same data, the state built the same way, the
 * head the service trained (its model card, as a LocalRanker), the profiles seeded the same way.
 */
async function inProcessRecommender(repo: string, dataDir: string): Promise<{ recommender: Recommender; dispose: () => Promise<void> }> {
  const encoderDir = resolveModelDir(process.env['RECOMMEND_ENCODER'] ?? process.env['TUNELINE_MODEL'] ?? 'default', process.env);
  const encoder = await Encoder.load(encoderDir, { name: 'bench-item-encoder' });
  const [probe] = await encoder.embed(['dimension probe']);
  const catalog = await ItemCatalog.open({ embed: (t) => encoder.embed(t), dim: probe?.length ?? 0, encoderChecksum: await sha256File(join(encoderDir, 'model.onnx')), cacheDir: resolve(root, '.cache') });
  const files = { movies: join(dataDir, 'movies.csv'), ratings: join(dataDir, 'ratings.csv'), tags: join(dataDir, 'tags.csv') };
  const data = loadMovieLens(files);
  await catalog.upsertMany(data.catalog);
  const state = buildOfflineState(catalog, data.ratings);
  const profiles = new InMemoryProfileStore();
  for (const [userId, profile] of state.profiles) await profiles.update(userId, () => profile);
  // The service has these neighbours memoised (from training, or its start-up warm-up): so does this copy.
  for (const profile of state.profiles.values()) {
    for (const s of profile.seen.filter((x) => x.weight > 0).slice(-RECENT_LIKED)) {
      const i = catalog.indexOf(s.itemId);
      if (i >= 0) state.textNeighbours.of(i);
    }
  }
  const version = new ModelRepository({ root: repo }).latestVersion('recommend-ranker');
  const card = JSON.parse(readFileSync(join(repo, 'recommend-ranker', version, 'model-card.json'), 'utf8')) as Record<string, unknown>;
  const recommender = new Recommender({
    catalog, profiles, ranker: new LocalRanker(featureHeadFromCard(card, 'served head'), version),
    collaborative: state.collaborative, popularity: state.popularity, textNeighbours: state.textNeighbours,
  });
  return { recommender, dispose: () => encoder.dispose() };
}

async function main(): Promise<void> {
  const started = new Date();
  if (load1() >= QUIET_LOAD) log(`WARNING: 1-minute load average ${load1()} >= ${QUIET_LOAD}: the machine is not quiet, figures will be low`);
  const data = loadMovieLens({ movies: join(opts.data, 'movies.csv'), ratings: join(opts.data, 'ratings.csv') });
  const items = data.catalog.map((i) => i.id);
  const users = [...new Set(data.ratings.map((r) => r.userId))];
  const candidates = Math.min(opts.candidates, items.length);
  if (candidates < opts.candidates) log(`WARNING: --candidates ${opts.candidates} > ${items.length} catalog items; ranking ${candidates} per request`);
  log(`${items.length} items, ${users.length} users (${data.ratings.length} ratings) from ${relativeData(root, opts)}`);
  const bodies: Record<Mode, BodyCycler> = {
    rank: new BodyCycler(rankBodies(users, items, opts.bodies, candidates, opts.k)),
    recommend: new BodyCycler(recommendBodies(users, opts.bodies, opts.k)),
    rankInProcess: new BodyCycler(rankBodies(users, items, opts.bodies, candidates, opts.k)),
    recommendInProcess: new BodyCycler(recommendBodies(users, opts.bodies, opts.k)),
  };
  const paths: Record<'rank' | 'recommend', string> = { rank: '/v1/rank', recommend: '/v1/recommend' };

  const work = mkdtempSync(join(tmpdir(), 'recommender-load-'));
  const logDir = resolve(root, '.cache/bench/recommender-load');
  mkdirSync(logDir, { recursive: true });
  const repo = opts.repo ?? join(work, 'repo');
  const svc = await startService(repo, join(logDir, 'service.log'));
  let local: Awaited<ReturnType<typeof inProcessRecommender>> | undefined;
  try {
    const t0 = Date.now();
    await waitReady(svc);
    const readyS = round((Date.now() - t0) / 1000, 1);
    log(`service ready at ${svc.url} in ${readyS} s (log: ${svc.logFile})`);
    // A head found in the repository: the service warms its text-neighbour memo in the background; measure after it.
    const warmS = round((await waitIdle(svc.url, 900_000)) / 1000, 1);
    if (warmS > 1) log(`service busy ${warmS} s after ready (start-up warm-up)`);
    // One probe of each: the answer must be a ranking, not an error, before anything is measured.
    const probe = async (mode: 'rank' | 'recommend') => {
      const res = await fetch(`${svc.url}${paths[mode]}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: bodies[mode].next() });
      const body = (await res.json()) as { items?: unknown[]; coldStart?: boolean; model?: unknown };
      if (res.status !== 200 || !Array.isArray(body.items)) throw new Error(`${mode} probe answered ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
      return { items: body.items.length, coldStart: body.coldStart, model: body.model };
    };
    const probes = { rank: await probe('rank'), recommend: await probe('recommend') };
    local = await inProcessRecommender(repo, opts.data);
    const rec = local.recommender;

    const measure: Record<Mode, (seconds: number) => Promise<ServiceRun | RunStats>> = {
      rank: (s) => cannon(svc.url, paths.rank, s, bodies.rank),
      recommend: (s) => cannon(svc.url, paths.recommend, s, bodies.recommend),
      rankInProcess: (s) => closedLoop(opts.connections, s * 1000, () => bodies.rankInProcess.next(), (b) => rec.rank(JSON.parse(b) as RankRequest)),
      recommendInProcess: (s) => closedLoop(opts.connections, s * 1000, () => bodies.recommendInProcess.next(), (b) => rec.recommend(JSON.parse(b) as RecommendRequest)),
    };
    const modes: Mode[] = ['rank', 'recommend', 'rankInProcess', 'recommendInProcess'];
    const runs: Record<Mode, Measured[]> = { rank: [], recommend: [], rankInProcess: [], recommendInProcess: [] };
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
    const median = (mode: Mode) => medianRun(runs[mode], (r) => r.stats.perSec);
    const rankMed = median('rank'), recMed = median('recommend');
    const rankLocal = median('rankInProcess'), recLocal = median('recommendInProcess');
    const flat = speedFlat(rankMed.stats, recMed.stats);
    const all = [...runs.rank, ...runs.recommend].map((r) => r.stats as ServiceRun);
    const nonSuccess = { non2xx: all.reduce((s, r) => s + r.non2xx, 0), errors: all.reduce((s, r) => s + r.errors, 0), timeouts: all.reduce((s, r) => s + r.timeouts, 0) };
    const r1 = (x: number) => round(x, 1);
    const view = (m: Measured) => ({ rep: m.rep, load1: m.load1, perSec: r1(m.stats.perSec), p50Ms: r1(m.stats.p50Ms), p99Ms: r1(m.stats.p99Ms), completed: m.stats.completed,
      seconds: round(m.stats.seconds, 2), ...('non2xx' in m.stats ? { non2xx: m.stats.non2xx, errors: m.stats.errors, statusCodes: m.stats.statusCodes } : {}) });
    const summary = (m: Measured) => ({ perSec: r1(m.stats.perSec), p50Ms: r1(m.stats.p50Ms), p99Ms: r1(m.stats.p99Ms) });
    const command = `npx tsx --tsconfig tools/tsconfig.json tools/bench/recommender-load.ts ${opts.flags}`;
    const text = mergeBenchJson(resolve(root, opts.out), {
      part: 'load', command, date: started.toISOString(), machine: machineLabel(), flat,
      nested: {
        details: {
          load: {
            setup: 'apps/recommender child process (tsx, tsconfig.serve.json; head trained at start into a throwaway repository, or reused from --repo; catalog and seeded profiles '
              + 'from --data; profiles in memory; consumers, follower and auth off; LOG_LEVEL from the environment) under autocannon over HTTP JSON; '
              + 'users cycle over every user of the ratings (warm profiles); Rank bodies hold --candidates distinct catalog ids drawn with a fixed seed. '
              + 'Modes run one after the other, interleaved per rep; figures are the median rep by rate.',
            data: relativeData(root, opts), warmUpS: warmS, items: items.length, users: users.length, candidates, k: opts.k,
            connections: opts.connections, durationS: opts.durationS, warmupS: opts.warmupS, reps: opts.reps, readyS, probes,
            rankP50Ms: r1(rankMed.stats.p50Ms), recommendP50Ms: r1(recMed.stats.p50Ms), nonSuccess, load1Start: runs.rank[0]?.load1 ?? null,
            inProcess: {
              what: 'libs/recommend Recommender in the bench process on the same data, state and seeded profiles, the served head as a LocalRanker, '
                + '--connections concurrent callers of rank/recommend over the same bodies (no HTTP, JSON, admission or ONNX Runtime)',
              rank: summary(rankLocal), recommend: summary(recLocal),
              serviceToInProcessRank: round(rankMed.stats.perSec / rankLocal.stats.perSec, 3), serviceToInProcessRecommend: round(recMed.stats.perSec / recLocal.stats.perSec, 3),
            },
            runs: Object.fromEntries(modes.map((m) => [m, runs[m].map(view)])),
          },
        },
      },
    }, RECOMMENDER_FLAT_KEYS);
    process.stdout.write(text);
    if (nonSuccess.non2xx + nonSuccess.errors > 0) log(`WARNING: ${nonSuccess.non2xx} non-2xx responses and ${nonSuccess.errors} errors (see details.load.runs[].statusCodes)`);
    log(`Rank(${candidates}) ${flat.rankRequestsPerSec}/s p50 ${flat.rankP50Ms} ms p99 ${flat.rankP99Ms} ms; Recommend(k=${opts.k}) ${flat.recommendRequestsPerSec}/s p99 ${flat.recommendP99Ms} ms; `
      + `in process: Rank ${r1(rankLocal.stats.perSec)}/s, Recommend ${r1(recLocal.stats.perSec)}/s`);
  } finally {
    await local?.dispose();
    await stopService(svc);
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e: Error) => { process.stderr.write(`${e.stack}\n`); process.exit(1); });
