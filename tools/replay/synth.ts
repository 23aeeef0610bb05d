/**
 * Synthesises a news.raw stream with known negative surges from a labelled corpus
 * (npm run replay:synth -- --input ../shared/datasets/financial_phrasebank/train.jsonl
 *  --entities "Acme,Globex,Initech" --surges "Acme@2h:30m" --out stream.jsonl --truth truth.json).
 * Flags: cli-options.ts (SYNTH_CLI); logic: synthesize.ts.
 */
import { writeFileSync } from 'node:fs';
import { runCli, UsageError } from '../bench/bench-cli';
import { loadLabelled } from '../bench/labelled-data';
import { synthArgs } from './cli-options';
import { toCorpus } from './corpus';
import { synthesizeStream } from './synthesize';

function main(): void {
  const args = runCli((argv) => synthArgs(argv));
  const rows = loadLabelled({ name: 'input', file: args.input, textField: args.textField, labelField: args.labelField });
  let out;
  try {
    out = synthesizeStream({ ...args, sentences: toCorpus(rows, args.input) });
  } catch (e) {
    if (e instanceof RangeError || e instanceof TypeError) throw new UsageError((e as Error).message);
    throw e;
  }
  writeFileSync(args.out, out.records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  writeFileSync(args.truth, JSON.stringify(out.truth, null, 2) + '\n');
  const surges = out.truth.surges.map((s) => `${s.entity} ${s.start}..${s.end} ${s.negatives}/${s.items} negative`).join('; ') || 'none';
  process.stdout.write(`${out.records.length} records → ${args.out}; truth → ${args.truth}; surges: ${surges}\n`);
}

try {
  main();
} catch (e) {
  process.stderr.write(`error: ${(e as Error).message}\n`);
  process.exit(e instanceof UsageError ? 2 : 1);
}
