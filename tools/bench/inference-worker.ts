/**
 * One benchmark measurement per process, so RSS figures are not polluted by other
 * runs. Prints one JSON line. Spawned by tools/bench/inference.ts.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { cosineSimilarity, Encoder, loadModelDir, poolEmbeddings, resolveModelDir, TextTokenizer, type TokenizedText } from '@tuneline/inference';
import { loadSentences, textSourceFromEnv } from './sentences';
import { mb, round, rssSampler, summarize } from './stats';

const BATCH_SWEEP = [1, 2, 4, 8, 16, 32];

type Mode = 'raw1' | 'rawBest' | 'transformers' | 'encoder64' | 'overload' | 'agreement';

async function rawSession(dirPath: string) {
  const dir = await loadModelDir(dirPath);
  const tok = await TextTokenizer.fromFile(dir.tokenizerPath, dir.config.maxLength);
  const session = await ort.InferenceSession.create(dir.onnxPath, { graphOptimizationLevel: 'all', executionMode: 'sequential', interOpNumThreads: 1 });
  const runBatch = async (texts: string[]) => {
    const encs: TokenizedText[] = texts.map((t) => tok.encode(t));
    const seq = Math.max(...encs.map((e) => e.ids.length));
    const n = encs.length;
    const ids = new BigInt64Array(n * seq), mask = new BigInt64Array(n * seq), types = new BigInt64Array(n * seq);
    const masks = encs.map((e, b) => {
      e.ids.forEach((id, i) => { ids[b * seq + i] = BigInt(id); mask[b * seq + i] = 1n; types[b * seq + i] = BigInt(e.typeIds[i] as number); });
      return Array.from({ length: seq }, (_, i) => (i < e.ids.length ? 1 : 0));
    });
    const out = await session.run({
      input_ids: new ort.Tensor('int64', ids, [n, seq]), attention_mask: new ort.Tensor('int64', mask, [n, seq]),
      token_type_ids: new ort.Tensor('int64', types, [n, seq]),
    });
    const h = out['last_hidden_state'] as ort.Tensor;
    return poolEmbeddings(h.data as Float32Array, h.dims, masks, dir.config.pooling, dir.config.normalize);
  };
  return { runBatch };
}

async function staticBatches(runBatch: (t: string[]) => Promise<Float32Array[]>, texts: string[], size: number) {
  const lat: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < texts.length; i += size) {
    const s = performance.now();
    await runBatch(texts.slice(i, i + size));
    lat.push(performance.now() - s);
  }
  return summarize(lat, texts.length, performance.now() - t0);
}

/**
 * Every static batch size over the whole text set (a subset misleads: short and long texts
 * are not spread evenly); the best size's figures are the result, the rest the sweep.
 */
async function sweepBatches(runBatch: (t: string[]) => Promise<Float32Array[]>, texts: string[]) {
  const sweep: Record<string, number> = {};
  let best: { size: number; r: Awaited<ReturnType<typeof staticBatches>> } | undefined;
  for (const size of BATCH_SWEEP) {
    const r = await staticBatches(runBatch, texts, size);
    sweep[`batch${size}`] = r.sentencesPerSec;
    if (!best || r.sentencesPerSec > best.r.sentencesPerSec) best = { size, r };
  }
  const { size, r } = best as NonNullable<typeof best>;
  return { ...r, bestBatch: size, sweep };
}

/** transformers.js wants the Hub layout; build it from our cache with symlinks (no download). */
function hubLayout(dirPath: string, quantized: boolean): { root: string; id: string } {
  const root = mkdtempSync(join(tmpdir(), 'tfjs-'));
  const d = join(root, 'local', 'bge');
  mkdirSync(join(d, 'onnx'), { recursive: true });
  symlinkSync(join(dirPath, 'model.onnx'), join(d, 'onnx', quantized ? 'model_quantized.onnx' : 'model.onnx'));
  symlinkSync(join(dirPath, 'tokenizer.json'), join(d, 'tokenizer.json'));
  writeFileSync(join(d, 'config.json'), JSON.stringify({ model_type: 'bert', architectures: ['BertModel'], hidden_size: 384 }));
  writeFileSync(join(d, 'tokenizer_config.json'), JSON.stringify({ tokenizer_class: 'BertTokenizer', do_lower_case: true, model_max_length: 512, cls_token: '[CLS]', sep_token: '[SEP]', pad_token: '[PAD]', unk_token: '[UNK]', mask_token: '[MASK]' }));
  return { root, id: 'local/bge' };
}

