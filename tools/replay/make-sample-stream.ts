/**
 * Writes libs/sentiment/samples' generated files from tools/replay/sample-templates.ts and
 * samples/watchlist.json (README there): financial-sentiment.jsonl, financial-topics.jsonl,
 * news-sample.jsonl and news-sample.truth.json. Deterministic: same --seed, same bytes.
 *   npx tsx --tsconfig tools/tsconfig.json tools/replay/make-sample-stream.ts [--seed 20250106] [--out DIR]
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadWatchListFile, SENTIMENT_SAMPLE_FILES, SENTIMENT_SAMPLES_DIR } from '@tuneline/sentiment';
import { intFlag, parseFlags, runCli, type CliDef } from '../bench/bench-cli';
import { buildSamples, DEFAULT_SAMPLE_SEED, renderSampleFiles } from './sample-stream';

const CLI: CliDef = {
  script: 'tools/replay/make-sample-stream.ts',
  summary: 'Regenerates the sentiment samples (training sentences, topic examples, the news.raw sample stream and its truth) from the templates.',
  flags: [
    { name: 'seed', default: String(DEFAULT_SAMPLE_SEED), help: 'PRNG seed' },
    { name: 'out', default: SENTIMENT_SAMPLES_DIR, help: 'samples directory (must hold watchlist.json)' },
  ],
};

function main(): void {
  const { values } = runCli((argv) => parseFlags(CLI, argv));
  const seed = intFlag(values, 'seed', 0);
  const out = values['out'] as string;
  const samples = buildSamples(loadWatchListFile(join(out, SENTIMENT_SAMPLE_FILES.watchList)), seed);
  const files = renderSampleFiles(samples);
  for (const [key, text] of Object.entries(files)) writeFileSync(join(out, SENTIMENT_SAMPLE_FILES[key as keyof typeof files]), text);
  const { sentences, records, truth } = samples;
  const surge = truth.surges.map((s) => `${s.entity} ${s.start}..${s.end} (${s.negatives}/${s.items} negative)`).join('; ');
  process.stdout.write(`${sentences.length} sentences, ${records.length} stream items ${truth.start}..${truth.end}; surge: ${surge}\n`);
}

main();
