import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

/** What the bench drivers share: flags, the machine label, worker processes, medians, and the JSON they write. */

/** `--name value` from argv, else the default. */
export function flag(name: string, dflt: string, args: readonly string[] = process.argv.slice(2)): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? (args[i + 1] as string) : dflt;
}

/** `--reps`: odd, so the median is a real run whose latencies can be reported with it. */
export function oddReps(dflt = '3'): number {
  const reps = Number(flag('reps', dflt));
  if (!(Number.isInteger(reps) && reps >= 1 && reps % 2 === 1)) throw new RangeError('--reps must be an odd integer >= 1: the reported figures are the median run');
  return reps;
}

export function machineLabel(): string {
  return `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`;
}

/** The median run by `rate`; with an odd count it is one of the runs. */
export function medianRun<T>(runs: readonly T[], rate: (r: T) => number): T {
  return [...runs].sort((a, b) => rate(a) - rate(b))[Math.floor(runs.length / 2)] as T;
}

/** One measurement in its own process (tools/bench/inference-worker.ts), so RSS is its own; returns its JSON line. */
export function runWorker<T>(root: string, mode: string, model: string, n: number, env: NodeJS.ProcessEnv = {}): T {
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(root, 'tools/bench/inference-worker.ts'), mode, model, String(n)], {
    cwd: root, stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24,
    env: { ...process.env, TSX_TSCONFIG_PATH: join(root, 'tools/tsconfig.json'), ...env },
  });
  return JSON.parse(out.toString().trim().split('\n').pop() as string) as T;
}

/** Writes docs/benchmarks/<name>.json and echoes it on stdout. */
export function writeBenchJson(root: string, name: string, result: Record<string, unknown>): void {
  mkdirSync(join(root, 'docs', 'benchmarks'), { recursive: true });
  const text = JSON.stringify(result, null, 2) + '\n';
  writeFileSync(join(root, 'docs', 'benchmarks', `${name}.json`), text);
  process.stdout.write(text);
}
