/**
 * This replica's read side: an AlertHub fed from sentiment.alerts (StreamAlerts, SSE) and an
 * EntitySentimentView fed from sentiment.scored (GetEntitySentiment), each through its own
 * per-replica consumer group read from the beginning (replica-feed.ts).
 *
 * The hub is in memory, so its feed must start at the beginning on every start: the groups
 * are new on every start (`<service>.<instance>.<start>.<feed>`), so they have no offsets to
 * resume from, whatever SENTIMENT_INSTANCE_ID is and whether the last process was killed.
 * The hub is told it covers each partition from its low watermark, so a resume token from
 * before that (retention deleted it) reads as a gap rather than as "nothing missed". A
 * graceful stop deletes the groups; a killed process's linger, empty, until the broker
 * expires their offsets (offsets.retention.minutes, 7 days by default).
 */
import type { ConsumerRunner, ConsumerTuning, EventsLogger } from '@tuneline/events';
import { AlertHub, EntitySentimentView, type AlertHubOptions, type EntitySentimentOptions } from '@tuneline/sentiment';
import type { Kafka } from 'kafkajs';
import type { SentimentTopics } from '../pipeline/sentiment-topics';
import { createReplicaFeed, newStartId, replicaGroupId } from './replica-feed';
import type { StoredAlert } from './stored-alert';

/** How often the view drops buckets no window sees any more (records can be sparse). */
const PRUNE_INTERVAL_MS = 60_000;

export interface SentimentServingOptions {
  readonly kafka: Kafka;
  readonly service: string;
  readonly instanceId: string;
  /** Tells this start's groups apart from earlier ones of the same instance (default newStartId()). */
  readonly startId?: string;
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
  const startId = o.startId ?? newStartId();
  const alertsGroupId = replicaGroupId(o.service, o.instanceId, startId, 'alerts');
  const scoredGroupId = replicaGroupId(o.service, o.instanceId, startId, 'scored');
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

  /** The hub holds every alert from each partition's low watermark on: the new group starts there. */
  async function coverFromLow(): Promise<void> {
    const admin = o.kafka.admin();
    await admin.connect();
    try {
      for (const { partition, low } of await admin.fetchTopicOffsets(o.topics.alerts.name)) hub.coverFrom(partition, Number(low));
    } finally {
      await admin.disconnect();
    }
  }

  /** This start's groups are of no use to any later one: remove them rather than leave them to expire. */
  async function deleteGroups(): Promise<void> {
    const admin = o.kafka.admin();
    try {
      await admin.connect();
      await admin.deleteGroups([alertsGroupId, scoredGroupId]);
    } catch (err) {
      o.logger.warn({ groups: [alertsGroupId, scoredGroupId], err: err instanceof Error ? err.message : String(err) }, 'feed groups not deleted; the broker expires them');
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  return {
    hub,
    view,
    alertsGroupId,
    scoredGroupId,
    isFollowing: () => alerts.isHealthy() && scored.isHealthy(),
    async start() {
      await coverFromLow();
      await Promise.all([alerts.start(), scored.start()]);
      pruner = setInterval(() => view.prune(now()), PRUNE_INTERVAL_MS);
      pruner.unref();
    },
    async stop(timeoutMs) {
      if (pruner) clearInterval(pruner);
      hub.close();
      await Promise.all([alerts.stop({ timeoutMs }), scored.stop({ timeoutMs })]);
      await deleteGroups();
    },
  };
}
