/**
 * The platform the browser specs run against: the three real services and the console, each
 * started from its serve entry on free ports, against KAFKA_BROKERS / REDIS_URL from the
 * environment (npm test's throwaway broker and Redis). Unique SERVICE_NAMEs keep their consumer
 * groups and transactional ids apart from any other run on the same broker; the model
 * repository is the default one (.cache/repo), so models trained by `npm start` or an earlier
 * run are reused and a clean clone trains them once.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { freePort, isAlive, killGroup, launchApp, waitReady, WORKSPACE_ROOT, type Launched } from './processes';

export const STATE_ENV = 'CONSOLE_BROWSER_STATE';

export interface PlatformState {
  readonly consoleUrl: string;
  readonly brokers: string;
  readonly suffix: string;
  readonly logDir: string;
  readonly services: Record<'support-chat' | 'sentiment-monitor' | 'recommender' | 'console', { pid: number; httpPort: number; grpcPort: number; logFile: string }>;
}

const RUNS_DIR = join(WORKSPACE_ROOT, 'tmp/console-browser');
const PIDS_FILE = 'pids.json';

interface PidsFile {
  readonly owner: number;
  readonly apps: { readonly name: string; readonly pid: number }[];
}

/** The pid's command line names apps/<name>/src/main.ts (a recycled pid is left alone). */
function runsApp(pid: number, name: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(`apps/${name}/src/main.ts`);
  } catch {
    return false;
  }
}

/**
 * Services of an earlier run whose jest is gone (killed: Ctrl-C, a CI timeout, so no
 * globalTeardown): they run detached, so nothing else stops them. Killed by the pids it recorded.
 */
export function sweepStaleRuns(): void {
  if (!existsSync(RUNS_DIR)) return;
  for (const dir of readdirSync(RUNS_DIR)) {
    const file = join(RUNS_DIR, dir, PIDS_FILE);
    if (!existsSync(file)) continue;
    let recorded: PidsFile;
    try {
      recorded = JSON.parse(readFileSync(file, 'utf8')) as PidsFile;
    } catch {
      continue;
    }
    if (recorded.owner !== process.pid && isAlive(recorded.owner)) continue; // another run in progress
    for (const app of recorded.apps) {
      if (isAlive(app.pid) && runsApp(app.pid, app.name)) {
        process.stderr.write(`console browser specs: stopping ${app.name} (pid ${app.pid}) left by an earlier run (${dir})\n`);
        killGroup(app.pid, 'SIGKILL');
      }
    }
    rmSync(file, { force: true });
  }
}

/** Cold starts train the sample models; on 2 busy cores that can take minutes. */
const READY_TIMEOUT_MS = Number(process.env['CONSOLE_BROWSER_READY_TIMEOUT_MS'] ?? 600_000);

