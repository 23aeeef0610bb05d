/**
 * Encoder fine-tuning quality (issue 14): the same protocol as finetune-quality.ts (training
 * split only, 80/20 stratified seed 42, the held-out 20% scored through the fused graph), for
 * the `lora` and `top-layers` methods with the library's defaults. Per dataset and method: the
 * hidden-state and embedding caches are filled first (timed: the cold-cache extra), then one timed training
 * run on the warm cache. Cold-cache wall time = the two added (logged, one training run less
 * on a shared 2-core machine; the training itself is the same). Writes the issue's keys
 * (heldOutAccuracy, heldOutMacroF1, trainSecondsWarmCache) into docs/benchmarks/finetune.json
 * after every run, keeping the other keys. A fresh cache dir makes the fill a cold pass.
 *   npx tsx --tsconfig tools/tsconfig.json tools/bench/finetune-encoder-quality.ts [--base default] [--datasets financial_phrasebank,banking77]
 * TUNELINE_BENCH_METHODS=lora,top-layers (default both) picks the methods; TUNELINE_BENCH_ENCODER_OPTIONS
 * (JSON) overrides encoder options for a try. The method's keys (`<dataset>.lora.*`, `…topLayers.*`)
 * always hold the library defaults' figures, what `--method` ships; a try writes under
 * `<dataset>.<method>Tried.*` with its `encoderOptions`, whatever it scores, so no figure is kept
 * or dropped by looking at the held-out result. Both record the kept epoch's validation macro-F1,
 * the figure a default would be chosen on.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { onnx } from 'onnx-proto';
import { Encoder, loadModelDir, resolveModelDir, sha256File } from '@tuneline/inference';
import {
  defaultLayers, EmbeddingCache, embedTexts, finetune, HiddenStateCache, hiddenStates, readBertGraph, type EncoderMethod, type EncoderTrainOptions,
} from '@tuneline/finetune';
import { runCli } from './bench-cli';
import { heldOutSplit } from './held-out';
import { scoreHeldOut } from './held-out-score';
import { loadLabelled } from './labelled-data';
import { qualityOptions } from './options';
import { round } from './stats';

const root = process.cwd();
const FIGURES = join(root, 'docs', 'benchmarks', 'finetune.json');
const { base, datasets, flags } = runCli((argv) => qualityOptions(argv, root));
const methods = (process.env['TUNELINE_BENCH_METHODS'] ?? 'lora,top-layers').split(',') as EncoderMethod[];
const log = (m: string) => process.stderr.write(`[encoder-quality] ${m}\n`);
/** TUNELINE_BENCH_ENCODER_OPTIONS='{"learningRate":0.003}' overrides the library defaults (recorded in the log). */
const overrides = JSON.parse(process.env['TUNELINE_BENCH_ENCODER_OPTIONS'] ?? '{}') as Partial<EncoderTrainOptions>;
const custom = Object.keys(overrides).length > 0;
const KEY: Record<EncoderMethod, string> = { lora: 'lora', 'top-layers': 'topLayers' };

/**
 * Fills the caches a training run reads (all rows of the training file): the hidden states
 * entering the top k layers, and the frozen embeddings the probe starts from; returns seconds.
 */
async function warmCache(baseDir: string, cacheRoot: string, method: EncoderMethod, texts: readonly string[]): Promise<number> {
  const b = await loadModelDir(baseDir);
  const graph = readBertGraph(onnx.ModelProto.decode(readFileSync(b.onnxPath)));
  // The k the training will read, capped as the pipeline caps it.
  const k = overrides.layers ?? defaultLayers(method, graph.layers);
  const sha = typeof b.config.source['sha256'] === 'string' ? (b.config.source['sha256'] as string) : await sha256File(b.onnxPath);
  const cache = await HiddenStateCache.open(cacheRoot, sha, k, graph.hidden);
  const { stats } = await hiddenStates({ encoderPath: b.onnxPath, tokenizerPath: b.tokenizerPath, maxLength: b.config.maxLength, tensor: graph.inputOf(graph.layers - k), texts, dim: graph.hidden, cache });
  const encoder = await Encoder.load(baseDir);
  try {
    const embedded = await embedTexts(encoder, texts, graph.hidden, await EmbeddingCache.open(cacheRoot, sha, graph.hidden));
    return stats.seconds + embedded.stats.seconds;
  } finally {
    await encoder.dispose();
  }
}

