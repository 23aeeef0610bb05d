import type { EvaluationReport } from '../eval/metrics';
import type { ExemplarOptions } from '../train/exemplar-options';
import type { EpochRecord } from '../train/train-head';
import type { TrainOptions } from '../train/train-options';

export interface EncoderTuningCard {
  readonly method: 'lora' | 'top-layers';
  /** Top layers trained; the ones below are the base encoder's, unchanged. */
  readonly layers: number;
  readonly firstTrainedLayer: number;
  readonly loraRank?: number;
  readonly loraAlpha?: number;
  readonly loraTargets?: readonly string[];
  /** Encoder initialisers whose values differ from the base model's. */
  readonly trainedInitializers: readonly string[];
  /** Trained numbers: adapters (or layer weights) plus the head. */
  readonly trainedParameters: number;
  readonly learningRate: number;
  readonly headLearningRate: number;
  readonly weightDecay: number;
  readonly maxGradNorm: number;
  /** Hidden dropout in the trained layers while training; absent on cards written before it existed (= 0). */
  readonly dropout?: number;
  readonly batchSize: number;
  readonly epochs: number;
  /** Validation macro-F1 of the frozen-encoder probe the head started from. */
  readonly probeMacroF1: number;
  /** Whether early stopping could keep the probe (epoch 0); absent on cards written before it existed (= true). */
  readonly probeCompetes?: boolean;
  readonly hiddenStateSeconds: number;
  readonly hiddenStateCacheHits: number;
  readonly trainSeconds: number;
}

/** The exemplar vote fused into the graph (train/exemplar-options.ts, docs/adr/0022). */
export interface ExemplarCard extends ExemplarOptions {
  /** Exemplars stored in model.onnx: the training split's distinct (text, label) rows, embedded. */
  readonly count: number;
  /** Bytes of float32 exemplar embeddings and one-hot labels the graph carries. */
  readonly bytes: number;
}

/** What a deployed model says about itself (written as model-card.json). */
export interface ModelCard {
  readonly format: 'tuneline-model-card/v1';
  readonly name: string;
  readonly version: string;
  readonly task: 'classification' | 'multilabel';
  readonly createdAt: string;
  readonly baseModel: { readonly id: string; readonly sha256: string; readonly pooling: 'cls' | 'mean'; readonly dimension: number };
  readonly data: {
    readonly file: string;
    readonly sha256: string;
    readonly rows: number;
    readonly trainRows: number;
    readonly validationRows: number;
    readonly classCounts: Readonly<Record<string, number>>;
  };
  readonly hyperParameters: TrainOptions;
  readonly training: { readonly epochsRun: number; readonly epochLimit: number; readonly bestEpoch: number; readonly stoppedEarly: boolean; readonly seconds: number; readonly embedSeconds: number; readonly cacheHits: number };
  readonly temperature: number;
  /** `validation` is what the graph serves (the blend, with exemplars); `validationHeadOnly` the head alone then. */
  readonly metrics: { readonly validation: EvaluationReport; readonly validationUncalibrated: EvaluationReport; readonly validationHeadOnly?: EvaluationReport };
  readonly history: readonly EpochRecord[];
  /** Set when the encoder itself was trained (LoRA merged into the weights, or the top layers). */
  readonly encoderTuning?: EncoderTuningCard;
  /** Set when a k-nearest-exemplar vote is blended into the probabilities. */
  readonly exemplars?: ExemplarCard;
  /** Fused graph's probabilities vs. the head applied to the graph's own embedding. */
  readonly fusedGraphMaxAbsDiff: number;
  /** Fused graph's embeddings vs. the ones the head was trained on (int8 bases: ≈0.99). */
  readonly fusedEmbeddingMinCosine: number;
  /**
   * With exemplars: check texts left out of fusedGraphMaxAbsDiff because their k-th and
   * (k+1)-th exemplar tie (verify-fused.ts); the diff covers the other check texts only.
   */
  readonly fusedGraphExemplarNearTies?: number;
}
