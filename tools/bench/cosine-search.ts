/**
 * Exact cosine search benchmark for libs/support's `VectorMatrix` (the knowledge-base
 * scan): milliseconds per query at several passage counts, on one core (the search is
 * synchronous JS). Two modes: `handler` = what SupportChatHandler asks for (k = 3,
 * minScore = -1: every row becomes a hit and is sorted), `scan` = the multiply-adds
 * alone (minScore above 1: no hits). Vectors are seeded pseudo-random unit vectors; the
 * cost does not depend on their values. Writes docs/benchmarks/cosine-search.json.
 *
 *   npx tsx --tsconfig tools/tsconfig.json tools/bench/cosine-search.ts
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { VectorMatrix } from '@tuneline/support';
import { createRng } from '../replay/prng';
import { intFlag, listFlag, machineLabel, oddReps, parseFlags, UsageError, runCli, writeBenchJson, type CliDef } from './bench-cli';
import { round } from './stats';

const CLI: CliDef = {
  script: 'tools/bench/cosine-search.ts',
  summary: 'Exact cosine search (libs/support VectorMatrix): ms per query by passage count, median of --reps. Writes docs/benchmarks/cosine-search.json.',
  flags: [
    { name: 'passages', default: '1000,10000,100000', help: 'comma-separated passage counts' },
    { name: 'dims', default: '384', help: 'vector length (bge-small: 384)' },
    { name: 'queries', default: '50', help: 'queries per measurement' },
    { name: 'reps', default: '5', help: 'repetitions, odd (the median is reported)' },
  ],
};

interface Options { readonly passages: number[]; readonly dims: number; readonly queries: number; readonly reps: number }

function parse(argv: readonly string[]) {
  const p = parseFlags(CLI, argv);
  if (p.help) return p;
  const passages = listFlag(p.values, 'passages').map((s) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`--passages items must be integers >= 1, got "${s}"`);
    return n;
  });
  return { passages, dims: intFlag(p.values, 'dims'), queries: intFlag(p.values, 'queries'), reps: oddReps(p.values) } satisfies Options;
}

function vectors(n: number, dims: number, rand: () => number): Float32Array[] {
  return Array.from({ length: n }, () => Float32Array.from({ length: dims }, () => rand() * 2 - 1));
}

/** Median over `reps` of the mean ms per query. */
function msPerQuery(matrix: VectorMatrix, queries: readonly Float32Array[], k: number, minScore: number, reps: number): number {
  for (const q of queries.slice(0, 5)) matrix.search(q, k, minScore); // warm-up (JIT)
  const runs: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = process.hrtime.bigint();
    for (const q of queries) matrix.search(q, k, minScore);
    runs.push(Number(process.hrtime.bigint() - t0) / 1e6 / queries.length);
  }
  return runs.sort((a, b) => a - b)[Math.floor(reps / 2)] as number;
}

function main(): void {
  const opts = runCli(parse);
  const root = join(__dirname, '..', '..');
  const rand = createRng(42).next;
  const queries = vectors(opts.queries, opts.dims, rand);
  const result: Record<string, unknown> = {
    command: `npx tsx --tsconfig tools/tsconfig.json tools/bench/cosine-search.ts --passages ${opts.passages.join(',')} --dims ${opts.dims} --queries ${opts.queries} --reps ${opts.reps}`,
    date: new Date().toISOString(),
    machine: machineLabel(),
    loadAverage1mAtStart: round(loadavg()[0] as number, 2),
    dims: opts.dims,
    queries: opts.queries,
    repetitions: opts.reps,
  };
  for (const n of opts.passages) {
    const matrix = new VectorMatrix(vectors(n, opts.dims, rand), opts.dims);
    result[`n${n}.handlerMsPerQuery`] = round(msPerQuery(matrix, queries, 3, -1, opts.reps), 3);
    result[`n${n}.scanMsPerQuery`] = round(msPerQuery(matrix, queries, 3, 2, opts.reps), 3);
    process.stderr.write(`n=${n}: handler ${result[`n${n}.handlerMsPerQuery`]} ms, scan ${result[`n${n}.scanMsPerQuery`]} ms per query\n`);
  }
  result['loadAverage1mAtEnd'] = round(loadavg()[0] as number, 2); // other work on the machine inflates the figures
  writeBenchJson(root, 'cosine-search', result);
}

main();
