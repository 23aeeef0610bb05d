/**
 * This replica's read side: an AlertHub fed from sentiment.alerts (StreamAlerts, SSE) and an
 * EntitySentimentView fed from sentiment.scored (GetEntitySentiment), each through its own
 * per-replica consumer group read from the beginning (replica-feed.ts).
 *
 * The hub is in memory, so its feed must start at the beginning on every start: the group's
 * offsets are reset to the earliest before it joins (a fixed SENTIMENT_INSTANCE_ID reuses the
 * group), and the hub is told it covers each partition from its low watermark, so a resume
 * token from before that reads as a gap rather than as "nothing missed".
 */
import type { ConsumerRunner, ConsumerTuning, EventsLogger } from '@tuneline/events';
import { AlertHub, EntitySentimentView, type AlertHubOptions, type EntitySentimentOptions } from '@tuneline/sentiment';
import type { Kafka } from 'kafkajs';
import type { SentimentTopics } from '../pipeline/sentiment-topics';
import { createReplicaFeed, replicaGroupId } from './replica-feed';
import type { StoredAlert } from './stored-alert';

/** How often the view drops buckets no window sees any more (records can be sparse). */
const PRUNE_INTERVAL_MS = 60_000;

export interface SentimentServingOptions {
  readonly kafka: Kafka;
  readonly service: string;
  readonly instanceId: string;
  readonly topics: Pick<SentimentTopics, 'alerts' | 'scored'>;
  readonly hub?: Partial<AlertHubOptions>;
  readonly view?: Partial<EntitySentimentOptions>;
  readonly logger: EventsLogger;
  readonly consumer?: ConsumerTuning;
  readonly onRejected: (feed: 'alerts' | 'scored') => void;
  /** Wall clock for the view (a seam for tests). */
  readonly now?: () => number;
}

export interface SentimentServing {
  readonly hub: AlertHub<StoredAlert>;
  readonly view: EntitySentimentView;
  readonly alertsGroupId: string;
  readonly scoredGroupId: string;
  /** Both feeds consuming. */
  isFollowing(): boolean;
  start(): Promise<void>;
  /** Stops the feeds; the hub ends its streams (they may reconnect elsewhere with their tokens). */
  stop(timeoutMs: number): Promise<void>;
}

export function createSentimentServing(o: SentimentServingOptions): SentimentServing {
  const now = o.now ?? Date.now;
  const hub = new AlertHub<StoredAlert>(o.hub);
  const view = new EntitySentimentView(o.view);
  const alertsGroupId = replicaGroupId(o.service, o.instanceId, 'alerts');
  const scoredGroupId = replicaGroupId(o.service, o.instanceId, 'scored');
  const alerts: ConsumerRunner = createReplicaFeed({
    kafka: o.kafka,
    groupId: alertsGroupId,
    topic: o.topics.alerts,
    logger: o.logger,
    ...(o.consumer ? { consumer: o.consumer } : {}),
    onValue: (alert, { partition, offset }) => void hub.publish(alert, { partition, offset: Number(offset) }),
    onRejected: () => o.onRejected('alerts'),
  });
  const scored: ConsumerRunner = createReplicaFeed({
    kafka: o.kafka,
    groupId: scoredGroupId,
    topic: o.topics.scored,
    logger: o.logger,
    ...(o.consumer ? { consumer: o.consumer } : {}),
    onValue: (item) => void view.record(item, now()),
    onRejected: () => o.onRejected('scored'),
  });
  let pruner: NodeJS.Timeout | undefined;

  async function rewind(): Promise<void> {
    const admin = o.kafka.admin();
    await admin.connect();
    try {
      for (const [groupId, topic] of [[alertsGroupId, o.topics.alerts.name], [scoredGroupId, o.topics.scored.name]] as const) {
        await admin.resetOffsets({ groupId, topic, earliest: true }).catch((err: unknown) => {
          // A group that never existed has nothing to reset; the feed reads from the beginning anyway.
          o.logger.debug({ groupId, err: err instanceof Error ? err.message : String(err) }, 'feed offsets not reset');
        });
      }
      for (const { partition, low } of await admin.fetchTopicOffsets(o.topics.alerts.name)) hub.coverFrom(partition, Number(low));
    } finally {
      await admin.disconnect();
    }
  }

  return {
    hub,
    view,
    alertsGroupId,
    scoredGroupId,
    isFollowing: () => alerts.isHealthy() && scored.isHealthy(),
    async start() {
      await rewind();
      await Promise.all([alerts.start(), scored.start()]);
      pruner = setInterval(() => view.prune(now()), PRUNE_INTERVAL_MS);
      pruner.unref();
    },
    async stop(timeoutMs) {
      if (pruner) clearInterval(pruner);
      hub.close();
      await Promise.all([alerts.stop({ timeoutMs }), scored.stop({ timeoutMs })]);
    },
  };
}
