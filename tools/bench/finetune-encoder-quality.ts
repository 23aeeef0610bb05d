/**
 * Encoder fine-tuning quality (issue 14): the same protocol as finetune-quality.ts (training
 * split only, 80/20 stratified seed 42, the held-out 20% scored through the fused graph), for
 * the `lora` and `top-layers` methods with the library's defaults. LoRA runs twice on the first
 * dataset (cold, then warm hidden-state cache); other runs start from a warm cache (filled
 * first, its time recorded). Adds the keys to docs/benchmarks/finetune.json, keeping
 * the others.
 *   npx tsx --tsconfig tools/tsconfig.json tools/bench/finetune-encoder-quality.ts [--base default] [--datasets financial_phrasebank,banking77]
 * TUNELINE_BENCH_METHODS=lora,top-layers (default both) picks the methods.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { onnx } from 'onnx-proto';
import { Classifier, loadModelDir, resolveModelDir, sha256File } from '@tuneline/inference';
import { DEFAULT_ENCODER_TRAIN_OPTIONS, evaluate, finetune, HiddenStateCache, hiddenStates, readBertGraph, type EncoderMethod } from '@tuneline/finetune';
import { machineLabel, runCli } from './bench-cli';
import { heldOutSplit } from './held-out';
import { loadLabelled, type Row } from './labelled-data';
import { qualityOptions } from './options';
import { round } from './stats';

const root = process.cwd();
const { base, datasets, flags } = runCli((argv) => qualityOptions(argv, root));
const methods = (process.env['TUNELINE_BENCH_METHODS'] ?? 'lora,top-layers').split(',') as EncoderMethod[];
const log = (m: string) => process.stderr.write(`[encoder-quality] ${m}\n`);
const KEY: Record<EncoderMethod, string> = { lora: 'lora', 'top-layers': 'topLayers' };

async function scoreHeldOut(dir: string, rows: Row[]): Promise<{ accuracy: number; macroF1: number }> {
  const clf = await Classifier.load(dir);
  try {
    const labels = clf.labels;
    const P = new Float64Array(rows.length * labels.length);
    for (let s = 0; s < rows.length; s += 256) {
      const out = await clf.model.infer(rows.slice(s, s + 256).map((r) => r.text));
      out.forEach((p, i) => P.set(p, (s + i) * labels.length));
    }
    const idx = new Map(labels.map((l, i) => [l, i]));
    return evaluate(P, rows.length, labels, Int32Array.from(rows.map((r) => idx.get(r.label) ?? -1)));
  } finally {
    await clf.dispose();
  }
}

/** Fills the hidden-state cache for k layers (all rows of the training file); returns seconds. */
async function warmCache(baseDir: string, cacheRoot: string, k: number, texts: readonly string[]): Promise<number> {
  const b = await loadModelDir(baseDir);
  const graph = readBertGraph(onnx.ModelProto.decode(readFileSync(b.onnxPath)));
  const sha = typeof b.config.source['sha256'] === 'string' ? (b.config.source['sha256'] as string) : await sha256File(b.onnxPath);
  const cache = await HiddenStateCache.open(cacheRoot, sha, k, graph.hidden);
  const { stats } = await hiddenStates({ encoderPath: b.onnxPath, tokenizerPath: b.tokenizerPath, maxLength: b.config.maxLength, tensor: graph.inputOf(graph.layers - k), texts, dim: graph.hidden, cache });
  return stats.seconds;
}

async function main(): Promise<void> {
  const baseDir = resolveModelDir(base, process.env);
  const flat: Record<string, number | string> = {};
  const loads: number[] = [];
  for (const [di, spec] of datasets.entries()) {
    const name = spec.name;
    const rows = loadLabelled(spec);
    const { train, heldOut } = heldOutSplit(rows);
    const work = mkdtempSync(join(tmpdir(), `encoder-quality-${name}-`));
    const trainFile = join(work, 'train.jsonl');
    writeFileSync(trainFile, train.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const cacheRoot = join(work, 'cache');
    const repo = join(work, 'repo');
    log(`${name}: ${rows.length} rows → train ${train.length}, held-out ${heldOut.length}`);
    for (const method of methods) {
      const key = `${name}.${KEY[method]}`;
      const run = async (label: string) => {
        loads.push(loadavg()[0] as number);
        const t0 = performance.now();
        const res = await finetune({ task: 'classify', dataFile: trainFile, baseModelDir: baseDir, repo, name, cacheRoot, method,
          onEpoch: (r, total) => log(`${name}/${method}/${label} epoch ${r.epoch}/${total} loss ${r.trainLoss.toFixed(4)} val-F1 ${r.valMacroF1.toFixed(4)} (${r.seconds.toFixed(0)} s)`) });
        const seconds = (performance.now() - t0) / 1000;
        loads.push(loadavg()[0] as number);
        const held = await scoreHeldOut(res.dir, heldOut);
        log(`${name}/${method}/${label}: held-out accuracy ${held.accuracy.toFixed(4)} macro-F1 ${held.macroF1.toFixed(4)} in ${seconds.toFixed(1)} s`);
        return { res, seconds, held };
      };
      if (method === 'lora' && di === 0) flat[`${key}.trainSecondsColdCache`] = round((await run('cold-cache')).seconds, 1);
      else flat[`${key}.hiddenStateSecondsColdCache`] = round(await warmCache(baseDir, cacheRoot, DEFAULT_ENCODER_TRAIN_OPTIONS[method].layers, train.map((r) => r.text)), 1);
      const warm = await run('warm-cache');
      const tuning = warm.res.card.encoderTuning;
      Object.assign(flat, {
        [`${key}.heldOutAccuracy`]: round(warm.held.accuracy, 4), [`${key}.heldOutMacroF1`]: round(warm.held.macroF1, 4),
        [`${key}.trainSecondsWarmCache`]: round(warm.seconds, 1), [`${key}.layers`]: tuning?.layers ?? 0,
        [`${key}.epochsRun`]: warm.res.card.training.epochsRun, [`${key}.bestEpoch`]: warm.res.card.training.bestEpoch,
        [`${key}.trainedParameters`]: tuning?.trainedParameters ?? 0, [`${key}.probeValidationMacroF1`]: round(tuning?.probeMacroF1 ?? 0, 4),
        [`${key}.validationMacroF1`]: round(warm.res.card.metrics.validation.macroF1, 4),
      });
      if (method === 'lora') Object.assign(flat, { [`${key}.loraRank`]: tuning?.loraRank ?? 0, [`${key}.loraAlpha`]: tuning?.loraAlpha ?? 0 });
    }
  }
  const file = join(root, 'docs', 'benchmarks', 'finetune.json');
  const old = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  const result = {
    ...old, ...flat,
    'encoderTuning.command': `TUNELINE_BENCH_METHODS=${methods.join(',')} npx tsx --tsconfig tools/tsconfig.json tools/bench/finetune-encoder-quality.ts --base ${base} ${flags}`,
    'encoderTuning.date': new Date().toISOString(), 'encoderTuning.machine': machineLabel(),
    'encoderTuning.loadAverage1mMin': round(Math.min(...loads), 2), 'encoderTuning.loadAverage1mMax': round(Math.max(...loads), 2),
  };
  writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
  process.stdout.write(JSON.stringify(flat, null, 2) + '\n');
}

main().catch((e: Error) => { process.stderr.write(`${e.stack}\n`); process.exit(1); });
