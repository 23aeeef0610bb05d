/**
 * Inference benchmark (issue: libs/inference). Runs each measurement in its own process
 * and writes docs/benchmarks/inference.json. Usage:
 *   npx tsx --tsconfig tools/tsconfig.json tools/bench/inference.ts [--n 1000] [--models default,int8] [--reps 3]
 * The shared 2-core VM's speed drifts by up to ±40% over minutes, so every measurement is
 * repeated `reps` times, modes interleaved, and the median run (by sentences/s) is reported
 * with the slowest and fastest rates beside it.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { loadSentences } from './sentences';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => { const i = args.indexOf(`--${name}`); return i >= 0 ? (args[i + 1] as string) : dflt; };
const n = Number(opt('n', '1000'));
const reps = Number(opt('reps', '3'));
if (!(Number.isInteger(reps) && reps >= 1 && reps % 2 === 1)) throw new RangeError('--reps must be an odd integer >= 1: the reported figures are the median run');
const models = opt('models', 'default,int8').split(',');
const root = process.cwd();

function worker(mode: string, model: string): Record<string, number | string | Record<string, number>> {
  process.stderr.write(`[bench] ${mode} ${model} …\n`);
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(root, 'tools/bench/inference-worker.ts'), mode, model, String(n)],
    { cwd: root, env: { ...process.env, TSX_TSCONFIG_PATH: join(root, 'tools/tsconfig.json') }, stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 });
  const line = out.toString().trim().split('\n').pop() as string;
  return JSON.parse(line) as Record<string, number | string | Record<string, number>>;
}

const flat: Record<string, number | string> = {};
const put = (prefix: string, r: Record<string, unknown>) => {
  for (const [k, v] of Object.entries(r)) {
    if (k === 'mode' || k === 'model') continue;
    if (typeof v === 'number') flat[`${prefix}.${k}`] = v;
    else if (v && typeof v === 'object') for (const [k2, v2] of Object.entries(v)) if (typeof v2 === 'number') flat[`${prefix}.${k}.${k2}`] = v2;
  }
};

type Run = Record<string, number | string | Record<string, number>>;
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
    const all = [...(runs.get(`${model}/${mode}`) ?? [])].sort((a, b) => rate(a) - rate(b));
    put(`${tag}.${mode}`, all[Math.floor(all.length / 2)] as Run);
    if (mode !== 'overload') {
      flat[`${tag}.${mode}.sentencesPerSecMin`] = rate(all[0] as Run);
      flat[`${tag}.${mode}.sentencesPerSecMax`] = rate(all[all.length - 1] as Run);
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
  machine: `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`,
  sentences: n,
  repetitions: reps,
  textSource: source,
  ...flat,
};
mkdirSync(join(root, 'docs', 'benchmarks'), { recursive: true });
writeFileSync(join(root, 'docs', 'benchmarks', 'inference.json'), JSON.stringify(result, null, 2) + '\n');
process.stdout.write(JSON.stringify(result, null, 2) + '\n');