async function main() {
  const args = process.argv.slice(2);
  const mode = args[0] as Mode;
  const model = args[1] as string;
  const n = Number(args[2] ?? 2000);
  const root = process.cwd();
  const texts = loadSentences(root, textSourceFromEnv(), n);
  const dirPath = resolveModelDir(model, process.env);
  const quantized = model.includes('q') || model === 'int8';
  const result: Record<string, unknown> = { mode, model };

  if (mode === 'raw1' || mode === 'rawBest') {
    const { runBatch } = await rawSession(dirPath);
    await runBatch(texts.slice(0, 8));
    if (mode === 'raw1') Object.assign(result, await staticBatches(runBatch, texts, 1));
    else {
      Object.assign(result, await sweepBatches(runBatch, texts));
    }
  } else if (mode === 'transformers') {
    const tf = await import('@huggingface/transformers');
    const { root: lroot, id } = hubLayout(dirPath, quantized);
    tf.env.localModelPath = lroot;
    tf.env.allowRemoteModels = false;
    const extractor = await tf.pipeline('feature-extraction', id, { dtype: quantized ? 'q8' : 'fp32', device: 'cpu' });
    const run = async (batch: string[]) => {
      const out = await extractor(batch, { pooling: 'cls', normalize: true });
      return out.tolist() as unknown as Float32Array[];
    };
    await run(texts.slice(0, 8));
    // The peer gets the same batch-size sweep as the raw session: compare with its best.
    Object.assign(result, await sweepBatches(run, texts));
  } else if (mode === 'encoder64' || mode === 'overload') {
    // Knobs for tuning runs (docs/benchmarks.md); unset = the library's defaults.
    const env = (name: string) => (process.env[name] ? Number(process.env[name]) : undefined);
    const batching = { ...(env('BENCH_MAX_BATCH') ? { maxBatchSize: env('BENCH_MAX_BATCH') as number } : {}),
      ...(env('BENCH_CONCURRENT_BATCHES') ? { maxConcurrentBatches: env('BENCH_CONCURRENT_BATCHES') as number } : {}),
      ...(env('BENCH_MAX_TOKENS') ? { maxTokensPerBatch: env('BENCH_MAX_TOKENS') as number } : {}) };
    const enc = await Encoder.load(dirPath, { batching, ...(env('BENCH_THREADS') !== undefined ? { intraOpNumThreads: env('BENCH_THREADS') as number } : {}),
      ...(env('BENCH_INSTANCES') ? { instances: env('BENCH_INSTANCES') as number } : {}),
      persistOptimizedGraph: process.env['BENCH_PERSIST_GRAPH'] === '1' });
    await enc.embed(texts.slice(0, 8));
    // TextModel raises a budget below the model's max length to it: a sweep must not record 512 under another name.
    const asked = env('BENCH_MAX_TOKENS');
    if (asked !== undefined && enc.model.batching.maxTokensPerBatch !== asked) {
      throw new Error(`BENCH_MAX_TOKENS ${asked} is below the model's max length; the model runs with ${enc.model.batching.maxTokensPerBatch}: use budgets of at least that`);
    }
    result['rssLoadedMb'] = mb(process.memoryUsage().rss);
    result['instances'] = enc.model.instances;
    result['optimizedGraph'] = enc.model.graph === 'original' ? 0 : 1;
    const sampler = rssSampler();
    if (mode === 'encoder64') {
      const callers = env('BENCH_CALLERS') ?? 64;
      const lat: number[] = [];
      let next = 0;
      const t0 = performance.now();
      await Promise.all(Array.from({ length: callers }, async () => {
        while (next < texts.length) {
          const t = texts[next++] as string;
          const s = performance.now();
          await enc.embed([t]);
          lat.push(performance.now() - s);
        }
      }));
      Object.assign(result, summarize(lat, texts.length, performance.now() - t0), { callers, loadAvg1: round(loadavg()[0] ?? 0, 1) });
      result['rssPeakMb'] = mb(sampler.stop());
    } else {
      // Far beyond capacity: every text from 20 callers' worth of retries at once.
      const offered = 20_000;
      let rejected = 0, served = 0;
      const t0 = performance.now();
      await Promise.all(Array.from({ length: offered }, (_, i) => enc.embed([texts[i % texts.length] as string])
        .then(() => { served++; }, (e: { code?: string }) => { if (e.code === 'RESOURCE_EXHAUSTED') rejected++; else throw e; })));
      Object.assign(result, { offered, served, rejected, wallMs: round(performance.now() - t0), rssOverloadPeakMb: mb(sampler.stop()) });
    }
    await enc.dispose();
  } else if (mode === 'agreement') {
    const sample = texts.slice(0, 500);
    // BENCH_AGREE_MODEL: another candidate (a BERT-fused directory) against the same fp32 reference.
    const q = await Encoder.load(resolveModelDir(process.env['BENCH_AGREE_MODEL'] ?? 'int8', process.env));
    const f = await Encoder.load(resolveModelDir('default', process.env));
    const embedAll = async (e: Encoder) => {
      const out: Float32Array[] = [];
      for (let i = 0; i < sample.length; i += 250) out.push(...(await e.embed(sample.slice(i, i + 250))));
      return out;
    };
    const a = await embedAll(q);
    const b = await embedAll(f);
    const cos = a.map((v, i) => cosineSimilarity(v, b[i] as Float32Array));
    Object.assign(result, { texts: sample.length, meanCosine: round(cos.reduce((s, x) => s + x, 0) / cos.length, 4), minCosine: round(Math.min(...cos), 4) });
    await q.dispose();
    await f.dispose();
  }
  process.stdout.write(JSON.stringify(result) + '\n');
}

main().catch((e: Error) => { process.stderr.write(`${e.stack}\n`); process.exit(1); });
