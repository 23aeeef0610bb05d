/**
 * What the exemplar vote (docs/adr/0022) costs a text: (1) the vote subgraph alone in
 * onnxruntime on one thread, (2) a fused default-encoder classifier with and without it,
 * one text per Classifier.predict, modes interleaved. The exemplar set has Banking77's shape
 * (--exemplars rows of 384 floats, 77 labels, k = 10) with seeded random values: the cost does
 * not depend on them. Prints JSON; the figures go to docs/benchmarks.md ("Support chat quality").
 *   npx tsx --tsconfig tools/tsconfig.json tools/bench/exemplar-vote-cost.ts
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { onnx } from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { buildExemplarSet, exemplarVoteNodes, fuseHeadIntoEncoder, type HeadWeights } from '@tuneline/finetune';
import { Classifier, resolveModelDir } from '@tuneline/inference';
import { createRng } from '../replay/prng';
import { intFlag, machineLabel, oddReps, parseFlags, runCli, type CliDef } from './bench-cli';
import { median, round } from './stats';

const CLI: CliDef = {
  script: 'tools/bench/exemplar-vote-cost.ts',
  summary: 'Exemplar vote cost: the vote subgraph alone (1 thread) and a fused bge-small classifier with/without it, ms per text.',
  flags: [
    { name: 'exemplars', default: '6798', help: 'exemplar rows (Banking77 training split: 6798)' },
    { name: 'texts', default: '200', help: 'texts per classifier measurement (one per call)' },
    { name: 'reps', default: '3', help: 'repetitions, odd (modes interleaved; median reported)' },
  ],
};
const D = 384, C = 77, K = 10;
const opts = runCli((argv) => {
  const p = parseFlags(CLI, argv);
  return p.help ? p : { n: intFlag(p.values, 'exemplars'), texts: intFlag(p.values, 'texts'), reps: oddReps(p.values) };
});
const rand = createRng(7).next;

async function subgraphMs(exemplars: ReturnType<typeof buildExemplarSet>): Promise<number> {
  const { nodes, inits } = exemplarVoteNodes({ embedding: 'emb', normalized: true, headProbabilities: 'head', output: 'probabilities', axesAsInput: true, classes: C,
    exemplars: { set: exemplars, options: { k: K, temperature: 0.02, weight: 0.5 } } });
  const vi = (name: string, w: number) => onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: [{ dimParam: 'b' }, { dimValue: w }] } } } });
  const graph = onnx.GraphProto.create({ name: 'vote', input: [vi('emb', D), vi('head', C)], output: [vi('probabilities', C)], node: nodes, initializer: inits });
  const bytes = onnx.ModelProto.encode(onnx.ModelProto.create({ irVersion: 8, opsetImport: [{ domain: '', version: 17 }], graph })).finish();
  const s = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1 });
  const feeds = { emb: new ort.Tensor('float32', Float32Array.from({ length: D }, () => rand() - 0.5), [1, D]), head: new ort.Tensor('float32', new Float32Array(C).fill(1 / C), [1, C]) };
  const runs: number[] = [];
  for (let rep = 0; rep <= opts.reps; rep++) {
    const t0 = performance.now();
    for (let i = 0; i < 1000; i++) await s.run(feeds);
    if (rep > 0) runs.push((performance.now() - t0) / 1000); // rep 0 warms up
  }
  await s.release();
  return median(runs);
}

async function main(): Promise<void> {
  const set = buildExemplarSet(Float64Array.from({ length: opts.n * D }, () => rand() - 0.5), D, Array.from({ length: opts.n }, (_, i) => i % C),
    Array.from({ length: opts.n }, (_, i) => i), C);
  const voteMs = await subgraphMs(set);
  const base = resolveModelDir('default', process.env);
  const head: HeadWeights = { kind: 'linear', inputDim: D, outputDim: C, tensors: {
    W: { shape: [C, D], data: Array.from({ length: C * D }, () => rand() - 0.5) }, b: { shape: [C], data: new Array<number>(C).fill(0) } } };
  const work = mkdtempSync(join(tmpdir(), 'vote-cost-'));
  try {
    const clfs: Record<string, Classifier> = {};
    for (const mode of ['head', 'vote']) {
      const dir = join(work, mode);
      mkdirSync(dir);
      await fuseHeadIntoEncoder({ encoderPath: join(base, 'model.onnx'), outPath: join(dir, 'model.onnx'), head, pooling: 'cls', normalize: true, temperature: 1, multilabel: false,
        ...(mode === 'vote' ? { exemplars: { set, options: { k: K, temperature: 0.02, weight: 0.5 } } } : {}) });
      copyFileSync(join(base, 'tokenizer.json'), join(dir, 'tokenizer.json'));
      const cfg = JSON.parse(readFileSync(join(base, 'tuneline.json'), 'utf8')) as Record<string, unknown>;
      writeFileSync(join(dir, 'tuneline.json'), JSON.stringify({ ...cfg, task: 'classification', outputKind: 'probabilities', outputName: 'probabilities', dimension: D }));
      writeFileSync(join(dir, 'labels.json'), JSON.stringify(Array.from({ length: C }, (_, i) => `intent_${i}`)));
      clfs[mode] = await Classifier.load(dir);
    }
    const texts = Array.from({ length: opts.texts }, (_, i) => `my card payment number ${i} was declined at the shop, what can I do about it?`);
    const runs: Record<string, number[]> = { head: [], vote: [] };
    for (let rep = 0; rep < opts.reps; rep++) {
      for (const mode of ['head', 'vote']) {
        const t0 = performance.now();
        for (const t of texts) await (clfs[mode] as Classifier).predict([t]);
        (runs[mode] as number[]).push((performance.now() - t0) / texts.length);
      }
    }
    for (const c of Object.values(clfs)) await c.dispose();
    process.stdout.write(JSON.stringify({
      date: new Date().toISOString(), machine: machineLabel(), load1: round(loadavg()[0] ?? 0, 2), exemplars: opts.n, dim: D, labels: C, k: K,
      voteSubgraphMsPerText: round(voteMs, 3),
      classifierMsPerText: { head: round(median(runs['head'] as number[]), 2), headAndVote: round(median(runs['vote'] as number[]), 2) },
      runs: Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, v.map((x) => round(x, 2))])),
    }, null, 2) + '\n');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e: Error) => { process.stderr.write(`${e.stack}\n`); process.exit(1); });
