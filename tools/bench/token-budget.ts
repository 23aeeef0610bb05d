/**
 * Token-budget sweep (issue 17): is the batcher's `maxTokensPerBatch` default the best at
 * mixed lengths? The Encoder under 64 callers, every other knob at the library default,
 * `maxTokensPerBatch` forced to each --budgets value, models interleaved per repetition, the
 * median of --reps runs (each in its own process). Usage:
 *   npx tsx --tsconfig tools/tsconfig.json tools/bench/token-budget.ts [--n 600] [--reps 3] [--budgets 512,1024,2048,4096,16384] [--texts ...]
 * Mixed lengths: the text source (default: the shared Banking77 + PhraseBank training texts,
 * interleaved) joined into texts of 1 to 12 consecutive sentences by a fixed cycle
 * (MIX_PATTERN), so one load has ~15-token questions beside ~350-token paragraphs; the
 * file is written to .cache/bench/token-budget/mixed.txt. Writes docs/benchmarks/token-budget.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_BATCHER_OPTIONS } from '@tuneline/inference';
import { machineLabel, medianRun, runCli, runWorker, writeBenchJson } from './bench-cli';
import { tokenBudgetOptions } from './options';
import { describeTextSource, loadSentences, textFlags, TEXTS_ENV, type TextSource } from './sentences';

/** Sentences per text, cycled: half single sentences, the rest 2-12 joined (mean 3.2). */
export const MIX_PATTERN = [1, 2, 1, 4, 1, 8, 1, 3, 1, 12] as const;

/** `count` texts of MIX_PATTERN[i % 10] consecutive sentences each, joined by a space. */
export function mixLengths(sentences: readonly string[], count: number): string[] {
  const out: string[] = [];
  let next = 0;
  for (let i = 0; out.length < count && next < sentences.length; i++) {
    const k = MIX_PATTERN[i % MIX_PATTERN.length] as number;
    out.push(sentences.slice(next, next + k).join(' ').replace(/\s+/gu, ' '));
    next += k;
  }
  return out;
}

const root = process.cwd();
const { n, reps, models, budgets, texts } = runCli((argv) => tokenBudgetOptions(argv, root));
const sentences = runCli(() => loadSentences(root, texts, Math.ceil(n * 3.3)));
const mixed = mixLengths(sentences, n);
if (mixed.length < n) process.stderr.write(`[token-budget] only ${mixed.length} mixed texts available (asked --n ${n})\n`);
const dir = join(root, '.cache', 'bench', 'token-budget');
mkdirSync(dir, { recursive: true });
const mixedFile = join(dir, 'mixed.txt');
writeFileSync(mixedFile, mixed.join('\n') + '\n');
const source: TextSource = { kind: 'files', files: [mixedFile], field: 'text' };

interface Run { sentencesPerSec: number; p50Ms: number; p99Ms: number; rssPeakMb: number; loadAvg1: number; instances: number }
const tagOf = (model: string) => (model === 'default' ? 'fp32' : model);

const runs = new Map<string, Run[]>();
for (let rep = 0; rep < reps; rep++) {
  for (const budget of budgets) for (const model of models) {
    const key = `${tagOf(model)}.budget${budget}`;
    process.stderr.write(`[token-budget] rep ${rep + 1}/${reps} ${key} …\n`);
    const run = runWorker<Run>(root, 'encoder64', model, mixed.length, { BENCH_MAX_TOKENS: String(budget), [TEXTS_ENV]: JSON.stringify(source) });
    runs.set(key, [...(runs.get(key) ?? []), run]);
  }
}

const flat: Record<string, number> = {};
for (const model of models) {
  const tag = tagOf(model);
  let best = { budget: 0, rate: -1 };
  for (const budget of budgets) {
    const median = medianRun(runs.get(`${tag}.budget${budget}`) as Run[], (r) => r.sentencesPerSec);
    flat[`${tag}.budget${budget}.sentencesPerSec`] = median.sentencesPerSec;
    flat[`${tag}.budget${budget}.p50Ms`] = median.p50Ms;
    flat[`${tag}.budget${budget}.p99Ms`] = median.p99Ms;
    flat[`${tag}.budget${budget}.loadAvg1`] = median.loadAvg1;
    if (median.sentencesPerSec > best.rate) best = { budget, rate: median.sentencesPerSec };
  }
  flat[`${tag}.bestBudget`] = best.budget;
}
const lengths = mixed.map((t) => t.length).sort((a, b) => a - b);
writeBenchJson(root, 'token-budget', {
  command: `npx tsx --tsconfig tools/tsconfig.json tools/bench/token-budget.ts --n ${n} --reps ${reps} --budgets ${budgets.join(',')}`
    + `${models.join(',') === 'default,int8' ? '' : ` --models ${models.join(',')}`}${textFlags(texts, root)}`,
  date: new Date().toISOString(),
  machine: machineLabel(),
  callers: 64,
  texts: mixed.length,
  textSource: `${describeTextSource(texts, root)}, joined ${MIX_PATTERN.join('/')} sentences per text`,
  textChars: { min: lengths[0], median: lengths[Math.floor(lengths.length / 2)], max: lengths[lengths.length - 1] },
  libraryDefault: { maxTokensPerBatch: DEFAULT_BATCHER_OPTIONS.maxTokensPerBatch, maxBatchSize: DEFAULT_BATCHER_OPTIONS.maxBatchSize },
  ...flat,
});
