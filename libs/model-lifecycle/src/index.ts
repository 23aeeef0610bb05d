// Public API of @tuneline/model-lifecycle: what a service needs to follow model.published.
//
// Wiring: createModelFollower({ kafka, service, models, repository, registry }), start() after
// the repository loaded its current versions, stop() on shutdown; wrapped in
// retryingModelFollower(() => createModelFollower(...)) its start is retried while Kafka is down.
// - readiness (/readyz): follower.isServing() — every followed model has a served version;
//   Kafka trouble does not take a replica out of service, the version it has keeps serving.
// - alerting: follower.isFollowing(), exported as tuneline_model_follower_up{group} (1/0) on
//   the registry; a replica at 0 for long no longer hears model.published.
// - state() reports both, plus the last event per model, for a status endpoint.

export {
  createModelFollower,
  type ModelFollower,
  type ModelFollowerOptions,
  type ModelFollowerState,
  type ModelPublishedTopic,
} from './model-follower';
export { retryingModelFollower, type RetryingFollowerOptions } from './retrying-follower';
export { DEFAULT_FETCH_ATTEMPTS, DEFAULT_FETCH_RETRY_DELAY_MS, type FollowedModelState } from './model-updater';
export { DEFAULT_FETCH_TIMEOUT_MS, type FetchFn } from './download-model-dir';
export type { ServingRepository } from './serving-repository';
export { SWAPS_METRIC, SWAP_SECONDS_METRIC, FOLLOWER_UP_METRIC, type SwapOutcome } from './swap-metrics';
export { LABEL_POLICIES, DEFAULT_LABEL_POLICY, type LabelPolicy } from './label-policy';
export { defaultReplicaId, followerGroupId } from './replica-id';
