/**
 * Where the encoder's time goes (issue 17's "remaining cost, measured"): the model's
 * arithmetic per text against what this machine's ONNX Runtime can do at most, fp32 and int8.
 *   npx tsx --tsconfig tools/tsconfig.json tools/bench/roofline.ts [--n 1000] [--seconds 3] [--texts ...]
 * 1. fp32 FLOPs per text, from the graph (readBertGraph: layers, hidden, FFN) and the bench texts'
 *    own token counts, no padding: per token and layer 2·(4H² + 2HF) for the projections and
 *    FFN, plus 4·s·H for QKᵀ and AV at the text's length s (pooling, LayerNorm, GELU and
 *    softmax are < 2% and left out, so the figure is a lower bound on the work).
 * 2. The machine's MatMul peak: one onnxruntime-node session per shape of the encoder's own
 *    projections ([256×384]·[384×384], [256×384]·[384×1536], [256×1536]·[1536×384]; weights
 *    as initialisers, so MLAS pre-packs them as it does in the encoder), default threads,
 *    --seconds each after warm-up; the best shape is the peak.
 * 3. The served and peer rates of docs/benchmarks/inference.json turned into GFLOP/s: how
 *    close each is to the peak and to the mix peak (the three shapes weighted by their share of
 *    the encoder's FLOPs), and what rate "2× the peer" would need. The VM's speed drifts by tens
 *    of percent over minutes, and the peaks are measured now, not during the inference run.
 * 4. int8, the same way (roofline-int8.ts): integer operations per text (2 per multiply-add of
 *    every MatMulInteger, read from the int8 graph), and the peak of its product path as the
 *    graph runs it (DynamicQuantizeLinear + MatMulInteger + dequantisation, the Q/K/V products
 *    sharing one quantised input), per pattern of the graph and over its mix. The int8 graph's
 *    attention (QKᵀ, AV) stays fp32 and is left out of its operations (about 1% of them at 25
 *    tokens), so its shares are lower bounds too. The integer product alone (input already
 *    quantised) is timed as well: the difference is what the dynamic quantisation costs.
 * Merges `roofline.*` keys into docs/benchmarks/inference.json, keeping every other key.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { onnx } from 'onnx-proto';
import { readBertGraph } from '@tuneline/finetune';
import { loadModelDir, resolveModelDir, TextTokenizer } from '@tuneline/inference';
import { machineLabel, runCli } from './bench-cli';
import { aggregateTrace, type TraceEvent } from './op-profile-trace';
import { rooflineOptions } from './options';
import { dynamicQuantizedModel, integerOnlyModel, kernelsOf, readInt8Graph } from './roofline-int8';
import { loadSentences, textFlags } from './sentences';
import { round } from './stats';

const root = process.cwd();
const { n, seconds, texts } = runCli((argv) => rooflineOptions(argv, root));
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

/** A product's rate three ways: per wall second of the JS loop, per second inside session.run, per second of kernel time. */
interface Rate { readonly gops: number; readonly sessionGops: number; readonly kernelGops: number; readonly kernels: string }

/**
 * Operations per second of one graph run over and over (`ops` per run), at the encoder's
 * session settings, with ORT's profiler on: besides the wall-clock rate, the rate over the
 * runs' own time (model_run) and over the kernels' time, so per-call costs of the binding
 * (a few hundred µs per run here) are not read as the kernel's speed. Also the op types ORT
 * turned the graph into (written via optimizedModelFilePath).
 */
