import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

/** What the bench drivers share: flags, the machine label, worker processes, medians, and the JSON they write. */

/** A bad command line: the drivers print it and exit 2 (usage errors), never run. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface FlagDef {
  readonly name: string;
  readonly help: string;
  /** Default of a value flag; absent for on/off switches. */
  readonly default?: string;
  readonly boolean?: true;
}

export interface CliDef {
  /** e.g. `tools/bench/inference.ts` */
  readonly script: string;
  readonly summary: string;
  readonly flags: readonly FlagDef[];
}

export type Help = { readonly help: true; readonly usage: string };

export type Parsed = { readonly help: true; readonly usage: string } | { readonly help: false; readonly values: Readonly<Record<string, string>>; readonly switches: ReadonlySet<string> };

export function usage(def: CliDef): string {
  const lines = def.flags.map((f) => {
    const left = f.boolean ? `--${f.name}` : `--${f.name} <value>`;
    const dflt = f.default !== undefined ? ` (default: ${f.default === '' ? 'none' : f.default})` : '';
    return `  ${left.padEnd(24)} ${f.help}${dflt}`;
  });
  return [`Usage: npx tsx --tsconfig tools/tsconfig.json ${def.script} [flags]`, '', def.summary, '', 'Flags:', ...lines,
    `  ${'--help, -h'.padEnd(24)} print this help and exit`, ''].join('\n');
}

/**
 * Strict flag parsing: `--name value` or `--name=value`; unknown flags, positionals and
 * missing values are UsageErrors. `--help`/`-h` anywhere wins, so asking for help never runs a benchmark.
 */
export function parseFlags(def: CliDef, argv: readonly string[]): Parsed {
  if (argv.includes('--help') || argv.includes('-h')) return { help: true, usage: usage(def) };
  const byName = new Map(def.flags.map((f) => [f.name, f]));
  const values: Record<string, string> = {};
  const switches = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument "${arg}" (flags are --name value)`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq >= 0 ? eq : undefined);
    const f = byName.get(name);
    if (!f) throw new UsageError(`unknown flag --${name}`);
    if (f.boolean) {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      switches.add(name);
      continue;
    }
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value === '' || (eq < 0 && value.startsWith('--'))) throw new UsageError(`--${name} needs a value`);
    values[name] = value;
  }
  for (const f of def.flags) if (!f.boolean && values[f.name] === undefined && f.default !== undefined) values[f.name] = f.default;
  return { help: false, values, switches };
}

/** A whole number >= min, else a UsageError naming the flag. */
export function intFlag(values: Readonly<Record<string, string>>, name: string, min = 1): number {
  const x = Number(values[name]);
  if (!(Number.isInteger(x) && x >= min)) throw new UsageError(`--${name} must be an integer >= ${min}, got "${values[name]}"`);
  return x;
}

/** `--reps`: odd, so the median is a real run whose latencies can be reported with it. */
export function oddReps(values: Readonly<Record<string, string>>): number {
  const reps = intFlag(values, 'reps');
  if (reps % 2 !== 1) throw new UsageError('--reps must be an odd integer >= 1: the reported figures are the median run');
  return reps;
}

/** A comma-separated list flag; empty items are a UsageError. */
export function listFlag(values: Readonly<Record<string, string>>, name: string): string[] {
  const items = (values[name] ?? '').split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) throw new UsageError(`--${name} must be a comma-separated list without empty items, got "${values[name]}"`);
  return items;
}

/**
 * For a driver's entry point: parses with `build`, prints usage and exits 0 on --help,
 * prints the message and exits 2 on a UsageError. Anything else is a real failure and propagates.
 */
export function runCli<T>(parse: (argv: readonly string[]) => T, argv: readonly string[] = process.argv.slice(2)): Exclude<T, Help> {
  let out: T;
  try {
    out = parse(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`error: ${e.message}\n(run with --help for the flags)\n`);
    process.exit(2);
  }
  if (isHelp(out)) {
    process.stdout.write(out.usage);
    process.exit(0);
  }
  return out as Exclude<T, Help>;
}

function isHelp(x: unknown): x is Help {
  return typeof x === 'object' && x !== null && (x as { help?: unknown }).help === true;
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
