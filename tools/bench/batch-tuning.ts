/**
 * Batch-size tuning for the dynamic batcher (ADR 0009): the Encoder under 64 callers with
 * maxBatchSize forced to each value, models interleaved, median of `reps` runs (odd, so the median is a run).
 * Writes docs/benchmarks/batch-tuning.json. Usage:
 *   npx tsx --tsconfig tools/tsconfig.json tools/bench/batch-tuning.ts [--n 1000] [--reps 3] [--sizes 1,4,8,16,32]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => { const i = args.indexOf(`--${name}`); return i >= 0 ? (args[i + 1] as string) : dflt; };
const n = Number(opt('n', '1000'));
const reps = Number(opt('reps', '3'));
const sizes = opt('sizes', '1,4,8,16,32').split(',').map(Number);
if (reps % 2 === 0) throw new RangeError('--reps must be odd: the reported figures are the median run');
const models = ['default', 'int8'];
const root = process.cwd();

interface Run { sentencesPerSec: number; p50Ms: number; p99Ms: number }

function encoder64(model: string, maxBatch: number): Run {
  process.stderr.write(`[tune] ${model} maxBatch ${maxBatch} …\n`);
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(root, 'tools/bench/inference-worker.ts'), 'encoder64', model, String(n)], {
    cwd: root, stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24,
    env: { ...process.env, TSX_TSCONFIG_PATH: join(root, 'tools/tsconfig.json'), BENCH_MAX_BATCH: String(maxBatch) },
  });
  return JSON.parse(out.toString().trim().split('\n').pop() as string) as Run;
}

const runs = new Map<string, Run[]>();
for (let rep = 0; rep < reps; rep++) {
  for (const size of sizes) for (const model of models) {
    const key = `${model}/${size}`;
    runs.set(key, [...(runs.get(key) ?? []), encoder64(model, size)]);
  }
}
const flat: Record<string, number> = {};
for (const [key, all] of runs) {
  const [model, size] = key.split('/');
  const tag = model === 'default' ? 'fp32' : (model as string);
  const median = [...all].sort((a, b) => a.sentencesPerSec - b.sentencesPerSec)[Math.floor(all.length / 2)] as Run;
  flat[`${tag}.maxBatch${size}.sentencesPerSec`] = median.sentencesPerSec;
  flat[`${tag}.maxBatch${size}.p50Ms`] = median.p50Ms;
  flat[`${tag}.maxBatch${size}.p99Ms`] = median.p99Ms;
}
const result = {
  command: `npx tsx --tsconfig tools/tsconfig.json tools/bench/batch-tuning.ts --n ${n} --reps ${reps} --sizes ${sizes.join(',')}`,
  date: new Date().toISOString(),
  machine: `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`,
  callers: 64,
  ...flat,
};
mkdirSync(join(root, 'docs', 'benchmarks'), { recursive: true });
writeFileSync(join(root, 'docs', 'benchmarks', 'batch-tuning.json'), JSON.stringify(result, null, 2) + '\n');
process.stdout.write(JSON.stringify(result, null, 2) + '\n');
