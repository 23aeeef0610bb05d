/**
 * Inference benchmark (issue: libs/inference). Runs each measurement in its own process
 * and writes docs/benchmarks/inference.json. Usage:
 *   npx tsx --tsconfig tools/tsconfig.json tools/bench/inference.ts [--n 1000] [--models default,int8] [--reps 3]
 * The shared 2-core VM's speed drifts by up to ±40% over minutes, so every measurement is
 * repeated `reps` times, modes interleaved, and the median run (by sentences/s) is reported
 * with the slowest and fastest rates beside it.
 */
import { flag, machineLabel, medianRun, oddReps, runWorker, writeBenchJson } from './bench-cli';
import { loadSentences } from './sentences';

const n = Number(flag('n', '1000'));
const reps = oddReps();
const models = flag('models', 'default,int8').split(',');
const root = process.cwd();

type Run = Record<string, number | string | Record<string, number>>;

function worker(mode: string, model: string): Run {
  process.stderr.write(`[bench] ${mode} ${model} …\n`);
  return runWorker<Run>(root, mode, model, n);
}

const flat: Record<string, number | string> = {};
const put = (prefix: string, r: Record<string, unknown>) => {
  for (const [k, v] of Object.entries(r)) {
    if (k === 'mode' || k === 'model') continue;
    if (typeof v === 'number') flat[`${prefix}.${k}`] = v;
    else if (v && typeof v === 'object') for (const [k2, v2] of Object.entries(v)) if (typeof v2 === 'number') flat[`${prefix}.${k}.${k2}`] = v2;
  }
};
const MODES = ['raw1', 'rawBest', 'transformers', 'encoder64', 'overload'];
const { source } = loadSentences(root, n);
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
  flat[`${tag}.encoder64.p99OverP50`] = Math.round(((flat[`${tag}.encoder64.p99Ms`] as number) / (flat[`${tag}.encoder64.p50Ms`] as number)) * 100) / 100;
}
if (models.includes('default') && models.includes('int8')) put('int8VsFp32', worker('agreement', 'int8'));

const result = {
  command: `npx tsx --tsconfig tools/tsconfig.json tools/bench/inference.ts --n ${n} --models ${models.join(',')} --reps ${reps}`,
  date: new Date().toISOString(),
  machine: machineLabel(),
  sentences: n,
  repetitions: reps,
  textSource: source,
  ...flat,
};
writeBenchJson(root, 'inference', result);
