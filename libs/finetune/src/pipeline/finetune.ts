import { copyFile, mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Encoder, loadModelDir, sha256File, type ModelConfigInput } from '@tuneline/inference';
import { EmbeddingCache } from '../cache/embedding-cache';
import { embedTexts } from '../cache/embed-texts';
import { classCounts, loadDataset } from '../data/load-dataset';
import { stratifiedSplit } from '../data/split';
import { evaluate } from '../eval/metrics';
import { EMBEDDING_OUTPUT, fuseHeadIntoEncoder, PROBABILITIES_OUTPUT } from '../export/fuse-onnx';
import type { ModelCard } from '../export/model-card';
import { verifyFusedGraph } from '../export/verify-fused';
import { headWeights } from '../heads/head';
import { sigmoid, softmaxRows } from '../math/linear-algebra';
import { predictLogits, trainHead, type EmbeddedSplit, type EpochRecord } from '../train/train-head';
import type { TrainOptions } from '../train/train-options';

export type FinetuneTask = 'classify' | 'multilabel' | 'pair';

export interface FinetuneRequest {
  readonly task: FinetuneTask;
  readonly dataFile: string;
  readonly validationFile?: string;
  readonly baseModelDir: string;
  /** Model repository root; the result goes to `<repo>/<name>/<next version>/`. */
  readonly repo: string;
  readonly name: string;
  readonly cacheRoot?: string;
  readonly validationFraction?: number;
  readonly train?: Partial<TrainOptions>;
  readonly onEmbedProgress?: (done: number, total: number) => void;
  readonly onEpoch?: (record: EpochRecord, totalEpochs: number) => void;
  readonly log?: (message: string) => void;
}

export interface FinetuneResult {
  readonly dir: string;
  readonly version: string;
  readonly card: ModelCard;
  readonly labels: readonly string[];
}

interface Row { readonly text: string; readonly labels: readonly string[] }

/** Head math in the fused graph vs. JS (float32 vs. float64). */
export const FUSED_HEAD_TOLERANCE = 1e-4;
/** fp32 bases reach ~1 − 1e-12; int8 bases ~0.99 because activations are quantised per batch. */
export const FUSED_EMBEDDING_MIN_COSINE = 0.97;

/** Pair rows become one text; BERT tokenizers map the literal [SEP] to the separator token. */
const PAIR_SEPARATOR = ' [SEP] ';

async function readTaskRows(file: string, task: FinetuneTask, knownLabels?: readonly string[]): Promise<Row[]> {
  const opts = knownLabels ? { knownLabels } : {};
  if (task === 'classify') return (await loadDataset(file, 'classify', opts)).map((r) => ({ text: r.text, labels: [r.label] }));
  if (task === 'multilabel') return (await loadDataset(file, 'multilabel', opts)).map((r) => ({ text: r.text, labels: r.labels }));
  return (await loadDataset(file, 'pair', opts)).map((r) => ({ text: r.textA + PAIR_SEPARATOR + r.textB, labels: [r.label] }));
}

export async function nextVersion(modelRoot: string): Promise<string> {
  if (!existsSync(modelRoot)) return '1';
  const numbers = (await readdir(modelRoot)).map(Number).filter((n) => Number.isInteger(n) && n > 0);
  return String(numbers.length ? Math.max(...numbers) + 1 : 1);
}

function toSplit(rows: readonly Row[], X: Float64Array, labels: readonly string[], multilabel: boolean): EmbeddedSplit {
  const index = new Map(labels.map((l, i) => [l, i]));
  const targets = Int32Array.from(rows.map((r) => index.get(r.labels[0] as string) as number));
  if (!multilabel) return { X, n: rows.length, targets };
  const multiHot = new Float64Array(rows.length * labels.length);
  rows.forEach((r, i) => r.labels.forEach((l) => { multiHot[i * labels.length + (index.get(l) as number)] = 1; }));
  return { X, n: rows.length, targets, multiHot };
}

/**
 * The whole parameter-efficient fine-tune: load and split data, embed with the frozen
 * encoder (through the cache), train the head, calibrate, fuse into one ONNX graph,
 * verify the graph against the head, and write a servable model directory.
 */