/** Sets the keys in finetune.json as text: other keys keep their exact formatting (e.g. "1.0"). */
function writeKeys(flat: Record<string, number | string>, loads: readonly number[]): void {
  const file = FIGURES;
  let text = existsSync(file) ? readFileSync(file, 'utf8').trimEnd() : '{\n}';
  for (const [k, v] of Object.entries(flat)) {
    const line = `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`;
    const at = new RegExp(`^  ${JSON.stringify(k).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .*?(,?)$`, 'm');
    text = at.test(text) ? text.replace(at, (_m, comma: string) => `${line}${comma}`) : text.replace(/\n}$/, `,\n${line}\n}`);
  }
  JSON.parse(text);
  writeFileSync(file, text + '\n');
  log(`keys written (load average ${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)}): ${JSON.stringify(flat)}`);
}

async function main(): Promise<void> {
  const baseDir = resolveModelDir(base, process.env);
  const loads: number[] = [];
  for (const spec of datasets) {
    const name = spec.name;
    const rows = loadLabelled(spec);
    const { train, heldOut } = heldOutSplit(rows);
    const work = mkdtempSync(join(tmpdir(), `encoder-quality-${name}-`));
    const trainFile = join(work, 'train.jsonl');
    writeFileSync(trainFile, train.map((r) => JSON.stringify(r)).join('\n') + '\n');
    // TUNELINE_BENCH_CACHE reuses a hidden-state cache across runs (the fill is then a cache read).
    const cacheRoot = process.env['TUNELINE_BENCH_CACHE'] ?? join(work, 'cache');
    const repo = join(work, 'repo');
    log(`${name} (${flags}): ${rows.length} rows → train ${train.length}, held-out ${heldOut.length}`);
    for (const method of methods) {
      const key = `${name}.${KEY[method]}${custom ? 'Tried' : ''}`;
      loads.push(loadavg()[0] as number);
      // The cache the training will read: an overridden k needs its own file.
      const coldExtra = await warmCache(baseDir, cacheRoot, method, train.map((r) => r.text));
      log(`${name}/${method}: hidden-state and embedding caches filled in ${coldExtra.toFixed(1)} s`);
      const t0 = performance.now();
      const res = await finetune({ task: 'classify', dataFile: trainFile, baseModelDir: baseDir, repo, name, cacheRoot, method, encoder: overrides,
        onEpoch: (r, total) => log(`${name}/${method} epoch ${r.epoch}/${total} loss ${r.trainLoss.toFixed(4)} val-F1 ${r.valMacroF1.toFixed(4)} (${r.seconds.toFixed(0)} s)`) });
      const seconds = (performance.now() - t0) / 1000;
      loads.push(loadavg()[0] as number);
      const held = await scoreHeldOut(res.dir, heldOut);
      // The figure a setting is chosen on (never the held-out one): the kept epoch's validation macro-F1.
      const t = res.card.training;
      const valF1 = res.card.metrics.validation.macroF1;
      log(`${name}/${method}: kept epoch ${t.bestEpoch}/${t.epochsRun} (stopped early: ${t.stoppedEarly}), validation macro-F1 ${valF1.toFixed(6)} accuracy ${res.card.metrics.validation.accuracy.toFixed(4)}`);
      log(`${name}/${method}: held-out accuracy ${held.accuracy.toFixed(4)} macro-F1 ${held.macroF1.toFixed(4)} in ${seconds.toFixed(1)} s; card ${JSON.stringify(res.card.encoderTuning)}`);
      const flat: Record<string, number | string> = {
        [`${key}.heldOutAccuracy`]: round(held.accuracy, 4), [`${key}.heldOutMacroF1`]: round(held.macroF1, 4),
        [`${key}.trainSecondsWarmCache`]: round(seconds, 1), [`${key}.validationMacroF1`]: round(valF1, 4),
        ...(custom ? { [`${key}.encoderOptions`]: JSON.stringify(overrides) } : {}),
      };
      log(`${name}/${method}: cold cache = ${round(seconds + coldExtra, 1)} s (warm run + the fill)`);
      writeKeys(flat, loads);
    }
  }
}

main().catch((e: Error) => { process.stderr.write(`${e.stack}\n`); process.exit(1); });
