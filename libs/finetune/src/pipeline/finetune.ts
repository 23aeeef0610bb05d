import { basename } from 'node:path';
import { loadModelDir, sha256File } from '@tuneline/inference';
import type { DatasetFields } from '../data/dataset-fields';
import { classCounts } from '../data/load-dataset';
import { preflightEncoder } from '../export/encoder-graph';
import { EMBEDDING_OUTPUT } from '../export/fuse-onnx';
import type { ModelCard } from '../export/model-card';
import type { EpochRecord } from '../train/train-head';
import type { TrainOptions } from '../train/train-options';
import { calibrationReport } from './calibrate';
import { embedWithBase } from './embed';
import { exemplarCard, exemplarsFromEmbeddings, planExemplars } from './exemplars';
import { finetuneEncoderStage } from './finetune-encoder';
import type { EncoderTrainOptions } from '../encoder/encoder-train-options';
import type { EncoderMethod } from '../encoder/tuned-encoder';
import { prepareData } from './prepare-data';
import { trainOnEmbeddings } from './train';
import { FUSED_CHECK_TEXTS, writeModelVersion } from './write-version';

export type FinetuneTask = 'classify' | 'multilabel' | 'pair';

export interface FinetuneRequest {
  readonly task: FinetuneTask;
  readonly dataFile: string;
  readonly validationFile?: string;
  /** Column names when the files do not use text / label / labels / text_a / text_b. */
  readonly fields?: DatasetFields;
  readonly baseModelDir: string;
  /** Model repository root; the result goes to `<repo>/<name>/<next version>/`. */
  readonly repo: string;
  readonly name: string;
  readonly cacheRoot?: string;
  readonly validationFraction?: number;
  readonly train?: Partial<TrainOptions>;
  /** `head` (default): train a head on the frozen encoder; `lora` / `top-layers`: train the top encoder layers too. */
  readonly method?: 'head' | EncoderMethod;
  /** Options of the `lora` / `top-layers` methods (layers, rank, alpha, rates, …). */
  readonly encoder?: Partial<EncoderTrainOptions>;
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

/**
 * The whole parameter-efficient fine-tune, stage by stage: prepare the data, check the
 * base graph can be fused, embed with the frozen encoder (through the cache), train the
 * head, calibrate, and write a verified, servable model version with its card.
 */
export async function finetune(req: FinetuneRequest): Promise<FinetuneResult> {
  const log = req.log ?? (() => undefined);
  const started = performance.now();
  const multilabel = req.task === 'multilabel';
  const data = await prepareData({ task: req.task, dataFile: req.dataFile, ...(req.validationFile ? { validationFile: req.validationFile } : {}),
    ...(req.validationFraction !== undefined ? { validationFraction: req.validationFraction } : {}), ...(req.train?.seed !== undefined ? { seed: req.train.seed } : {}),
    ...(req.fields ? { fields: req.fields } : {}) });
  const { labels } = data;
  log(`data: ${data.rows.length} rows, ${labels.length} labels; train ${data.train.length}, validation ${data.validation.length}`);
  const exemplarPlan = planExemplars(req.train?.exemplars, req.task, req.method ?? 'head', data.train, labels);

  const base = await loadModelDir(req.baseModelDir);
  if (base.config.outputKind !== 'token_embeddings') throw new RangeError(`${req.baseModelDir} is not a base encoder (output ${base.config.outputKind})`);
  // Refuse a graph the fusion step cannot extend now, not after minutes of embedding and training.
  await preflightEncoder(base.onnxPath, { pooling: base.config.pooling, ...(base.config.dimension ? { hiddenWidth: base.config.dimension } : {}) });
  const baseSha = typeof base.config.source['sha256'] === 'string' ? (base.config.source['sha256'] as string) : await sha256File(base.onnxPath);

  const method = req.method ?? 'head';
  if (method !== 'head') {
    if (multilabel) throw new RangeError(`method ${method} supports classify and pair tasks, not multilabel`);
    const baseId = String(base.config.source['upstream'] ?? base.config.source['catalog'] ?? req.baseModelDir);
    const written = await finetuneEncoderStage({ method, ...(req.encoder ? { options: req.encoder } : {}), dataFile: req.dataFile, hasValidationFile: !!req.validationFile,
      rows: data.rows.length, labels, train: data.train, validation: data.validation, base, baseSha256: baseSha, baseId, repo: req.repo, name: req.name,
      ...(req.cacheRoot ? { cacheRoot: req.cacheRoot } : {}), startedAt: started, ...(req.onEmbedProgress ? { onEmbedProgress: req.onEmbedProgress } : {}),
      ...(req.onEpoch ? { onEpoch: req.onEpoch } : {}), log });
    log(`model written to ${written.dir} (validation macro-F1 ${written.card.metrics.validation.macroF1.toFixed(4)}, accuracy ${written.card.metrics.validation.accuracy.toFixed(4)})`);
    return { ...written, labels };
  }
  const embedded = await embedWithBase({ baseModelDir: req.baseModelDir, base, baseSha256: baseSha, texts: [...data.train, ...data.validation].map((r) => r.text),
    ...(req.cacheRoot ? { cacheRoot: req.cacheRoot } : {}), ...(req.onEmbedProgress ? { onProgress: req.onEmbedProgress } : {}), log });
  const { dim } = embedded;
  const { result, validation } = trainOnEmbeddings({ labels, train: data.train, validation: data.validation, dim, X: embedded.X, multilabel,
    ...(req.train ? { options: req.train } : {}), ...(req.onEpoch ? { onEpoch: req.onEpoch } : {}) });
  const exemplars = exemplarPlan ? exemplarsFromEmbeddings(exemplarPlan, embedded.X, dim, labels.length) : undefined;
  const { calibrated, uncalibrated, headOnly } = calibrationReport(result.head, validation, labels, result.temperature, multilabel, exemplars);
  if (exemplars && headOnly) log(`exemplars: ${exemplars.set.count} in the graph; validation accuracy ${headOnly.accuracy.toFixed(4)} (head) -> ${calibrated.accuracy.toFixed(4)} (blend)`);

  const nCheck = Math.min(FUSED_CHECK_TEXTS, validation.n);
  const task = multilabel ? 'multilabel' : 'classification';
  const written = await writeModelVersion({
    repo: req.repo, name: req.name, base, head: result.head, ...(result.options.head === 'mlp' ? { hiddenDim: result.options.hiddenDim } : {}),
    temperature: result.temperature, multilabel, labels, dim,
    config: { format: 'tuneline-model/v1', task, outputKind: 'probabilities', inputNames: base.config.inputNames, pooling: base.config.pooling,
      normalize: base.config.normalize, maxLength: base.config.maxLength,
      source: { base: base.config.source['catalog'] ?? req.baseModelDir, baseSha256: baseSha, embeddingOutput: EMBEDDING_OUTPUT } },
    ...(exemplars ? { exemplars } : {}), startedAt: started, checkTexts: data.validation.slice(0, nCheck).map((r) => r.text), checkEmbeddings: validation.X.subarray(0, nCheck * dim),
    card: {
      format: 'tuneline-model-card/v1', name: req.name, task, createdAt: new Date().toISOString(),
      baseModel: { id: String(base.config.source['upstream'] ?? base.config.source['catalog'] ?? req.baseModelDir), sha256: baseSha, pooling: base.config.pooling, dimension: dim },
      data: { file: basename(req.dataFile), sha256: await sha256File(req.dataFile), rows: data.rows.length + (req.validationFile ? data.validation.length : 0),
        trainRows: data.train.length, validationRows: data.validation.length, classCounts: classCounts(data.train.flatMap((r) => r.labels)) },
      hyperParameters: result.options,
      training: { epochsRun: result.history.length, epochLimit: result.epochLimit, bestEpoch: result.bestEpoch, stoppedEarly: result.stoppedEarly,
        seconds: (performance.now() - started) / 1000, embedSeconds: embedded.stats.seconds, cacheHits: embedded.stats.cacheHits },
      temperature: result.temperature,
      metrics: { validation: calibrated, validationUncalibrated: uncalibrated, ...(headOnly ? { validationHeadOnly: headOnly } : {}) },
      history: result.history,
      ...(exemplars ? { exemplars: exemplarCard(exemplars) } : {}),
    },
  });
  log(`model written to ${written.dir} (validation macro-F1 ${calibrated.macroF1.toFixed(4)}, accuracy ${calibrated.accuracy.toFixed(4)})`);
  return { ...written, labels };
}
