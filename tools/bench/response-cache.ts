/**
 * Response-cache benchmark (issue 17): the support intent classifier (fused: probabilities +
 * sentence embedding, as support-chat calls it) serves a chat-like replay where a share of the
 * messages repeat earlier ones, once with its response cache off and once on, interleaved
 * `reps` times in alternating order; the median run of each is reported. Usage:
 *   npx tsx --tsconfig tools/tsconfig.json tools/bench/response-cache.ts [--requests 3000] [--repeat-rates 0.3] [--reps 3]
 * Writes docs/benchmarks/response-cache.json. These figures are for a replay with repeats and
 * never stand in for the no-cache inference figures (docs/benchmarks/inference.json).
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { TextModel } from '@tuneline/inference';
import { intFlag, listFlag, machineLabel, medianRun, oddReps, parseFlags, runCli, UsageError, writeBenchJson, type CliDef } from './bench-cli';
import { buildReplay, repeatShare } from './response-cache-replay';
import { describeTextSource, loadSentences, resolveTextSource, DEFAULT_TEXT_FILES } from './sentences';

const root = process.cwd();
const CLI: CliDef = {
  script: 'tools/bench/response-cache.ts',
  summary: 'Chat replay through the intent classifier with its response cache off and on.',
  flags: [
    { name: 'model', default: '.cache/repo/support-intent/1', help: 'classifier version directory' },
    { name: 'requests', default: '3000', help: 'requests (one text each) per run' },
    { name: 'repeat-rates', default: '0.3', help: 'shares of requests that repeat an earlier message (Zipf-popular)' },
    { name: 'callers', default: '8', help: 'concurrent callers (chat turns in flight)' },
    { name: 'cache-bytes', default: String(16 * 1024 * 1024), help: 'cache budget (support-chat default)' },
    { name: 'reps', default: '3', help: 'interleaved repetitions (odd: the median run is reported)' },
    { name: 'texts', default: DEFAULT_TEXT_FILES.split(',')[0] as string, help: 'unique messages (CSV/JSONL), or "samples"' },
    { name: 'text-field', default: 'text', help: 'column holding the text' },
  ],
};

const opts = runCli((argv) => {
  const p = parseFlags(CLI, argv);
  if (p.help) return p;
  const rates = listFlag(p.values, 'repeat-rates').map(Number);
  if (rates.some((r) => !(r >= 0 && r < 1))) throw new UsageError('--repeat-rates must be numbers in [0, 1)');
  return {
    model: join(root, p.values['model'] as string),
    requests: intFlag(p.values, 'requests'),
    rates,
    callers: intFlag(p.values, 'callers'),
    cacheBytes: intFlag(p.values, 'cache-bytes'),
    reps: oddReps(p.values),
    texts: resolveTextSource(p.values['texts'] as string, p.values['text-field'] as string, root),
  };
});

interface Run {
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  hitRate: number;
  cacheBytes: number;
  loadAverage1m: number;
}

const pct = (sorted: readonly number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

async function replay(stream: readonly string[], cacheBytes: number): Promise<Run> {
  const model = await TextModel.load(opts.model, { name: 'support-intent', ...(cacheBytes ? { responseCacheBytes: cacheBytes } : {}) });
  try {
    await model.inferWithEmbeddings(stream.slice(0, 8)); // warm the allocator; not timed
    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(Array.from({ length: opts.callers }, async () => {
      while (next < stream.length) {
        const text = stream[next++] as string;
        const t0 = performance.now();
        await model.inferWithEmbeddings([text]);
        latencies.push(performance.now() - t0);
      }
    }));
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const stats = model.responseCache;
    const lookups = stats ? stats.hits + stats.misses : 0;
    return {
      requestsPerSec: round(stream.length / seconds),
      p50Ms: round(pct(latencies, 0.5), 2),
      p99Ms: round(pct(latencies, 0.99), 2),
      hitRate: stats && lookups ? round(stats.hits / lookups, 3) : 0,
      cacheBytes: stats?.bytes ?? 0,
      loadAverage1m: round(loadavg()[0] as number, 2),
    };
  } finally {
    await model.dispose();
  }
}

async function main(): Promise<void> {
  const unique = runCli(() => loadSentences(root, opts.texts, opts.requests));
  const result: Record<string, unknown> = {
    command: `npx tsx --tsconfig tools/tsconfig.json tools/bench/response-cache.ts --requests ${opts.requests} --repeat-rates ${opts.rates.join(',')} --reps ${opts.reps}`,
    date: new Date().toISOString(),
    machine: machineLabel(),
    texts: describeTextSource(opts.texts, root),
    callers: opts.callers,
    cacheBudgetBytes: opts.cacheBytes,
    loadAverage1mAtStart: round(loadavg()[0] as number, 2),
  };
  for (const rate of opts.rates) {
    const stream = buildReplay(unique, { requests: opts.requests, repeatRate: rate, seed: 17 });
    const runs: Record<'off' | 'on', Run[]> = { off: [], on: [] };
    for (let rep = 0; rep < opts.reps; rep++) {
      // Order alternates (off,on / on,off / …): the shared machine's load drifts, and a fixed
      // order would hand that drift to one side every time.
      const order = rep % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const);
      for (const mode of order) {
        const run = await replay(stream, mode === 'on' ? opts.cacheBytes : 0);
        process.stderr.write(`[bench] repeat ${rate} cache ${mode}: ${run.requestsPerSec} req/s, p99 ${run.p99Ms} ms, load ${run.loadAverage1m}\n`);
        runs[mode].push(run);
      }
    }
    const off = medianRun(runs.off, (r) => r.requestsPerSec);
    const on = medianRun(runs.on, (r) => r.requestsPerSec);
    const key = `repeat${Math.round(rate * 100)}`;
    result[key] = {
      repeatShare: round(repeatShare(stream), 3),
      off,
      on,
      speedup: round(on.requestsPerSec / off.requestsPerSec, 2),
      // What a cache whose hits cost nothing could reach at this hit rate: 1 / (1 - h).
      speedupBound: round(1 / (1 - on.hitRate), 2),
      offRequestsPerSecRange: [Math.min(...runs.off.map((r) => r.requestsPerSec)), Math.max(...runs.off.map((r) => r.requestsPerSec))],
      onRequestsPerSecRange: [Math.min(...runs.on.map((r) => r.requestsPerSec)), Math.max(...runs.on.map((r) => r.requestsPerSec))],
    };
  }
  result['loadAverage1mAtEnd'] = round(loadavg()[0] as number, 2);
  writeBenchJson(root, 'response-cache', result);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
