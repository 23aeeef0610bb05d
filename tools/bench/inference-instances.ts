/**
 * Inference benchmark, issue 17 levers (ADR 0020): model instances N = 1, 2, 4 at 1, 8 and 64
 * callers, fp32 and int8; the persisted ORT-optimised graph; the BERT-fused graphs
 * (tools/models/optimize-bert.sh) with their cosine agreement to fp32. Usage:
 *   npx tsx --tsconfig tools/tsconfig.json tools/bench/inference-instances.ts [--n 1000] [--models default,int8] [--reps 3] [--texts ...]
 * Every figure is the median of `reps` runs, all configurations interleaved per repetition
 * (the shared VM drifts), each run in its own process, with the 1-minute load average beside
 * it. Merges its keys (prefixes instances., ortOptimized., bertFused.) into
 * docs/benchmarks/inference.json, leaving the main run's keys and command as they are.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultCacheRoot, findCatalogEntry } from '@tuneline/inference';
import { machineLabel, medianRun, runCli, runWorker } from './bench-cli';
import { inferenceOptions } from './options';
import { textFlags, TEXTS_ENV } from './sentences';

const root = process.cwd();
const { n, reps, models, texts } = runCli((argv) => inferenceOptions(argv, root));

type Run = Record<string, number | string>;
interface Config {
  readonly key: string;
  readonly mode: 'encoder64' | 'agreement';
  readonly model: string;
  readonly env: Record<string, string>;
}

const INSTANCES = [1, 2, 4];
const CALLERS = [1, 8, 64];
const tagOf = (model: string) => (model === 'default' ? 'fp32' : model);

/** The BERT-fused directories tools/models/optimize-bert.sh wrote for the default model, when present. */
function fusedDirs(): { fp32?: string; int8?: string } {
  const entry = findCatalogEntry('default');
  if (!entry) return {};
  const dir = (suffix: string) => join(defaultCacheRoot(process.env), 'models', `${entry.name}-${suffix}`, entry.maven.version);
  const out: { fp32?: string; int8?: string } = {};
  if (existsSync(join(dir('bert-fused'), 'model.onnx'))) out.fp32 = dir('bert-fused');
  if (existsSync(join(dir('bert-fused-q'), 'model.onnx'))) out.int8 = dir('bert-fused-q');
  return out;
}

const configs: Config[] = [];
for (const model of models) {
  for (const instances of INSTANCES) for (const callers of CALLERS) {
    configs.push({ key: `instances.${tagOf(model)}.n${instances}.c${callers}`, mode: 'encoder64', model,
      env: { BENCH_INSTANCES: String(instances), BENCH_CALLERS: String(callers) } });
  }
  // Persisted graph: the first run of a version writes it, so a warm-up run precedes the loop.
  configs.push({ key: `ortOptimized.${tagOf(model)}.c64`, mode: 'encoder64', model, env: { BENCH_PERSIST_GRAPH: '1' } });
}
const fused = fusedDirs();
for (const [tag, dir] of Object.entries(fused)) {
  configs.push({ key: `bertFused.${tag}.c64`, mode: 'encoder64', model: dir, env: {} });
}

const textEnv = { [TEXTS_ENV]: JSON.stringify(texts) };
const run = (c: Config): Run => {
  process.stderr.write(`[bench] ${c.key} …\n`);
  return runWorker<Run>(root, c.mode, c.model, n, { ...textEnv, ...c.env });
};
for (const c of configs.filter((x) => x.env['BENCH_PERSIST_GRAPH'])) run(c); // writes the graph once
const runs = new Map<string, Run[]>();
for (let rep = 1; rep <= reps; rep++) for (const c of configs) runs.set(c.key, [...(runs.get(c.key) ?? []), run(c)]);

const flat: Record<string, number> = {};
const rate = (r: Run) => Number(r['sentencesPerSec']) || 0;
for (const [key, all] of runs) {
  const m = medianRun(all, rate);
  for (const f of ['sentencesPerSec', 'p50Ms', 'p99Ms', 'rssPeakMb', 'loadAvg1', 'instances', 'optimizedGraph']) {
    if (typeof m[f] === 'number') flat[`${key}.${f}`] = m[f] as number;
  }
  flat[`${key}.sentencesPerSecMin`] = Math.min(...all.map(rate));
  flat[`${key}.sentencesPerSecMax`] = Math.max(...all.map(rate));
}
// Cosine agreement with fp32 on the same texts: the catalog int8 and each fused graph.
for (const [tag, model] of [['catalogInt8', 'int8'], ...Object.entries(fused).map(([t, d]) => [`bertFused.${t}`, d])] as const) {
  const a = runWorker<Run>(root, 'agreement', 'int8', n, { ...textEnv, BENCH_AGREE_MODEL: model });
  flat[`${tag}.meanCosineToFp32`] = Number(a['meanCosine']);
  flat[`${tag}.minCosineToFp32`] = Number(a['minCosine']);
}

const file = join(root, 'docs', 'benchmarks', 'inference.json');
const existing = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
const runsMeta = { ...(existing['runs'] as Record<string, unknown> | undefined ?? {}), instances: {
  command: `npx tsx --tsconfig tools/tsconfig.json tools/bench/inference-instances.ts --n ${n} --models ${models.join(',')} --reps ${reps}${textFlags(texts, root)}`,
  date: new Date().toISOString(), machine: machineLabel(),
} };
const text = JSON.stringify({ ...existing, ...flat, runs: runsMeta }, null, 2) + '\n';
writeFileSync(file, text);
process.stdout.write(JSON.stringify(flat, null, 2) + '\n');