export async function startPlatform(): Promise<PlatformState> {
  const brokers = process.env['KAFKA_BROKERS'] || '127.0.0.1:9092';
  sweepStaleRuns();
  const suffix = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const logDir = join(RUNS_DIR, suffix);
  mkdirSync(logDir, { recursive: true });
  const common: Record<string, string> = { KAFKA_BROKERS: brokers, LOG_LEVEL: process.env['CONSOLE_BROWSER_LOG_LEVEL'] ?? 'info', BIND_HOST: '127.0.0.1' };
  const ports = async () => ({ httpPort: await freePort(), grpcPort: await freePort() });
  const sc = await ports();
  const sm = await ports();
  const rc = await ports();
  const cs = { httpPort: await freePort(), grpcPort: 0 };
  const launched: Launched[] = [];
  const started: PlatformState['services'] = {} as PlatformState['services'];
  const start = (name: keyof PlatformState['services'], p: { httpPort: number; grpcPort: number }, env: Record<string, string>) => {
    const l = launchApp(name, { ...common, HTTP_PORT: String(p.httpPort), ...(p.grpcPort ? { GRPC_PORT: String(p.grpcPort) } : {}), ...env }, join(logDir, `${name}.log`));
    launched.push(l);
    started[name] = { pid: l.pid, ...p, logFile: l.logFile };
    const pids: PidsFile = { owner: process.pid, apps: launched.map((x) => ({ name: x.name, pid: x.pid })) };
    writeFileSync(join(logDir, PIDS_FILE), JSON.stringify(pids));
  };
  // Topics, and this run's sentiment stages at the end of their inputs (kafka-prep.ts, run by tsx for the path aliases).
  execFileSync(join(WORKSPACE_ROOT, 'node_modules/.bin/tsx'), ['--tsconfig', 'apps/console/tsconfig.serve.json', 'apps/console/test/support/kafka-prep.ts', brokers, `sentiment-monitor-ct${suffix}`], {
    cwd: WORKSPACE_ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
    timeout: 120_000,
  });
  try {
    start('support-chat', sc, { SERVICE_NAME: `support-chat-ct${suffix}` });
    // Lateness and idleness far beyond any other run's event times on a shared broker: the spec's
    // burst (event time now) must count even when an earlier replay left partitions ahead of it.
    start('sentiment-monitor', sm, {
      SERVICE_NAME: `sentiment-monitor-ct${suffix}`,
      SENTIMENT_INSTANCE_ID: `ct${suffix}`,
      SENTIMENT_ALLOWED_LATENESS_MS: String(6 * 3_600_000),
      SENTIMENT_SOURCE_IDLE_MS: String(7 * 24 * 3_600_000),
    });
    start('recommender', rc, { SERVICE_NAME: `recommender-ct${suffix}`, RECOMMEND_INSTANCE_ID: `ct${suffix}`, RECOMMEND_REDIS_KEY_PREFIX: `tuneline:console-test:${suffix}:` });
    start('console', cs, {
      SERVICE_NAME: `console-ct${suffix}`,
      SUPPORT_CHAT_GRPC_URL: `127.0.0.1:${sc.grpcPort}`,
      SENTIMENT_GRPC_URL: `127.0.0.1:${sm.grpcPort}`,
      RECOMMENDER_GRPC_URL: `127.0.0.1:${rc.grpcPort}`,
      CONSOLE_SSE_HEARTBEAT_MS: '2000',
    });
    await Promise.all(
      Object.entries(started).map(([name, s]) =>
        waitReady(`http://127.0.0.1:${s.httpPort}/readyz`, READY_TIMEOUT_MS, () => isAlive(s.pid)).catch((err: unknown) => {
          throw new Error(`${name} did not get ready (log: ${s.logFile}): ${err instanceof Error ? err.message : String(err)}`);
        }),
      ),
    );
  } catch (err) {
    for (const l of launched) killGroup(l.pid, 'SIGKILL');
    rmSync(join(logDir, PIDS_FILE), { force: true });
    throw err;
  }
  return { consoleUrl: `http://127.0.0.1:${cs.httpPort}`, brokers, suffix, logDir, services: started };
}

export async function stopPlatform(state: PlatformState): Promise<void> {
  for (const s of Object.values(state.services)) killGroup(s.pid, 'SIGTERM');
  const until = Date.now() + 15_000;
  while (Date.now() < until && Object.values(state.services).some((s) => isAlive(s.pid))) await new Promise((r) => setTimeout(r, 200));
  for (const s of Object.values(state.services)) if (isAlive(s.pid)) killGroup(s.pid, 'SIGKILL');
  rmSync(join(state.logDir, PIDS_FILE), { force: true });
}

export function platformState(): PlatformState {
  const raw = process.env[STATE_ENV];
  if (!raw) throw new Error(`${STATE_ENV} is not set: run the browser specs with jest.browser.config.ts (its globalSetup starts the platform)`);
  return JSON.parse(raw) as PlatformState;
}
