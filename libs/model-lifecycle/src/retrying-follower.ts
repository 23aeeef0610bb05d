import { retriedStart, type RetryPolicy } from '@tuneline/events';
import type { ModelFollower, ModelFollowerState } from './model-follower';

export interface RetryingFollowerOptions {
  /** Between start attempts; keepStarting's default: 1 s doubling to 30 s, no limit. */
  readonly retry?: Partial<RetryPolicy>;
  readonly onAttemptFailed?: (err: unknown, attempt: number, retryInMs: number) => void;
}

/**
 * A ModelFollower that keeps trying to start: a fresh follower per attempt (a runner that
 * failed to start cannot start again) until one consumes, or until stop(). Kafka down when a
 * service starts (a cluster restart) used to leave that replica without hot swaps until it
 * restarted, serving another version than its peers. `create` must give every follower the
 * same consumer group (a fixed replicaId). Only the start is retried: a consumer KafkaJS gives
 * up on after it started is not. Until one has started, isFollowing() is
 * false and isServing()/state() are the first follower's (they read the repository).
 */
export function retryingModelFollower(create: () => ModelFollower, options: RetryingFollowerOptions = {}): ModelFollower {
  const first = create();
  let made = 0;
  const attempts = retriedStart({
    create: () => {
      const follower = made++ === 0 ? first : create();
      // One group for every attempt: a new one per attempt would leave a
      // tuneline_model_follower_up series at 0 (an alert firing) for each failed one.
      if (follower.groupId !== first.groupId) throw new TypeError(`retryingModelFollower: attempts must share one consumer group (${first.groupId}), got ${follower.groupId}; pass a fixed replicaId`);
      return { follower, start: () => follower.start(), stop: (timeoutMs: number) => follower.stop({ timeoutMs }) };
    },
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.onAttemptFailed ? { onAttemptFailed: options.onAttemptFailed } : {}),
  });
  const current = () => attempts.current?.follower;
  return {
    groupId: first.groupId,
    start: async () => void (await attempts.start()),
    async stop(stopOptions) {
      await attempts.stop(stopOptions?.timeoutMs);
    },
    isServing: () => (current() ?? first).isServing(),
    isFollowing: () => current()?.isFollowing() ?? false,
    state: (): ModelFollowerState => (current() ?? first).state(),
  };
}
