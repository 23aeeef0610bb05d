/**
 * Step 1 of the independent logistic-regression probe (docs/benchmarks.md): embeds the
 * finetune-quality split (tools/bench/held-out.ts: 80/20, stratified, seed 42) with the same
 * frozen encoder and pooling the library trains on, and writes per dataset
 *   <out>/<name>.train.f32, <out>/<name>.heldout.f32  row-major float32 (little-endian), rows × dim
 *   <out>/<name>.json                                 dim, label names, label index per row, provenance
 * Step 2, tools/bench/probe_logreg.py, fits scikit-learn's LogisticRegression on them.
 *   npx tsx --tsconfig tools/tsconfig.json tools/bench/probe-embeddings.ts [--base default] [--datasets banking77,financial_phrasebank]
 * Vectors go through the library's EmbeddingCache (--cache), so a rerun skips the encoder.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { Encoder, loadModelDir, resolveModelDir, sha256File } from '@tuneline/inference';
import { EmbeddingCache, embedTexts } from '@tuneline/finetune';
import { machineLabel, runCli } from './bench-cli';
import { HELD_OUT_FRACTION, heldOutSplit, SPLIT_SEED } from './held-out';
import { loadLabelled } from './labelled-data';
import { probeEmbeddingsOptions } from './options';
import { round } from './stats';

const root = process.cwd();
const opts = runCli((argv) => probeEmbeddingsOptions(argv, root));
const log = (m: string) => process.stderr.write(`[probe-embeddings] ${m}\n`);

function float32(X: Float64Array): Buffer {
  const f = Float32Array.from(X);
  return Buffer.from(f.buffer, f.byteOffset, f.byteLength);
}

async function main(): Promise<void> {
  const baseDir = resolveModelDir(opts.base, process.env);
  const base = await loadModelDir(baseDir);
  // Same cache key as libs/finetune's pipeline: the catalog's pinned sha256, else the file's.
  const baseSha = typeof base.config.source['sha256'] === 'string' ? (base.config.source['sha256'] as string) : await sha256File(base.onnxPath);
  const out = resolve(root, opts.out);
  mkdirSync(out, { recursive: true });
  const encoder = await Encoder.load(baseDir);
  try {
    const dim = ((await encoder.embed(['dimension probe']))[0] as Float32Array).length;
    const cache = await EmbeddingCache.open(resolve(root, opts.cache), baseSha, dim);
    for (const spec of opts.datasets) {
      const rows = loadLabelled(spec);
      const { train, heldOut } = heldOutSplit(rows);
      const labels = [...new Set(rows.map((r) => r.label))].sort();
      const index = new Map(labels.map((l, i) => [l, i]));
      log(`${spec.name}: ${rows.length} rows → train ${train.length}, held-out ${heldOut.length}, ${labels.length} labels`);
      const a = await embedTexts(encoder, train.map((r) => r.text), dim, cache);
      const b = await embedTexts(encoder, heldOut.map((r) => r.text), dim, cache);
      log(`${spec.name}: ${a.stats.encoded + b.stats.encoded} texts encoded, ${a.stats.cacheHits + b.stats.cacheHits} from cache, ${round(a.stats.seconds + b.stats.seconds, 1)} s`);
      writeFileSync(join(out, `${spec.name}.train.f32`), float32(a.X));
      writeFileSync(join(out, `${spec.name}.heldout.f32`), float32(b.X));
      const meta = {
        name: spec.name, file: relative(root, spec.file), textField: spec.textField, labelField: spec.labelField,
        base: opts.base, baseDir: relative(root, baseDir), baseSha256: baseSha, pooling: base.config.pooling, normalize: base.config.normalize, dim,
        split: `stratified by label, held-out fraction ${HELD_OUT_FRACTION}, seed ${SPLIT_SEED} (tools/bench/held-out.ts, as finetune-quality.ts)`,
        labels, trainRows: train.length, heldOutRows: heldOut.length,
        trainLabels: train.map((r) => index.get(r.label) as number), heldOutLabels: heldOut.map((r) => index.get(r.label) as number),
        embedSeconds: round(a.stats.seconds + b.stats.seconds, 1),
        command: `npx tsx --tsconfig tools/tsconfig.json tools/bench/probe-embeddings.ts --base ${opts.base} ${opts.flags}`,
        machine: machineLabel(), date: new Date().toISOString(),
      };
      writeFileSync(join(out, `${spec.name}.json`), JSON.stringify(meta) + '\n');
      log(`${spec.name}: wrote ${relative(root, join(out, spec.name))}.{train,heldout}.f32 and .json`);
    }
  } finally {
    await encoder.dispose();
  }
}

main().catch((e: Error) => { process.stderr.write(`${e.stack}\n`); process.exit(1); });
