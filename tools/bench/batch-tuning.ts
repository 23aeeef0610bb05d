/**
 * Batch-size tuning for the dynamic batcher (ADR 0009): the Encoder under 64 callers with
 * maxBatchSize forced to each value, models interleaved, median of `reps` runs (odd, so the median is a run).
 * Writes docs/benchmarks/batch-tuning.json. Usage:
 *   npx tsx --tsconfig tools/tsconfig.json tools/bench/batch-tuning.ts [--n 1000] [--reps 3] [--sizes 1,4,8,16,32] [--texts <files>|samples]
 * (--help lists the flags and defaults; texts as in tools/bench/inference.ts).
 */
import { machineLabel, medianRun, runCli, runWorker, writeBenchJson } from './bench-cli';
import { batchTuningOptions } from './options';
import { describeTextSource, loadSentences, textFlags, TEXTS_ENV } from './sentences';

const root = process.cwd();
const { n, reps, sizes, models, texts } = runCli((argv) => batchTuningOptions(argv, root));
// Read once here so a wrong --text-field fails before the first worker starts.
const loaded = runCli(() => loadSentences(root, texts, n));

interface Run { sentencesPerSec: number; p50Ms: number; p99Ms: number }

function encoder64(model: string, maxBatch: number): Run {
  process.stderr.write(`[tune] ${model} maxBatch ${maxBatch} …\n`);
  return runWorker<Run>(root, 'encoder64', model, n, { BENCH_MAX_BATCH: String(maxBatch), [TEXTS_ENV]: JSON.stringify(texts) });
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
  const median = medianRun(all, (r) => r.sentencesPerSec);
  flat[`${tag}.maxBatch${size}.sentencesPerSec`] = median.sentencesPerSec;
  flat[`${tag}.maxBatch${size}.p50Ms`] = median.p50Ms;
  flat[`${tag}.maxBatch${size}.p99Ms`] = median.p99Ms;
}
const result = {
  command: `npx tsx --tsconfig tools/tsconfig.json tools/bench/batch-tuning.ts --n ${n} --reps ${reps} --sizes ${sizes.join(',')}`
    + `${models.join(',') === 'default,int8' ? '' : ` --models ${models.join(',')}`}${textFlags(texts, root)}`,
  date: new Date().toISOString(),
  machine: machineLabel(),
  callers: 64,
  sentences: loaded.length,
  textSource: describeTextSource(texts, root),
  ...flat,
};
writeBenchJson(root, 'batch-tuning', result);