async function peakRate(model: Uint8Array, feeds: Record<string, ort.Tensor>, ops: number): Promise<Rate> {
  const dir = mkdtempSync(join(tmpdir(), 'roofline-'));
  const optimized = join(dir, 'optimized.onnx');
  try {
    const session = await ort.InferenceSession.create(model, { graphOptimizationLevel: 'all', executionMode: 'sequential', interOpNumThreads: 1,
      optimizedModelFilePath: optimized, logSeverityLevel: 3, enableProfiling: true, profileFilePrefix: join(dir, 'profile') });
    const warmup = 20;
    for (let i = 0; i < warmup; i++) await session.run(feeds);
    let runs = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < seconds * 1000) {
      await session.run(feeds);
      runs++;
    }
    const elapsed = (performance.now() - t0) / 1000;
    session.endProfiling();
    await session.release();
    const trace = readdirSync(dir).find((f) => f.startsWith('profile') && f.endsWith('.json'));
    if (!trace) throw new Error('ORT wrote no profile for the roofline session');
    const p = aggregateTrace(JSON.parse(readFileSync(join(dir, trace), 'utf8')) as TraceEvent[], warmup);
    return { gops: (ops * runs) / elapsed / 1e9, sessionGops: (ops * p.runs) / p.sessionUs / 1e3, kernelGops: (ops * p.runs) / p.kernelUs / 1e3,
      kernels: kernelsOf(onnx.ModelProto.decode(readFileSync(optimized))) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const fp32Input = (k: number) => ({ x: new ort.Tensor('float32', new Float32Array(M * k).fill(0.01), [M, k]) });

async function matmulGflops(k: number, nOut: number): Promise<Rate> {
  return peakRate(matmulModel(k, nOut), fp32Input(k), 2 * M * k * nOut);
}

/** int8 keys: the graph's integer work per text, its product path's peaks, and the served and peer rates against them. */
async function int8Roofline(lengths: readonly number[], rate: (key: string) => number): Promise<Record<string, unknown>> {
  const dir = await loadModelDir(resolveModelDir('int8', process.env));
  const g = readInt8Graph(onnx.ModelProto.decode(readFileSync(dir.onnxPath)));
  const meanTokens = lengths.reduce((a, b) => a + b, 0) / lengths.length;
  const gopPerText = (2 * g.intMacsPerToken * meanTokens) / 1e9;
  const attentionGflopPerText = lengths.reduce((sum, s) => sum + g.attentionMatmuls * 2 * s * s * g.hidden, 0) / lengths.length / 1e9;
  log(`int8: ${round(gopPerText, 3)} GOP/text integer, ${round(attentionGflopPerText, 4)} GFLOP/text fp32 attention; patterns ${g.patterns.map((p) => p.key).join(', ')}`);
  const keys: Record<string, unknown> = {};
  let withQuant = 0, withQuantKernel = 0, integerOnlyKernel = 0;
  // The pre-quantised product depends on the shape only: time it once per shape.
  const bareByShape = new Map<string, Rate>();
  for (const p of g.patterns) {
    const full = await peakRate(dynamicQuantizedModel(M, p.k, p.n, p.fanout), fp32Input(p.k), 2 * M * p.k * p.n * p.fanout);
    const shape = `${p.k}x${p.n}`;
    const bare = bareByShape.get(shape) ?? await peakRate(integerOnlyModel(M, p.k, p.n), {
      xq: new ort.Tensor('uint8', new Uint8Array(M * p.k).map((_, i) => i % 251), [M, p.k]),
      xs: new ort.Tensor('float32', new Float32Array([0.02]), []),
      xzp: new ort.Tensor('uint8', new Uint8Array([128]), []),
    }, 2 * M * p.k * p.n);
    bareByShape.set(shape, bare);
    log(`int8 ${p.key}: ${round(full.gops, 1)} GOP/s wall, ${round(full.kernelGops, 1)} kernel, as the graph runs it (${full.kernels}); `
      + `${round(bare.gops, 1)} wall, ${round(bare.kernelGops, 1)} kernel, input pre-quantised (${bare.kernels})`);
    keys[`roofline.int8.matmulPeakGops.${p.key}`] = round(full.gops, 1);
    keys[`roofline.int8.matmulKernelPeakGops.${p.key}`] = round(full.kernelGops, 1);
    keys[`roofline.int8.kernels.${p.key}`] = full.kernels;
    keys[`roofline.int8.integerOnlyKernelPeakGops.${p.key}`] = round(bare.kernelGops, 1);
    // Seconds per token at each peak, weighted by the pattern's share of the graph's work.
    withQuant += (2 * p.macsPerToken) / (full.gops * 1e9);
    withQuantKernel += (2 * p.macsPerToken) / (full.kernelGops * 1e9);
    integerOnlyKernel += (2 * p.macsPerToken) / (bare.kernelGops * 1e9);
  }
  const mixPeak = (2 * g.intMacsPerToken) / withQuant / 1e9;
  const kernelMixPeak = (2 * g.intMacsPerToken) / withQuantKernel / 1e9;
  const served = rate('int8.encoder64.sentencesPerSec');
  const peer = rate('int8.transformers.sentencesPerSec');
  return {
    'roofline.int8.gopPerText': round(gopPerText, 4),
    'roofline.int8.attentionGflopPerText': round(attentionGflopPerText, 4),
    'roofline.int8.quantizedValuesPerToken': g.quantizedPerToken,
    ...keys,
    'roofline.int8.matmulPeakGops': Math.max(...g.patterns.map((p) => keys[`roofline.int8.matmulPeakGops.${p.key}`] as number)),
    'roofline.int8.matmulMixPeakGops': round(mixPeak, 1),
    'roofline.int8.matmulKernelMixPeakGops': round(kernelMixPeak, 1),
    'roofline.int8.integerOnlyKernelMixPeakGops': round((2 * g.intMacsPerToken) / integerOnlyKernel / 1e9, 1),
    // Kernel time the dynamic quantisation (a min/max pass and a quantising pass over each input) takes of the product path, at the mix.
    'roofline.int8.quantizeShareOfKernelTime': round(1 - integerOnlyKernel / withQuantKernel, 3),
    'roofline.int8.servedSentencesPerSec': served,
    'roofline.int8.servedGops': round(served * gopPerText, 1),
    'roofline.int8.servedShareOfMixPeak': round((served * gopPerText) / mixPeak, 3),
    'roofline.int8.transformersSentencesPerSec': peer,
    'roofline.int8.transformersGops': round(peer * gopPerText, 1),
    'roofline.int8.twiceTransformersNeedsGops': round(2 * peer * gopPerText, 1),
    'roofline.int8.twiceTransformersShareOfMixPeak': round((2 * peer * gopPerText) / mixPeak, 3),
    'roofline.int8.servedShareOfKernelMixPeak': round((served * gopPerText) / kernelMixPeak, 3),
    'roofline.int8.twiceTransformersShareOfKernelMixPeak': round((2 * peer * gopPerText) / kernelMixPeak, 3),
  };
}

async function main(): Promise<void> {
  const dir = await loadModelDir(resolveModelDir('default', process.env));
  const g = readBertGraph(onnx.ModelProto.decode(readFileSync(dir.onnxPath)));
  const tok = await TextTokenizer.fromFile(dir.tokenizerPath, dir.config.maxLength);
  const sample = loadSentences(root, texts, n);
  const H = g.hidden, F = g.ffn, L = g.layers;
  const lengths = sample.map((t) => tok.encode(t).ids.length);
  let flops = 0, tokens = 0;
  for (const s of lengths) {
    tokens += s;
    flops += L * s * (2 * (4 * H * H + 2 * H * F) + 4 * s * H);
  }
  const gflopPerText = flops / sample.length / 1e9;
  log(`${sample.length} texts, ${round(tokens / sample.length, 1)} tokens/text, ${round(gflopPerText, 3)} GFLOP/text (L ${L}, H ${H}, FFN ${F})`);

  const file = join(root, 'docs', 'benchmarks', 'inference.json');
  const bench = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const rate = (key: string): number => {
    const v = bench[key];
    if (typeof v !== 'number') throw new Error(`${file} has no number at ${key}: run tools/bench/inference.ts first`);
    return v;
  };
  const load = [loadavg()[0] ?? 0];

  const shapes: Array<[number, number]> = [[H, H], [H, F], [F, H]];
  const peaks: Record<string, number> = {};
  const kernelPeaks: Record<string, number> = {};
  for (const [k, o] of shapes) {
    const r = await matmulGflops(k, o);
    peaks[`${k}x${o}`] = round(r.gops, 1);
    kernelPeaks[`${k}x${o}`] = round(r.kernelGops, 1);
    log(`MatMul [${M}x${k}]·[${k}x${o}]: ${peaks[`${k}x${o}`]} GFLOP/s wall, ${round(r.sessionGops, 1)} in session.run, ${kernelPeaks[`${k}x${o}`]} kernel`);
  }
  const peak = Math.max(...Object.values(peaks));
  // The encoder's own mix: per layer and token 4·H² MACs in H×H shapes (Q, K, V, output), H·F in
  // H×F (FFN up) and F·H in F×H (FFN down): the time-weighted peak it could reach at best.
  const mix = (p: Record<string, number>) => (4 * H * H + 2 * H * F) / ((4 * H * H) / (p[`${H}x${H}`] as number) + (H * F) / (p[`${H}x${F}`] as number) + (F * H) / (p[`${F}x${H}`] as number));
  const mixPeak = mix(peaks);
  const kernelMixPeak = mix(kernelPeaks);
  const int8 = await int8Roofline(lengths, rate);
  load.push(loadavg()[0] ?? 0);

  const served = rate('fp32.encoder64.sentencesPerSec');
  const peer = rate('fp32.transformers.sentencesPerSec');
  const flat: Record<string, unknown> = {
    'roofline.command': `npx tsx --tsconfig tools/tsconfig.json tools/bench/roofline.ts --n ${n}${seconds === 3 ? '' : ` --seconds ${seconds}`}${textFlags(texts, root)}`,
    'roofline.date': new Date().toISOString(),
    'roofline.machine': `${machineLabel()}; ${cpus().length} cores used by ORT (default threads)`,
    'roofline.loadAvg1': `${round(load[0] as number, 1)}–${round(load[1] as number, 1)} (start–end)`,
    'roofline.ratesFrom': `inference.json of ${String(bench['date'])}`,
    'roofline.tokensPerText': round(tokens / sample.length, 2),
    'roofline.fp32.gflopPerText': round(gflopPerText, 4),
    ...Object.fromEntries(Object.entries(peaks).map(([k, v]) => [`roofline.matmulPeakGflops.${k}`, v])),
    'roofline.matmulPeakGflops': peak,
    'roofline.matmulMixPeakGflops': round(mixPeak, 1),
    'roofline.fp32.servedShareOfMixPeak': round((served * gflopPerText) / mixPeak, 3),
    'roofline.fp32.twiceTransformersShareOfMixPeak': round((2 * peer * gflopPerText) / mixPeak, 3),
    'roofline.fp32.servedSentencesPerSec': served,
    'roofline.fp32.servedGflops': round(served * gflopPerText, 1),
    'roofline.fp32.servedShareOfPeak': round((served * gflopPerText) / peak, 3),
    'roofline.fp32.transformersSentencesPerSec': peer,
    'roofline.fp32.transformersGflops': round(peer * gflopPerText, 1),
    'roofline.fp32.twiceTransformersNeedsGflops': round(2 * peer * gflopPerText, 1),
    'roofline.fp32.twiceTransformersShareOfPeak': round((2 * peer * gflopPerText) / peak, 3),
    ...Object.fromEntries(Object.entries(kernelPeaks).map(([k, v]) => [`roofline.matmulKernelPeakGflops.${k}`, v])),
    'roofline.matmulKernelMixPeakGflops': round(kernelMixPeak, 1),
    'roofline.fp32.servedShareOfKernelMixPeak': round((served * gflopPerText) / kernelMixPeak, 3),
    'roofline.fp32.twiceTransformersShareOfKernelMixPeak': round((2 * peer * gflopPerText) / kernelMixPeak, 3),
    ...int8,
  };
  // Re-read: another tool may have written the file while the peaks ran.
  const latest = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  writeFileSync(file, JSON.stringify({ ...latest, ...flat }, null, 2) + '\n');
  process.stdout.write(JSON.stringify(flat, null, 2) + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(1);
});
