// Public API of @tuneline/finetune: fine-tune a task head on a frozen encoder, fuse it into
// one ONNX graph, evaluate and predict with the result. Test helpers: ./testing.ts.

// Data: loading, column names, splitting.
export { DatasetError } from './data/dataset-error';
export { TASK_KINDS, type TaskKind, type ClassifyExample, type MultiLabelExample, type PairExample, type RankExample, type ExamplesByTask } from './data/examples';
export { loadDataset, classCounts, DEFAULT_MAX_TEXT_CHARS, type LoadOptions } from './data/load-dataset';
export { FIELD_FLAGS, type DatasetFields, type FieldRole } from './data/dataset-fields';
export { readTaskRows, type TaskRow, type TaskRowOptions, type TextTask } from './data/task-rows';
export { PAIR_TEXT_SEPARATOR, joinPairText } from './data/pair-text';
export { stratifiedSplit } from './data/split';

// Heads and training.
export { headWeights, type Head, type HeadKind, type HeadWeights } from './heads/head';
export { DEFAULT_TRAIN_OPTIONS, validateTrainOptions, type TrainOptions } from './train/train-options';
export { DEFAULT_EXEMPLAR_OPTIONS, ExemplarPlanError, MAX_EXEMPLARS, MAX_EXEMPLAR_K, validateExemplarOptions, parseExemplarSpec, type ExemplarOptions } from './train/exemplar-options';
export { trainHead, predictLogits, type TrainInput, type TrainResult, type EmbeddedSplit, type EpochRecord } from './train/train-head';

// Ranking heads on feature vectors (libs/recommend): train, score in TS, export a standalone graph.
export { DEFAULT_FEATURE_HEAD_OPTIONS, validateFeatureHeadOptions, type FeatureHeadOptions } from './rank/feature-head-options';
export {
  trainFeatureHead,
  type FeatureRows,
  type FeatureHead,
  type FeatureHeadInput,
  type FeatureHeadResult,
  type FeatureEpochRecord,
} from './rank/train-feature-head';
export { featureNormalization, normalizeRows, type FeatureNormalization } from './rank/normalization';
export { groupAuc, groupNdcg } from './rank/group-auc';
export { mergeFeatureHeads } from './rank/merge-feature-heads';
export { compileFeatureHead, scoreFeatureRows, type CompiledFeatureHead } from './rank/score-feature-rows';
export { featureHeadGraph, writeFeatureModelDir, FEATURES_INPUT, SCORE_OUTPUT, FEATURE_HEAD_OPSET, type FeatureModelWrite } from './rank/export-feature-head';

// Metrics and calibration.
export { evaluate, expectedCalibrationError, type EvaluationReport, type ClassMetrics } from './eval/metrics';
export { fitTemperature } from './eval/temperature';
export { calibrationReport, type CalibrationReport } from './pipeline/calibrate';

// Embedding cache.
export { EmbeddingCache } from './cache/embedding-cache';
export { embedTexts, type EmbedStats } from './cache/embed-texts';

// Export to one ONNX graph.
export {
  preflightEncoder,
  EncoderGraphError,
  MIN_ENCODER_OPSET,
  MAX_ENCODER_OPSET,
  type EncoderGraphInfo,
  type EncoderExpectations,
} from './export/encoder-graph';
export { fuseHeadIntoEncoder, PROBABILITIES_OUTPUT, EMBEDDING_OUTPUT, type FuseOptions } from './export/fuse-onnx';
export { buildExemplarSet, type ExemplarSet } from './export/exemplar-vote';
export { exemplarVoteNodes, type FusedExemplars, type ExemplarVoteGraph } from './export/fuse-exemplars';
export { verifyFusedGraph, type FusedCheck, type VerifyFusedInput } from './export/verify-fused';
export type { ModelCard, ExemplarCard } from './export/model-card';

// The pipeline.
export { finetune, type FinetuneRequest, type FinetuneResult, type FinetuneTask } from './pipeline/finetune';
export { nextVersion, FUSED_HEAD_TOLERANCE, FUSED_EMBEDDING_MIN_COSINE } from './pipeline/write-version';

// Reports.
export {
  writeTrainingReport,
  trainingReportMarkdown,
  REPORT_FILES,
  lossChartSvg,
  metricsChartSvg,
  confusionChartSvg,
  lineChartSvg,
  confusionMatrixSvg,
  renderPng,
  type ReportFiles,
} from './report/index';

// Using a trained model.
export {
  evaluateModelOnFile,
  TaskMismatchError,
  type EvaluateTask,
  type EvaluateFileOptions,
  type FileEvaluation,
  type RowPrediction,
} from './evaluate/evaluate-model';
export { openPredictor, predictTexts, PREDICT_CHUNK_SIZE, type Predictor, type PredictOptions } from './evaluate/predict-texts';
export { resolveTrainedModelDir } from './evaluate/model-path';

// Encoder fine-tuning (LoRA / top layers) on cached lower-layer hidden states.
export { JsMatmulEngine, OrtMatmulEngine, type MatmulEngine, type MatmulShape, type Mat } from './encoder/matmul-engine';
export { readBertGraph, BertGraphError, type BertGraph } from './encoder/bert-graph';
export { TunedEncoder, type EncoderMethod, type TunedEncoderOptions, type HiddenBatch, type EncoderPass } from './encoder/tuned-encoder';
export { type LoraOptions, type LoraTarget } from './encoder/bert-layer';
export { hiddenBatch } from './encoder/hidden-batch';
export { HiddenStateCache } from './encoder/hidden-state-cache';
export { hiddenStates, type HiddenStateStats } from './encoder/hidden-states';
export { DEFAULT_ENCODER_TRAIN_OPTIONS, defaultLayers, encoderTrainOptions, type EncoderTrainOptions } from './encoder/encoder-train-options';
export { trainEncoder, encodeSplit, type EncoderTrainInput, type EncoderTrainResult, type HiddenSplit } from './encoder/train-encoder';
export { writeMergedEncoder } from './encoder/merge-encoder';
export type { EncoderTuningCard } from './export/model-card';
export { quantizeDynamicInt8 } from './export/quantize-int8';
