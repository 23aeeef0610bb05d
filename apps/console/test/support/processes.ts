/**
 * Starting the real services for the browser specs: each app's serve entry (tsx, as
 * `nx run <app>:serve` runs it) on free ports, in its own process group so a spec can kill one
 * service (the error-state test) and teardown kills them all, by process id.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const WORKSPACE_ROOT = join(__dirname, '../../../..');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface Launched {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
}

/** Starts apps/<app>/src/main.ts with `env` added, output to `logFile`. */
export function launchApp(app: string, env: Record<string, string>, logFile: string): Launched {
  const fd = openSync(logFile, 'a');
  const child = spawn(join(WORKSPACE_ROOT, 'node_modules/.bin/tsx'), ['--tsconfig', `apps/${app}/tsconfig.serve.json`, `apps/${app}/src/main.ts`], {
    cwd: WORKSPACE_ROOT,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  child.unref();
  if (child.pid === undefined) throw new Error(`could not start ${app}`);
  return { name: app, pid: child.pid, logFile };
}

/** Signals the process group (tsx and the node it runs); false when it is already gone. */
export function killGroup(pid: number, signal: NodeJS.Signals = 'SIGTERM'): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

export async function waitReady(url: string, timeoutMs: number, isAlive: () => boolean): Promise<void> {
  const until = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < until) {
    if (!isAlive()) throw new Error(`${url}: the process exited before it was ready`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
      last = `${res.status} ${(await res.text()).slice(0, 300)}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms (last: ${last})`);
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
