/**
 * Runs the platform for the e2e test exactly as `npm start` does (tools/up.sh, detached), on
 * ports of its own so a dev platform on the defaults never collides, against the broker and
 * Redis tools/test.sh started (TUNELINE_EXTERNAL_KAFKA / TUNELINE_EXTERNAL_REDIS), with its own
 * run directory (pid files, logs) and model repository (kept between runs: only the first
 * run trains the sample models).
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../../..');
const CACHE = process.env['TUNELINE_CACHE'] ?? join(ROOT, '.cache');
export const E2E_DIR = join(CACHE, 'e2e');
export const RUN_DIR = join(E2E_DIR, 'run');
export const MODEL_REPO = join(E2E_DIR, 'repo');

/** Ports of the e2e platform: HTTP 3808x and gRPC 3806x (the defaults are 808x and 5006x). */
export const E2E_PORTS = {
  SUPPORT_CHAT_HTTP_PORT: '38081',
  SUPPORT_CHAT_GRPC_PORT: '38061',
  SENTIMENT_MONITOR_HTTP_PORT: '38082',
  SENTIMENT_MONITOR_GRPC_PORT: '38062',
  RECOMMENDER_HTTP_PORT: '38083',
  RECOMMENDER_GRPC_PORT: '38063',
  CONSOLE_HTTP_PORT: '38080',
} as const;

/** The environment tools/up.sh and tools/stop.sh get (and the endpoints the checks read). */
export function e2eEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const kafka = env['KAFKA_BROKERS']?.trim();
  const redis = env['REDIS_URL']?.trim();
  if (!kafka || !redis) {
    throw new Error('the e2e test needs KAFKA_BROKERS and REDIS_URL (a throwaway broker and Redis; `npm test` sets both)');
  }
  const inherited = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
  return {
    ...inherited,
    ...E2E_PORTS,
    TUNELINE_EXTERNAL_KAFKA: kafka,
    TUNELINE_EXTERNAL_REDIS: redis,
    TUNELINE_RUN_DIR: RUN_DIR,
    TUNELINE_MODEL_REPO: MODEL_REPO,
    TUNELINE_DETACH: '1',
  };
}

export interface ScriptResult {
  readonly code: number | null;
  readonly output: string;
}

/** Runs a bash script of the repository, collecting stdout and stderr together. */
export function runScript(script: string, env: Record<string, string>, timeoutMs: number): Promise<ScriptResult> {
  return new Promise((done, fail) => {
    const child = spawn('bash', [script], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (b: Buffer) => (output += b.toString()));
    child.stderr.on('data', (b: Buffer) => (output += b.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      fail(new Error(`${script} did not finish in ${timeoutMs} ms:\n${output.slice(-4000)}`));
    }, timeoutMs);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, output });
    });
  });
}

/** Versions (1, 2, ...) of a model in the e2e repository, ascending. */
export function modelVersions(model: string): number[] {
  const dir = join(MODEL_REPO, model);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .sort((a, b) => a - b);
}

/**
 * Removes every version above 1 of a model (what an earlier run published), so each run starts
 * from version 1 and the trainer's next version is 2; the repository does not grow run after run.
 */
export function dropPublishedVersions(model: string): void {
  for (const v of modelVersions(model)) if (v > 1) rmSync(join(MODEL_REPO, model, String(v)), { recursive: true, force: true });
}