export async function finetune(req: FinetuneRequest): Promise<FinetuneResult> {
  const log = req.log ?? (() => undefined);
  const started = performance.now();
  const multilabel = req.task === 'multilabel';
  const rows = await readTaskRows(req.dataFile, req.task);
  const labels = [...new Set(rows.flatMap((r) => r.labels))].sort();
  if (labels.length < 2) throw new RangeError(`${req.dataFile}: need at least 2 distinct labels, found ${labels.length}`);
  const split = req.validationFile
    ? { train: rows, validation: await readTaskRows(req.validationFile, req.task, labels) }
    : stratifiedSplit(rows, (r) => r.labels[0] as string, req.validationFraction ?? 0.15, req.train?.seed ?? 42);
  log(`data: ${rows.length} rows, ${labels.length} labels; train ${split.train.length}, validation ${split.validation.length}`);

  const base = await loadModelDir(req.baseModelDir);
  if (base.config.outputKind !== 'token_embeddings') throw new RangeError(`${req.baseModelDir} is not a base encoder (output ${base.config.outputKind})`);
  const baseSha = typeof base.config.source['sha256'] === 'string' ? (base.config.source['sha256'] as string) : await sha256File(base.onnxPath);
  const encoder = await Encoder.load(req.baseModelDir, { log });
  let trained;
  let embedSeconds = 0;
  let cacheHits = 0;
  try {
    const [probe] = await encoder.embed(['dimension probe']);
    const dim = (probe as Float32Array).length;
    const cache = req.cacheRoot ? await EmbeddingCache.open(req.cacheRoot, baseSha, dim) : undefined;
    const texts = [...split.train, ...split.validation].map((r) => r.text);
    const { X, stats } = await embedTexts(encoder, texts, dim, cache, req.onEmbedProgress);
    embedSeconds = stats.seconds;
    cacheHits = stats.cacheHits;
    log(`embeddings: ${stats.unique} unique texts, ${stats.cacheHits} from cache, ${stats.encoded} encoded in ${stats.seconds.toFixed(1)} s`);
    const nTrain = split.train.length;
    const train = toSplit(split.train, X.subarray(0, nTrain * dim), labels, multilabel);
    const validation = toSplit(split.validation, X.subarray(nTrain * dim), labels, multilabel);
    const result = trainHead({ dim, labels, train, validation, multilabel, ...(req.train ? { options: req.train } : {}), ...(req.onEpoch ? { onEpoch: req.onEpoch } : {}) });
    trained = { result, dim, validation };
  } finally {
    await encoder.dispose();
  }
  const { result, dim, validation } = trained;
  const c = labels.length;
  const valLogits = predictLogits(result.head, validation.X, validation.n);
  const probs = (T: number) => (multilabel ? valLogits.map((z) => sigmoid(z / T)) : softmaxRows(valLogits, validation.n, c, T));
  const calibrated = evaluate(probs(result.temperature), validation.n, labels, validation.targets);
  const uncalibrated = evaluate(probs(1), validation.n, labels, validation.targets);

  const modelRoot = join(req.repo, req.name);
  const version = await nextVersion(modelRoot);
  const dir = join(modelRoot, version);
  const tmp = join(modelRoot, `.${version}.tmp-${process.pid}`);
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  const weights = headWeights(result.head, result.options.head === 'mlp' ? result.options.hiddenDim : undefined);
  await fuseHeadIntoEncoder({ encoderPath: base.onnxPath, outPath: join(tmp, 'model.onnx'), head: weights, pooling: base.config.pooling,
    normalize: base.config.normalize, temperature: result.temperature, multilabel });
  await copyFile(base.tokenizerPath, join(tmp, 'tokenizer.json'));
  const config: ModelConfigInput = {
    format: 'tuneline-model/v1', task: multilabel ? 'multilabel' : 'classification', outputKind: 'probabilities',
    outputName: PROBABILITIES_OUTPUT, inputNames: base.config.inputNames, pooling: base.config.pooling, normalize: base.config.normalize,
    maxLength: base.config.maxLength, dimension: dim,
    source: { base: base.config.source['catalog'] ?? req.baseModelDir, baseSha256: baseSha, embeddingOutput: EMBEDDING_OUTPUT },
  };
  await writeFile(join(tmp, 'tuneline.json'), JSON.stringify(config, null, 2) + '\n');
  await writeFile(join(tmp, 'labels.json'), JSON.stringify(labels, null, 2) + '\n');

  // The fused graph must reproduce the head exactly and the encoder closely (verify-fused.ts).
  const nCheck = Math.min(64, validation.n);
  const fused = await verifyFusedGraph({ modelPath: join(tmp, 'model.onnx'), tokenizerPath: base.tokenizerPath, maxLength: base.config.maxLength,
    texts: split.validation.slice(0, nCheck).map((r) => r.text), embeddings: validation.X.subarray(0, nCheck * dim),
    head: result.head, temperature: result.temperature, multilabel });
  if (!(fused.maxAbsDiff < FUSED_HEAD_TOLERANCE)) throw new Error(`fused graph disagrees with the trained head (max |Δp| = ${fused.maxAbsDiff})`);
  if (!(fused.minEmbeddingCosine > FUSED_EMBEDDING_MIN_COSINE)) {
    throw new Error(`fused graph's embeddings drift from the training embeddings (min cosine ${fused.minEmbeddingCosine})`);
  }

  const card: ModelCard = {
    format: 'tuneline-model-card/v1', name: req.name, version, task: multilabel ? 'multilabel' : 'classification',
    createdAt: new Date().toISOString(),
    baseModel: { id: String(base.config.source['upstream'] ?? base.config.source['catalog'] ?? req.baseModelDir), sha256: baseSha, pooling: base.config.pooling, dimension: dim },
    data: { file: basename(req.dataFile), sha256: await sha256File(req.dataFile), rows: rows.length + (req.validationFile ? split.validation.length : 0),
      trainRows: split.train.length, validationRows: split.validation.length, classCounts: classCounts(split.train.flatMap((r) => r.labels)) },
    hyperParameters: result.options,
    training: { epochsRun: result.history.length, epochLimit: result.epochLimit, bestEpoch: result.bestEpoch, stoppedEarly: result.stoppedEarly,
      seconds: (performance.now() - started) / 1000, embedSeconds, cacheHits },
    temperature: result.temperature,
    metrics: { validation: calibrated, validationUncalibrated: uncalibrated },
    history: result.history,
    fusedGraphMaxAbsDiff: fused.maxAbsDiff,
    fusedEmbeddingMinCosine: fused.minEmbeddingCosine,
  };
  await writeFile(join(tmp, 'model-card.json'), JSON.stringify(card, null, 2) + '\n');
  await rename(tmp, dir);
  log(`model written to ${dir} (validation macro-F1 ${calibrated.macroF1.toFixed(4)}, accuracy ${calibrated.accuracy.toFixed(4)})`);
  return { dir, version, card, labels };
}
