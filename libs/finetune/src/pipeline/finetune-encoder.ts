import { rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { tmpdir } from 'node:os';
import { readFile } from 'node:fs/promises';
import { onnx } from 'onnx-proto';
import { sha256File, type ModelDir } from '@tuneline/inference';
import { classCounts } from '../data/load-dataset';
import type { TaskRow } from '../data/task-rows';
import { readBertGraph } from '../encoder/bert-graph';
import { defaultLayers, type EncoderTrainOptions } from '../encoder/encoder-train-options';
import { HiddenStateCache } from '../encoder/hidden-state-cache';
import { hiddenStates } from '../encoder/hidden-states';
import { OrtMatmulEngine } from '../encoder/matmul-engine';
import { writeMergedEncoder } from '../encoder/merge-encoder';
import { trainEncoder, type EncoderTrainResult } from '../encoder/train-encoder';
import type { EncoderMethod } from '../encoder/tuned-encoder';
import { EMBEDDING_OUTPUT } from '../export/fuse-onnx';
import { DEFAULT_TRAIN_OPTIONS } from '../train/train-options';
import type { EpochRecord } from '../train/train-head';
import { calibrationReport } from './calibrate';
import { embedWithBase } from './embed';
import { FUSED_CHECK_TEXTS, writeModelVersion, type WrittenVersion } from './write-version';

export interface EncoderStageInput {
  readonly method: EncoderMethod;
  readonly options?: Partial<EncoderTrainOptions>;
  readonly dataFile: string;
  readonly hasValidationFile: boolean;
  readonly rows: number;
  readonly labels: readonly string[];
  readonly train: readonly TaskRow[];
  readonly validation: readonly TaskRow[];
  readonly base: ModelDir;
  readonly baseSha256: string;
  readonly baseId: string;
  readonly repo: string;
  readonly name: string;
  readonly cacheRoot?: string;
  readonly startedAt: number;
  readonly onEmbedProgress?: (done: number, total: number) => void;
  readonly onEpoch?: (record: EpochRecord, totalEpochs: number) => void;
  readonly log: (message: string) => void;
}

/**
 * Stages 2-5 for `lora` and `top-layers`: hidden states entering layer L − k (cached), train
 * the top k layers and the head, merge the trained weights into the encoder graph, then fuse
 * and verify as for a head (the check texts' embeddings are the trained encoder's).
 */
export async function finetuneEncoderStage(s: EncoderStageInput): Promise<WrittenVersion> {
  const graph = readBertGraph(onnx.ModelProto.decode(await readFile(s.base.onnxPath)));
  const method = s.method;
  // The default k is capped at the encoder's depth (all layers of a shallower model); a k given is checked.
  const layers = s.options?.layers ?? defaultLayers(method, graph.layers);
  if (!(Number.isInteger(layers) && layers >= 1 && layers <= graph.layers)) throw new RangeError(`layers must be an integer in [1, ${graph.layers}], got ${layers}`);
  const texts = [...s.train, ...s.validation].map((r) => r.text);
  const cache = s.cacheRoot ? await HiddenStateCache.open(s.cacheRoot, s.baseSha256, layers, graph.hidden) : undefined;
  const { states, stats } = await hiddenStates({ encoderPath: s.base.onnxPath, tokenizerPath: s.base.tokenizerPath, maxLength: s.base.config.maxLength,
    tensor: graph.inputOf(graph.layers - layers), texts, dim: graph.hidden, ...(cache ? { cache } : {}), ...(s.onEmbedProgress ? { onProgress: s.onEmbedProgress } : {}) });
  s.log(`hidden states entering layer ${graph.layers - layers}: ${stats.unique} unique texts, ${stats.cacheHits} from cache, ${stats.encoded} encoded in ${stats.seconds.toFixed(1)} s`);

  const index = new Map(s.labels.map((l, i) => [l, i]));
  const split = (rows: readonly TaskRow[]) => ({ states: rows.map((r) => states.get(r.text) as Float32Array), targets: Int32Array.from(rows, (r) => index.get(r.labels[0] as string) as number) });
  // The probe's step-0 embeddings from onnxruntime's whole graph (and the embedding cache, shared
  // with --method head), not from the trainer's JS pass through the k layers: cheaper from k = 2
  // on even when the cache is cold (a JS layer costs about what the whole graph does per text).
  // trainEncoder checks that they agree with its own pass.
  const embedded = await embedWithBase({ baseModelDir: s.base.path, base: s.base, baseSha256: s.baseSha256, texts, ...(s.cacheRoot ? { cacheRoot: s.cacheRoot } : {}),
    ...(s.onEmbedProgress ? { onProgress: s.onEmbedProgress } : {}), log: s.log });
  if (embedded.dim !== graph.hidden) throw new RangeError(`the base model's embeddings have ${embedded.dim} dimensions, its graph's hidden size is ${graph.hidden}`);
  const trainRows = s.train.length * graph.hidden;
  const frozenEmbeddings = { train: embedded.X.subarray(0, trainRows), validation: embedded.X.subarray(trainRows) };
  const engine = new OrtMatmulEngine();
  const trainStarted = performance.now();
  let result: EncoderTrainResult;
  try {
    result = await trainEncoder({ engine, graph, labels: s.labels, train: split(s.train), validation: split(s.validation), pooling: s.base.config.pooling, normalize: s.base.config.normalize,
      options: { ...s.options, method, layers }, frozenEmbeddings, ...(s.onEpoch ? { onEpoch: s.onEpoch } : {}) });
  } finally {
    await engine.dispose();
  }
  const trainSeconds = (performance.now() - trainStarted) / 1000;
  const o = result.options;
  s.log(`${method} k=${layers}: best epoch ${result.bestEpoch} (probe macro-F1 ${result.probeMacroF1.toFixed(4)}), ${trainSeconds.toFixed(1)} s`);

  const head = result.model.head;
  const dim = graph.hidden;
  const valSplit = { X: result.validationEmbeddings, n: s.validation.length, targets: split(s.validation).targets };
  const { calibrated, uncalibrated } = calibrationReport(head, valSplit, s.labels, result.temperature, false);
  const merged = join(tmpdir(), `tuneline-merged-${process.pid}-${Date.now()}.onnx`);
  try {
    const trainedInitializers = await writeMergedEncoder(s.base.onnxPath, merged, result.model);
    const nCheck = Math.min(FUSED_CHECK_TEXTS, s.validation.length);
    const headOptions = { ...DEFAULT_TRAIN_OPTIONS, epochs: o.epochs, batchSize: o.batchSize, learningRate: o.headLearningRate, weightDecay: o.weightDecay,
      warmupFraction: o.warmupFraction, patience: o.patience, seed: o.seed, minSteps: 0 };
    return await writeModelVersion({
      repo: s.repo, name: s.name, base: { ...s.base, onnxPath: merged }, head, temperature: result.temperature, multilabel: false, labels: s.labels, dim,
      config: { format: 'tuneline-model/v1', task: 'classification', outputKind: 'probabilities', inputNames: s.base.config.inputNames, pooling: s.base.config.pooling,
        normalize: s.base.config.normalize, maxLength: s.base.config.maxLength,
        source: { base: s.baseId, baseSha256: s.baseSha256, embeddingOutput: EMBEDDING_OUTPUT, encoderTuning: method } },
      startedAt: s.startedAt, checkTexts: s.validation.slice(0, nCheck).map((r) => r.text), checkEmbeddings: result.validationEmbeddings.subarray(0, nCheck * dim),
      card: {
        format: 'tuneline-model-card/v1', name: s.name, task: 'classification', createdAt: new Date().toISOString(),
        baseModel: { id: s.baseId, sha256: s.baseSha256, pooling: s.base.config.pooling, dimension: dim },
        data: { file: basename(s.dataFile), sha256: await sha256File(s.dataFile), rows: s.rows + (s.hasValidationFile ? s.validation.length : 0),
          trainRows: s.train.length, validationRows: s.validation.length, classCounts: classCounts(s.train.flatMap((r) => r.labels)) },
        hyperParameters: headOptions,
        training: { epochsRun: result.history.length, epochLimit: o.epochs, bestEpoch: result.bestEpoch, stoppedEarly: result.stoppedEarly,
          seconds: (performance.now() - s.startedAt) / 1000, embedSeconds: stats.seconds, cacheHits: stats.cacheHits },
        temperature: result.temperature,
        metrics: { validation: calibrated, validationUncalibrated: uncalibrated },
        history: result.history,
        encoderTuning: {
          method, layers, firstTrainedLayer: graph.layers - layers,
          ...(method === 'lora' ? { loraRank: o.loraRank, loraAlpha: o.loraAlpha, loraTargets: o.loraTargets } : {}),
          trainedInitializers, trainedParameters: result.trainedParameters, learningRate: o.learningRate, headLearningRate: o.headLearningRate,
          weightDecay: o.weightDecay, maxGradNorm: o.maxGradNorm, dropout: o.dropout, batchSize: o.batchSize, epochs: o.epochs, probeMacroF1: result.probeMacroF1, probeCompetes: o.probeCompetes,
          hiddenStateSeconds: stats.seconds, hiddenStateCacheHits: stats.cacheHits, trainSeconds,
        },
      },
    });
  } finally {
    await rm(merged, { force: true });
  }
}
