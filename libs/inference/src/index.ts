// Public API of @tuneline/inference: load a model directory and serve it through a
// dynamic batcher. Internals (batcher, provider probing) stay private; test helpers
// live in src/testing.ts.

export {
  InferenceError,
  InvalidInputError,
  QueueFullError,
  DeadlineExceededError,
  ModelUnavailableError,
  ModelFormatError,
  ModelNotFoundError,
  ModelFetchError,
  type InferenceErrorCode,
} from './errors';
export { DEFAULT_INPUT_LIMITS, type InputLimits } from './limits';
export { cosineSimilarity, l2Normalize, poolEmbeddings, softmax } from './pooling';
export { createInferenceMetrics, type InferenceMetrics } from './metrics';
export { inferenceEnvSchema, textModelOptionsFromEnv, type InferenceEnv } from './inference-config';

export {
  MODEL_CONFIG_FILE,
  BERT_INPUT_NAMES,
  modelConfigSchema,
  type ModelConfig,
  type ModelConfigInput,
} from './model/model-config';
export { loadModelDir, type ModelDir } from './model/model-dir';

export {
  MODEL_CATALOG,
  MODEL_ALIASES,
  DEFAULT_MODEL_NAME,
  findCatalogEntry,
  type CatalogEntry,
  type Pooling,
} from './model-store/catalog';
export { sha256File, sha256Bytes } from './model-store/sha256';
export { streamToFile, type StreamedFile } from './model-store/stream-to-file';
export { catalogModelDir, fetchCatalogModel, type FetchResult } from './model-store/maven-fetch';
export {
  pullFromHub,
  parseHubSpec,
  hubModelDir,
  DEFAULT_HUB_ENDPOINT,
  type HubPullOptions,
  type HubPullResult,
} from './model-store/hub-pull';
export { defaultCacheRoot, resolveModelDir } from './model-store/resolve-model';

export { TextTokenizer, type TokenizedText } from './tokenizer/text-tokenizer';
export {
  EXECUTION_PROVIDERS,
  DEFAULT_PROVIDER_PREFERENCE,
  parseProviderList,
  type ExecutionProviderName,
} from './session/execution-providers';
export {
  createModelSession,
  DEFAULT_GRAPH_OPTIMIZATION,
  type GraphOptimizationLevel,
  type ModelSession,
  type ModelSessionOptions,
} from './session/model-session';

export { DEFAULT_MODEL_INSTANCES, MAX_MODEL_INSTANCES, defaultIntraOpThreads } from './session/instance-pool';
export type { GraphSource } from './session/load-instances';
export { OPTIMIZED_GRAPH_FILE, OPTIMIZED_GRAPH_MARKER, OPTIMIZED_GRAPH_TOLERANCE } from './session/optimized-graph';

export {
  DEFAULT_BATCHER_OPTIONS,
  DEFAULT_MAX_BATCH_SIZE_BY_PROVIDER,
  DEFAULT_MAX_TOKENS_PER_BATCH_BY_PROVIDER,
  type BatcherOptions,
  type BatchStats,
} from './batching/batcher-options';
export { DEFAULT_DRAIN_TIMEOUT_MS, type DrainOptions, type SubmitOptions } from './batching/dynamic-batcher';
export { SENTENCE_EMBEDDING_OUTPUT, TextModel, type TextModelOptions, type TextModelOutput } from './text-model';
export type { CachedResponse, ResponseCacheStats } from './response-cache';
export { Encoder } from './pipelines/encoder';
export { Classifier, predictionsOf, type Prediction, type PredictionsOptions } from './pipelines/classifier';
export { TASKS, TASK_ALIASES, createPipeline, type TaskName, type Pipeline } from './pipelines/tasks';

export {
  ModelRepository,
  compareVersions,
  type LoadedVersion,
  type InferResult,
  type RepositoryInferOptions,
  type ModelRepositoryOptions,
  type LoadOptions,
  type LoadModel,
  type ScoreFeaturesOptions,
  type ScoreFeaturesResult,
  RETRIED_OUTCOME,
} from './repository/model-repository';
export { FeatureModel, DEFAULT_FEATURE_BATCHING, DEFAULT_FEATURE_MAX_ROWS, type FeatureModelOptions } from './feature-model';
export {
  FEATURE_MODEL_TASK,
  featureModelConfigSchema,
  isFeatureModelDir,
  loadFeatureModelDir,
  type FeatureModelConfig,
  type FeatureModelConfigInput,
  type FeatureModelDir,
} from './model/feature-model-config';
