/**
 * Where the fp32 encoder's time goes (issue 17's "remaining cost, measured"): the model's
 * arithmetic per text against what this machine's ONNX Runtime MatMul can do at most.
 *   npx tsx --tsconfig tools/tsconfig.json tools/bench/roofline.ts [--n 1000] [--texts ...]
 * 1. FLOPs per text, from the graph (readBertGraph: layers, hidden, FFN) and the bench texts'
 *    own token counts, no padding: per token and layer 2·(4H² + 2HF) for the projections and
 *    FFN, plus 4·s·H for QKᵀ and AV at the text's length s (pooling, LayerNorm, GELU and
 *    softmax are < 2% and left out, so the figure is a lower bound on the work).
 * 2. The machine's MatMul peak: one onnxruntime-node session per shape of the encoder's own
 *    projections ([256×384]·[384×384], [256×384]·[384×1536], [256×1536]·[1536×384]; weights
 *    as initialisers, so MLAS pre-packs them as it does in the encoder), default threads, 3 s
 *    each after warm-up; the best shape is the peak.
 * 3. The served and peer rates of docs/benchmarks/inference.json turned into GFLOP/s: how
 *    close each is to the peak and to the mix peak (the three shapes weighted by their share of
 *    the encoder's FLOPs), and what rate "2× the peer" would need. The VM's speed drifts by tens
 *    of percent over minutes, and the peaks are measured now, not during the inference run.
 * Merges `roofline.*` keys into docs/benchmarks/inference.json, keeping every other key.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { onnx } from 'onnx-proto';
import { readBertGraph } from '@tuneline/finetune';
import { loadModelDir, resolveModelDir, TextTokenizer } from '@tuneline/inference';
import { machineLabel, runCli } from './bench-cli';
import { inferenceOptions } from './options';
import { loadSentences, textFlags } from './sentences';
import { round } from './stats';

const root = process.cwd();
const { n, texts } = runCli((argv) => inferenceOptions(argv, root));
const M = 256;
const log = (m: string) => process.stderr.write(`[roofline] ${m}\n`);

function matmulModel(k: number, nOut: number): Uint8Array {
  const FLOAT = onnx.TensorProto.DataType.FLOAT;
  const w = new Float32Array(k * nOut).map((_, i) => ((i * 2654435761) % 1000) / 1000 - 0.5);
  const graph = onnx.GraphProto.create({
    name: 'roofline', node: [onnx.NodeProto.create({ opType: 'MatMul', input: ['x', 'w'], output: ['y'] })],
    initializer: [onnx.TensorProto.create({ name: 'w', dims: [k, nOut], dataType: FLOAT, rawData: new Uint8Array(w.buffer) })],
    input: [onnx.ValueInfoProto.create({ name: 'x', type: { tensorType: { elemType: FLOAT, shape: { dim: [{ dimValue: M }, { dimValue: k }] } } } })],
    output: [onnx.ValueInfoProto.create({ name: 'y', type: { tensorType: { elemType: FLOAT, shape: { dim: [{ dimValue: M }, { dimValue: nOut }] } } } })],
  });
  return onnx.ModelProto.encode(onnx.ModelProto.create({ irVersion: 7, opsetImport: [{ domain: '', version: 13 }], graph })).finish();
}

async function matmulGflops(k: number, nOut: number): Promise<number> {
  const session = await ort.InferenceSession.create(matmulModel(k, nOut), { graphOptimizationLevel: 'all', executionMode: 'sequential', interOpNumThreads: 1 });
  const x = new ort.Tensor('float32', new Float32Array(M * k).fill(0.01), [M, k]);
  for (let i = 0; i < 20; i++) await session.run({ x });
  let runs = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < 3000) {
    await session.run({ x });
    runs++;
  }
  const seconds = (performance.now() - t0) / 1000;
  await session.release();
  return (2 * M * k * nOut * runs) / seconds / 1e9;
}

async function main(): Promise<void> {
  const dir = await loadModelDir(resolveModelDir('default', process.env));
  const g = readBertGraph(onnx.ModelProto.decode(readFileSync(dir.onnxPath)));
  const tok = await TextTokenizer.fromFile(dir.tokenizerPath, dir.config.maxLength);
  const sample = loadSentences(root, texts, n);
  const H = g.hidden, F = g.ffn, L = g.layers;
  let flops = 0, tokens = 0;
  for (const t of sample) {
    const s = tok.encode(t).ids.length;
    tokens += s;
    flops += L * s * (2 * (4 * H * H + 2 * H * F) + 4 * s * H);
  }
  const gflopPerText = flops / sample.length / 1e9;
  log(`${sample.length} texts, ${round(tokens / sample.length, 1)} tokens/text, ${round(gflopPerText, 3)} GFLOP/text (L ${L}, H ${H}, FFN ${F})`);

  const shapes: Array<[number, number]> = [[H, H], [H, F], [F, H]];
  const peaks: Record<string, number> = {};
  for (const [k, o] of shapes) {
    peaks[`${k}x${o}`] = round(await matmulGflops(k, o), 1);
    log(`MatMul [${M}x${k}]·[${k}x${o}]: ${peaks[`${k}x${o}`]} GFLOP/s`);
  }
  const peak = Math.max(...Object.values(peaks));
  // The encoder's own mix: per layer and token 4·H² MACs in H×H shapes (Q, K, V, output), H·F in
  // H×F (FFN up) and F·H in F×H (FFN down): the time-weighted peak it could reach at best.
  const mixPeak = (4 * H * H + 2 * H * F) / ((4 * H * H) / (peaks[`${H}x${H}`] as number) + (H * F) / (peaks[`${H}x${F}`] as number) + (F * H) / (peaks[`${F}x${H}`] as number));

  const file = join(root, 'docs', 'benchmarks', 'inference.json');
  const bench = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const rate = (key: string): number => {
    const v = bench[key];
    if (typeof v !== 'number') throw new Error(`${file} has no number at ${key}: run tools/bench/inference.ts first`);
    return v;
  };
  const served = rate('fp32.encoder64.sentencesPerSec');
  const peer = rate('fp32.transformers.sentencesPerSec');
  const flat: Record<string, unknown> = {
    'roofline.command': `npx tsx --tsconfig tools/tsconfig.json tools/bench/roofline.ts --n ${n}${textFlags(texts, root)}`,
    'roofline.date': new Date().toISOString(),
    'roofline.machine': `${machineLabel()}; ${cpus().length} cores used by ORT (default threads)`,
    'roofline.tokensPerText': round(tokens / sample.length, 2),
    'roofline.fp32.gflopPerText': round(gflopPerText, 4),
    ...Object.fromEntries(Object.entries(peaks).map(([k, v]) => [`roofline.matmulPeakGflops.${k}`, v])),
    'roofline.matmulPeakGflops': peak,
    'roofline.matmulMixPeakGflops': round(mixPeak, 1),
    'roofline.fp32.servedShareOfMixPeak': round((served * gflopPerText) / mixPeak, 3),
    'roofline.fp32.twiceTransformersShareOfMixPeak': round((2 * peer * gflopPerText) / mixPeak, 3),
    'roofline.fp32.servedGflops': round(served * gflopPerText, 1),
    'roofline.fp32.servedShareOfPeak': round((served * gflopPerText) / peak, 3),
    'roofline.fp32.transformersGflops': round(peer * gflopPerText, 1),
    'roofline.fp32.twiceTransformersNeedsGflops': round(2 * peer * gflopPerText, 1),
    'roofline.fp32.twiceTransformersShareOfPeak': round((2 * peer * gflopPerText) / peak, 3),
  };
  writeFileSync(file, JSON.stringify({ ...bench, ...flat }, null, 2) + '\n');
  process.stdout.write(JSON.stringify(flat, null, 2) + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(1);
});
