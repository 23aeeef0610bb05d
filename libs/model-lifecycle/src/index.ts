// Public API of @tuneline/model-lifecycle: services follow model.published with it.

export { createModelFollower, type ModelFollower, type ModelFollowerOptions, type ModelFollowerState, type ModelPublishedTopic } from './model-follower';
export {
  ModelUpdater,
  DEFAULT_FETCH_ATTEMPTS,
  DEFAULT_FETCH_RETRY_DELAY_MS,
  type ModelUpdaterOptions,
  type UpdateResult,
  type FollowedModelState,
} from './model-updater';
export type { ServingRepository } from './serving-repository';
export { createSwapMetrics, type SwapMetrics, type SwapOutcome } from './swap-metrics';
export { LABEL_POLICIES, DEFAULT_LABEL_POLICY, type LabelPolicy } from './label-policy';
export { defaultReplicaId, followerGroupId } from './replica-id';
export { materializeVersion, type MaterializeRequest, type Materialized } from './materialize-version';
export { REQUIRED_MODEL_FILES, OPTIONAL_MODEL_FILES, type FetchFn } from './download-model-dir';
export {
  ModelLifecycleError,
  MalformedEventError,
  ModelFetchFailedError,
  UnsupportedSourceError,
  ChecksumMismatchError,
  LabelsMismatchError,
  IncompatibleLabelsError,
  type ModelLifecycleErrorCode,
} from './errors';
