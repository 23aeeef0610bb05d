/**
 * Measures the embedding-similarity topic scorer on libs/sentiment/samples/financial-topics.jsonl
 * with a real encoder: accuracy per temperature-free argmax, how often `other` is assigned at a
 * few thresholds, and the spread of best cosines (what DEFAULT_OTHER_THRESHOLD and
 * DEFAULT_TOPIC_TEMPERATURE in libs/sentiment/src/enrich/topic-similarity.ts rest on).
 *   npx tsx --tsconfig tools/tsconfig.json tools/replay/topic-fit.ts [--model default]
 */
import { readFileSync } from 'node:fs';
import { Encoder, resolveModelDir } from '@tuneline/inference';
import { createSimilarityTopicScorer, loadTopicsFile, sentimentSamplePath } from '@tuneline/sentiment';
import { parseFlags, runCli, type CliDef } from '../bench/bench-cli';

const CLI: CliDef = {
  script: 'tools/replay/topic-fit.ts',
  summary: 'Topic accuracy and cosine spread of the embedding-similarity scorer on the sample topic examples.',
  flags: [{ name: 'model', default: 'default', help: 'encoder (catalog name or directory)' }],
};

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))] as number;

async function main(): Promise<void> {
  const { values } = runCli((argv) => parseFlags(CLI, argv));
  const encoder = await Encoder.load(resolveModelDir(values['model'], process.env));
  try {
    const rows = readFileSync(sentimentSamplePath('topicExamples'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { text: string; labels: string[] });
    // The encoder takes at most 256 texts a call.
    const embed = async (texts: string[]) => {
      const out: Float32Array[] = [];
      for (let i = 0; i < texts.length; i += 128) out.push(...(await encoder.embed(texts.slice(i, i + 128))));
      return out;
    };
    const vectors = await embed(rows.map((r) => r.text));
    for (const threshold of [-1, 0.4, 0.45, 0.5, 0.55]) {
      const scorer = await createSimilarityTopicScorer(loadTopicsFile(), embed, { otherThreshold: threshold });
      let correct = 0;
      let other = 0;
      rows.forEach((r, i) => {
        const top = scorer.score(vectors[i])[0]?.label;
        if (top === r.labels[0]) correct++;
        if (top === 'other') other++;
      });
      process.stdout.write(`otherThreshold ${threshold}: accuracy ${(correct / rows.length).toFixed(3)}, other assigned ${(other / rows.length).toFixed(3)}\n`);
    }
    // Best and runner-up cosines (temperature 1 ⇒ recover cosines from the softmax is not possible; recompute directly).
    const topics = loadTopicsFile();
    const centroids = await Promise.all(topics.map(async (t) => {
      const vs = await embed([...t.descriptions]);
      const mean = new Float64Array(vs[0]?.length ?? 0);
      for (const v of vs) {
        const n = Math.hypot(...v);
        v.forEach((x, k) => (mean[k] += x / n));
      }
      const n = Math.hypot(...mean);
      return mean.map((x) => x / n);
    }));
    const best: number[] = [];
    const gap: number[] = [];
    for (const v of vectors) {
      const n = Math.hypot(...v);
      const cos = centroids.map((c) => c.reduce((s, x, k) => s + x * (v[k] as number) / n, 0)).sort((a, b) => b - a);
      best.push(cos[0] as number);
      gap.push((cos[0] as number) - (cos[1] as number));
    }
    const q = (xs: number[]) => [0.05, 0.25, 0.5, 0.75, 0.95].map((p) => quantile(xs, p).toFixed(3)).join(' / ');
    process.stdout.write(`best cosine p5/p25/p50/p75/p95: ${q(best)}\nlead over runner-up p5/p25/p50/p75/p95: ${q(gap)}\n`);
  } finally {
    await encoder.dispose();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
