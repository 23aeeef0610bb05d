/**
 * Inference benchmark (issue: libs/inference). Runs each measurement in its own process
 * and writes docs/benchmarks/inference.json. Usage:
 *   npx tsx --tsconfig tools/tsconfig.json tools/bench/inference.ts [--n 1000] [--models default,int8] [--reps 3] [--texts <files>|samples]
 * (--help lists the flags and defaults). Texts default to the ../shared/datasets training
 * splits; without them it stops (exit 2) rather than measure other texts unasked.
 * The shared 2-core VM's speed drifts by up to ±40% over minutes, so every measurement is
 * repeated `reps` times, modes interleaved, and the median run (by sentences/s) is reported
 * with the slowest and fastest rates beside it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { machineLabel, medianRun, runCli, runWorker, writeBenchJson } from './bench-cli';
import { inferenceOptions } from './options';
import { median, round } from './stats';
import { describeTextSource, loadSentences, textFlags, TEXTS_ENV } from './sentences';

const root = process.cwd();
const { n, reps, models, texts } = runCli((argv) => inferenceOptions(argv, root));

type Run = Record<string, number | string | Record<string, number>>;

function worker(mode: string, model: string): Run {
  process.stderr.write(`[bench] ${mode} ${model} …\n`);
  return runWorker<Run>(root, mode, model, n, { [TEXTS_ENV]: JSON.stringify(texts) });
}

const flat: Record<string, number | string> = {};
const put = (prefix: string, r: Record<string, unknown>) => {
  for (const [k, v] of Object.entries(r)) {
    if (k === 'mode' || k === 'model') continue;
    if (typeof v === 'number') flat[`${prefix}.${k}`] = v;
    else if (v && typeof v === 'object') for (const [k2, v2] of Object.entries(v)) if (typeof v2 === 'number') flat[`${prefix}.${k}.${k2}`] = v2;
  }
};
// encoder64 sits between the ceiling's runs and the peer's, so each repetition's ratios
// compare runs minutes apart at most (the paired keys below).
const MODES = ['raw1', 'rawBest', 'encoder64', 'transformers', 'overload'];
// Read once here so a wrong --text-field fails before the first worker starts.
const loaded = runCli(() => loadSentences(root, texts, n));
if (loaded.length < n) process.stderr.write(`[bench] only ${loaded.length} texts available (asked --n ${n})\n`);
const runs = new Map<string, Run[]>();
for (let rep = 1; rep <= reps; rep++) {
  for (const model of models) for (const mode of MODES) {
    const key = `${model}/${mode}`;
    runs.set(key, [...(runs.get(key) ?? []), worker(mode, model)]);
  }
}
const rate = (r: Run) => (typeof r['sentencesPerSec'] === 'number' ? r['sentencesPerSec'] : Number(r['wallMs']) || 0);
for (const model of models) {
  const tag = model === 'default' ? 'fp32' : model;
  for (const mode of MODES) {
    const all = runs.get(`${model}/${mode}`) ?? [];
    put(`${tag}.${mode}`, medianRun(all, rate));
    if (mode !== 'overload') {
      flat[`${tag}.${mode}.sentencesPerSecMin`] = Math.min(...all.map(rate));
      flat[`${tag}.${mode}.sentencesPerSecMax`] = Math.max(...all.map(rate));
    }
  }
  // (a) and (b) both include batch 1, measured in separate runs: the ceiling is the faster.
  const ceiling = Math.max(flat[`${tag}.rawBest.sentencesPerSec`] as number, flat[`${tag}.raw1.sentencesPerSec`] as number);
  flat[`${tag}.ceilingSentencesPerSec`] = ceiling;
  const ours = flat[`${tag}.encoder64.sentencesPerSec`] as number;
  const peer = flat[`${tag}.transformers.sentencesPerSec`] as number;
  const peer32 = flat[`${tag}.transformers.sweep.batch32`] as number;
  flat[`${tag}.encoder64.ratioToCeiling`] = Math.round((ours / ceiling) * 100) / 100;
  flat[`${tag}.encoder64.ratioToTransformers`] = Math.round((ours / peer) * 100) / 100;
  flat[`${tag}.encoder64.ratioToTransformersBatch32`] = Math.round((ours / peer32) * 100) / 100;
  // Paired: the ratio within each repetition, then the median over repetitions. The VM's
  // speed is bimodal over minutes (docs/benchmarks.md), so a ratio of medians can set a served
  // run from the slow mode against a ceiling from the fast one; a within-repetition ratio
  // cancels that common drift. The keys above keep their meaning; these sit beside them.
  const byRep = (mode: string) => (runs.get(`${model}/${mode}`) ?? []).map(rate);
  const served = byRep('encoder64'), raw1 = byRep('raw1'), rawBest = byRep('rawBest'), tf = byRep('transformers');
  const toCeiling = served.map((s, i) => s / Math.max(raw1[i] as number, rawBest[i] as number));
  const toPeer = served.map((s, i) => s / (tf[i] as number));
  for (const [name, xs] of [['ratioToCeilingPaired', toCeiling], ['ratioToTransformersPaired', toPeer]] as const) {
    flat[`${tag}.encoder64.${name}`] = round(median(xs));
    flat[`${tag}.encoder64.${name}Min`] = round(Math.min(...xs));
    flat[`${tag}.encoder64.${name}Max`] = round(Math.max(...xs));
  }
  flat[`${tag}.encoder64.p99OverP50`] = Math.round(((flat[`${tag}.encoder64.p99Ms`] as number) / (flat[`${tag}.encoder64.p50Ms`] as number)) * 100) / 100;
}
if (models.includes('default') && models.includes('int8')) put('int8VsFp32', worker('agreement', 'int8'));

const result = {
  command: `npx tsx --tsconfig tools/tsconfig.json tools/bench/inference.ts --n ${n} --models ${models.join(',')} --reps ${reps}${textFlags(texts, root)}`,
  date: new Date().toISOString(),
  machine: machineLabel(),
  sentences: loaded.length,
  repetitions: reps,
  textSource: describeTextSource(texts, root),
  ...flat,
};
// inference-instances.ts, roofline.ts and op-profile.ts add their own keys to this file: keep them.
const OTHER_TOOLS = ['instances.', 'ortOptimized.', 'bertFused.', 'catalogInt8.', 'roofline.', 'profile.', 'runs'];
const file = join(root, 'docs', 'benchmarks', 'inference.json');
const kept = existsSync(file)
  ? Object.fromEntries(Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>).filter(([k]) => OTHER_TOOLS.some((p) => k.startsWith(p))))
  : {};
writeBenchJson(root, 'inference', { ...result, ...kept });
