/**
 * What a second encoder would cost the support-chat intent classifier per text (issue 11 probe,
 * tools/bench/probe_selective.py): each --bases encoder embeds the same short texts one per
 * call (the chat's batch size 1), encoders interleaved per rep, median ms per text, plus the
 * model file's size. Prints JSON; the figures go to docs/benchmarks.md ("Support chat quality").
 *   npx tsx --tsconfig tools/tsconfig.json tools/bench/probe-encoder-cost.ts [--bases default,minilm]
 */
import { statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { Encoder, loadModelDir, resolveModelDir } from '@tuneline/inference';
import { intFlag, listFlag, machineLabel, oddReps, parseFlags, runCli, type CliDef } from './bench-cli';
import { mb, median, round } from './stats';

const CLI: CliDef = {
  script: 'tools/bench/probe-encoder-cost.ts',
  summary: 'Encoders embedding one short text per call, interleaved: median ms per text and model size.',
  flags: [
    { name: 'bases', default: 'default,minilm', help: 'encoders (catalog names or directories)' },
    { name: 'texts', default: '200', help: 'texts per measurement (one per call)' },
    { name: 'reps', default: '3', help: 'repetitions, odd (encoders interleaved; median reported)' },
  ],
};
const opts = runCli((argv) => {
  const p = parseFlags(CLI, argv);
  return p.help ? p : { bases: listFlag(p.values, 'bases'), texts: intFlag(p.values, 'texts'), reps: oddReps(p.values) };
});

async function main(): Promise<void> {
  const encoders = new Map<string, Encoder>();
  const bytes: Record<string, number> = {};
  for (const base of opts.bases) {
    const dir = resolveModelDir(base, process.env);
    bytes[base] = statSync((await loadModelDir(dir)).onnxPath).size;
    encoders.set(base, await Encoder.load(dir));
  }
  // Banking77-length messages (~12 words), distinct so no cache of any kind can help.
  const texts = Array.from({ length: opts.texts }, (_, i) => `my card payment number ${i} was declined at the shop, what can I do about it?`);
  const runs: Record<string, number[]> = Object.fromEntries(opts.bases.map((b) => [b, []]));
  try {
    for (const e of encoders.values()) for (const t of texts.slice(0, 20)) await e.embed([t]); // warm-up
    for (let rep = 0; rep < opts.reps; rep++) {
      for (const [base, e] of encoders) {
        const t0 = performance.now();
        for (const t of texts) await e.embed([t]);
        (runs[base] as number[]).push((performance.now() - t0) / texts.length);
      }
    }
  } finally {
    for (const e of encoders.values()) await e.dispose();
  }
  process.stdout.write(JSON.stringify({
    date: new Date().toISOString(), machine: machineLabel(), load1: round(loadavg()[0] ?? 0, 2), texts: opts.texts, reps: opts.reps,
    msPerText: Object.fromEntries(opts.bases.map((b) => [b, round(median(runs[b] as number[]), 2)])),
    modelMB: Object.fromEntries(opts.bases.map((b) => [b, mb(bytes[b] as number)])),
    runs: Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, v.map((x) => round(x, 2))])),
  }, null, 2) + '\n');
}

main().catch((e: Error) => { process.stderr.write(`${e.stack}\n`); process.exit(1); });
