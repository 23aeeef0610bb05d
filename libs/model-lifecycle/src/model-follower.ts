import { z } from 'zod';
import {
  createConsumerRunner,
  defineTopic,
  errorMessage,
  silentLogger,
  TOPICS,
  type ConsumerRunner,
  type ConsumerRunnerOptions,
  type ConsumerRunnerState,
  type ConsumerTuning,
  type EventsLogger,
  type ModelPublished,
  type TopicDefinition,
} from '@tuneline/events';
import type { LoadedVersion } from '@tuneline/inference';
import type { Registry } from 'prom-client';
import type { FetchFn } from './download-model-dir';
import type { LabelPolicy } from './label-policy';
import { sweepStaging } from './materialize-version';
import { ModelUpdater, type FollowedModelState } from './model-updater';
import { defaultReplicaId, followerGroupId } from './replica-id';
import type { ServingRepository } from './serving-repository';
import { createSwapMetrics, registerFollowerUp } from './swap-metrics';

export type ModelPublishedTopic = TopicDefinition<string, typeof TOPICS.modelPublished.schema>;

export interface ModelFollowerOptions {
  readonly kafka: ConsumerRunnerOptions<ModelPublishedTopic>['kafka'];
  /** The service's name; part of the consumer group id. */
  readonly service: string;
  /** Model names this service serves. */
  readonly models: readonly string[];
  /** The service's repository; versions land in its root and swap through it. */
  readonly repository: ServingRepository;
  /**
   * Where `tuneline_model_swaps_total`, `tuneline_model_swap_seconds` and
   * `tuneline_model_follower_up{group}` are registered (shared by followers on one registry).
   */
  readonly registry: Registry;
  /** Default: host name + pid + random suffix (a group per replica, see followerGroupId). */
  readonly replicaId?: string;
  /** Default TOPICS.modelPublished; tests pass a uniquely named copy. */
  readonly topic?: ModelPublishedTopic;
  readonly labelPolicy?: LabelPolicy;
  /**
   * Default true: a new replica (a new group) replays the topic, which is kept forever, and
   * so reaches the newest published version; versions not newer than the served one are skipped.
   */
  readonly fromBeginning?: boolean;
  readonly validate?: (candidate: LoadedVersion, event: ModelPublished) => void | Promise<void>;
  readonly logger?: EventsLogger;
  readonly fetch?: FetchFn;
  readonly fetchAttempts?: number;
  /** Per file of an http(s) download; default DEFAULT_FETCH_TIMEOUT_MS. */
  readonly fetchTimeoutMs?: number;
  readonly consumer?: ConsumerTuning;
  /** ModelUpdaterOptions.keepVersions: prune the local repository to this many versions after each swap (unset: keep all). */
  readonly keepVersions?: number;
}

export interface ModelFollowerState {
  readonly groupId: string;
  readonly consuming: boolean;
  /** The consumer runner's state: `failed` after a crash KafkaJS will not restart. */
  readonly runner: ConsumerRunnerState;
  /** Every followed model has a served version (isServing). */
  readonly serving: boolean;
  /** Consuming with a healthy runner (isFollowing). */
  readonly following: boolean;
  readonly models: Readonly<Record<string, FollowedModelState>>;
}

export interface ModelFollower {
  readonly groupId: string;
  /** Joins the replica's group and starts following; resolves once consuming. */
  start(): Promise<void>;
  /** Finishes the event in hand (a swap is not cut in half), commits, leaves the group. */
  stop(options?: { timeoutMs?: number }): Promise<void>;
  /**
   * For readiness (/readyz): every followed model has a served version. Kafka trouble does not
   * take a replica out of service; the version it has keeps serving.
   */
  isServing(): boolean;
  /**
   * For an alert, not readiness: started, not stopped, and the consumer runner healthy (not
   * restarting or failed). Exported as `tuneline_model_follower_up{group}` (1/0).
   */
  isFollowing(): boolean;
  state(): ModelFollowerState;
}

/**
 * Follows model.published for a service's models: each replica consumes every event in its
 * own group and moves its repository to the newest verified version (ModelUpdater).
 */
export function createModelFollower(options: ModelFollowerOptions): ModelFollower {
  const logger = options.logger ?? silentLogger;
  const groupId = followerGroupId(options.service, options.replicaId ?? defaultReplicaId());
  const metrics = createSwapMetrics(options.registry);
  const updater = new ModelUpdater({
    repository: options.repository,
    models: options.models,
    metrics,
    logger,
    ...(options.labelPolicy ? { labelPolicy: options.labelPolicy } : {}),
    ...(options.validate ? { validate: options.validate } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.fetchAttempts !== undefined ? { fetchAttempts: options.fetchAttempts } : {}),
    ...(options.fetchTimeoutMs !== undefined ? { fetchTimeoutMs: options.fetchTimeoutMs } : {}),
    ...(options.keepVersions !== undefined ? { keepVersions: options.keepVersions } : {}),
  });
  const topic = options.topic ?? TOPICS.modelPublished;
  // A broadcast follower has no use for a dead-letter topic (every replica would dead-letter
  // the same record, and a per-replica DLQ topic would outlive its pod, or fail to be written
  // where topics are not auto-created, redelivering the record forever): a value that does
  // not decode is skipped by the runner, one that decodes is checked by the updater; both
  // are counted as rejected_malformed, committed and passed. The handler never throws.
  const lenient = defineTopic({ ...topic, schema: z.unknown(), key: () => '' });
  let consuming = false;
  const runner: ConsumerRunner = createConsumerRunner({
    kafka: options.kafka,
    groupId,
    topics: [lenient],
    fromBeginning: options.fromBeginning ?? true,
    ordering: 'key', // key = model name: versions of one model are applied in order
    verifyTopics: false,
    undecodable: 'skip',
    metrics: { onSkipped: () => metrics.observe('(other)', 'rejected_malformed') },
    logger,
    ...(options.consumer ? { consumer: options.consumer } : {}),
    handler: async (event) => {
      try {
        await updater.apply(event.value, event.signal);
      } catch (err) {
        // apply() does not throw; this guards the consumer against a bug all the same.
        logger.error({ err: errorMessage(err), offset: event.offset }, 'model.published handler failed; skipping the record');
      }
    },
  });

  const isServing = (): boolean => options.models.every((m) => options.repository.currentVersion(m) !== undefined);
  // The runner turns unhealthy while KafkaJS restarts a crashed consumer and when it gives up.
  const isFollowing = (): boolean => consuming && runner.isHealthy();
  registerFollowerUp(options.registry, groupId, isFollowing);
  return {
    groupId,
    async start() {
      await sweepStaging(options.repository.root, options.models, logger);
      await runner.start();
      consuming = true;
      logger.info({ groupId, topic: topic.name, models: options.models }, 'following model.published');
    },
    async stop(stopOptions) {
      consuming = false;
      await runner.stop(stopOptions);
    },
    isServing,
    isFollowing,
    state: () => ({ groupId, consuming, runner: runner.state, serving: isServing(), following: isFollowing(), models: updater.state() }),
  };
}
