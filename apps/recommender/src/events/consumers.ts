/**
 * The service's three Kafka consumers:
 * - `<service>.events`, one group shared by every replica, on user.events and catalog.items
 *   with the group's dead-letter topic: each record is handled once across replicas, so it is
 *   where profiles in a shared store (Redis) are updated and where malformed records of
 *   either topic are dead-lettered (once, whatever the number of replicas). Records must
 *   decode and pass the topic schema; a user event the profile update refuses (e.g. a type
 *   libs/recommend does not know) is dead-lettered with its reason; a store outage is
 *   retried (TransientProcessingError) and, retries spent, dead-lettered too.
 * - `<service>.<instance>.<start>.catalog`, one group per replica start, on catalog.items
 *   from the beginning: the compacted topic's latest record per id is the item, so every
 *   replica's catalog converges to the same items.
 * - `<service>.<instance>.<start>.signals`, one group per replica start, on user.events from
 *   its end: every replica's in-memory signals (co-occurrence, popularity; and the profiles
 *   themselves when they are kept in memory) see every event from start-up on.
 * The per-replica groups are new on every start (as the sentiment monitor's feeds): a group
 * reused across starts would resume from committed offsets instead of replaying the catalog,
 * and a SIGKILLed member would hold its partitions for a session timeout. A graceful stop
 * deletes them; a killed process's linger, empty, until the broker expires their offsets.
 * The per-replica groups have no dead-letter topic (every replica would write the same dead
 * letter, and a per-replica DLQ would outlive its pod): they read a lenient copy of the topic,
 * check the real schema themselves, and count and pass what fails it (`rejected`), or what
 * they could not apply (`failed`, logged).
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import {
  PermanentProcessingError,
  TransientProcessingError,
  createConsumerRunner,
  defineTopic,
  errorMessage,
  type ConsumerRunner,
  type ConsumerTuning,
  type EventsLogger,
  type TopicDefinition,
} from '@tuneline/events';
import type { CatalogItem, Interaction } from '@tuneline/recommend';
import type { Kafka } from 'kafkajs';
import { catalogItemOf } from '../catalog/catalog-file';
import type { EventConsumer, RecommenderMetrics } from '../metrics';
import { interactionOf } from './interaction';
import type { RecommenderTopics } from './recommender-topics';

/** Where consumed records go. */
export interface EventSinks {
  /** Once per event across replicas (shared group); absent when profiles are per replica (then `signals` updates them). */
  readonly profile?: (event: Interaction) => Promise<void>;
  /** On every replica, every event from start-up on. */
  readonly signals: (event: Interaction) => Promise<void>;
  /** On every replica, every catalog record from the beginning. */
  readonly catalog: (item: CatalogItem) => Promise<void>;
}

export interface RecommenderConsumersOptions {
  readonly kafka: Kafka;
  readonly service: string;
  readonly instanceId: string;
  /** Tells this start's groups apart from earlier ones of the same instance (default newStartId()). */
  readonly startId?: string;
  readonly topics: RecommenderTopics;
  readonly sinks: EventSinks;
  readonly metrics: RecommenderMetrics;
  readonly logger: EventsLogger;
  readonly consumer?: ConsumerTuning;
}

export interface RecommenderConsumers {
  readonly shared: ConsumerRunner;
  readonly catalog: ConsumerRunner;
  readonly signals: ConsumerRunner;
  start(): Promise<void>;
  stop(timeoutMs: number): Promise<void>;
  /** Every runner consuming (for the non-required `events` health component). */
  isHealthy(): boolean;
  describe(): string;
}

/** A fresh id per process start: base-36 start time (sorts, and says when) plus random hex. */
export function newStartId(nowMs = Date.now()): string {
  return `${nowMs.toString(36)}-${randomBytes(3).toString('hex')}`;
}

/** Kafka group ids become names in logs and tools: keep to Kafka's characters. */
export function groupIdsOf(service: string, instanceId: string, startId: string): { shared: string; catalog: string; signals: string } {
  for (const [field, value] of Object.entries({ service, instanceId, startId })) {
    if (!/^[A-Za-z0-9._-]{1,100}$/.test(value)) throw new TypeError(`${field}: expected 1-100 of A-Z a-z 0-9 . _ -, got "${value}"`);
  }
  const replica = `${service}.${instanceId}.${startId}`;
  return { shared: `${service}.events`, catalog: `${replica}.catalog`, signals: `${replica}.signals` };
}

/** A store or catalog failure is worth retrying; an event the model side refuses (TypeError/RangeError) never is. */
function processingError(err: unknown, what: string): Error {
  if (err instanceof TypeError || err instanceof RangeError) return new PermanentProcessingError(`${what}: ${err.message}`, { cause: err });
  return new TransientProcessingError(`${what}: ${errorMessage(err)}`, { cause: err });
}

export function createRecommenderConsumers(o: RecommenderConsumersOptions): RecommenderConsumers {
  const ids = groupIdsOf(o.service, o.instanceId, o.startId ?? newStartId());
  const { userEvents, catalogItems } = o.topics;
  const tuning = o.consumer ? { consumer: o.consumer } : {};

  const shared = createConsumerRunner({
    kafka: o.kafka,
    groupId: ids.shared,
    topics: [userEvents, catalogItems],
    fromBeginning: true,
    ordering: 'key',
    logger: o.logger,
    ...tuning,
    metrics: { onDeadLettered: (ref) => o.metrics.deadLettered(ref.topic) },
    handler: async (event) => {
      if (event.topic !== userEvents.name) {
        // Its schema passed (malformed ones were dead-lettered before this); each replica's catalog feed applies it.
        o.metrics.event('shared', event.topic, 'ignored');
        return;
      }
      const interaction = interactionOf(event.value as z.output<typeof userEvents.schema>);
      if (!interaction || !o.sinks.profile) {
        o.metrics.event('shared', event.topic, 'ignored');
        return;
      }
      try {
        await o.sinks.profile(interaction);
      } catch (err) {
        throw processingError(err, `profile update of user ${interaction.userId}`);
      }
      o.metrics.event('shared', event.topic, 'applied');
    },
  });

  const feed = <S extends z.ZodType>(kind: EventConsumer, groupId: string, topic: TopicDefinition<string, S>, fromBeginning: boolean, apply: (value: z.output<S>) => Promise<boolean>) => {
    const lenient = defineTopic({ ...topic, schema: z.unknown(), key: () => '' });
    const reject = (position: object, reason: string) => {
      o.metrics.event(kind, topic.name, 'rejected');
      o.logger.warn({ ...position, reason }, `${kind} feed record skipped`);
    };
    return createConsumerRunner({
      kafka: o.kafka,
      groupId,
      topics: [lenient],
      fromBeginning,
      ordering: 'key',
      verifyTopics: false,
      undecodable: 'skip',
      logger: o.logger,
      ...tuning,
      metrics: { onSkipped: (ref) => reject(ref, 'undecodable') },
      handler: async (event) => {
        const position = { topic: topic.name, partition: event.partition, offset: event.offset };
        const parsed = topic.schema.safeParse(event.value);
        if (!parsed.success) return reject(position, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
        try {
          o.metrics.event(kind, topic.name, (await apply(parsed.data)) ? 'applied' : 'ignored');
        } catch (err) {
          // A feed never throws: its group has no dead-letter topic, and a record this replica cannot apply
          // (e.g. the encoder failed on an item) must not stop the replica's other records.
          o.metrics.event(kind, topic.name, 'failed');
          o.logger.error({ ...position, err: errorMessage(err) }, `${kind} feed record could not be applied; passed`);
        }
      },
    });
  };

  const catalog = feed('catalog', ids.catalog, catalogItems, true, async (value) => (await o.sinks.catalog(catalogItemOf(value)), true));
  const signals = feed('signals', ids.signals, userEvents, false, async (value) => {
    const interaction = interactionOf(value);
    if (!interaction) return false;
    await o.sinks.signals(interaction);
    return true;
  });
  const runners = { shared, catalog, signals };

  return {
    ...runners,
    // The catalog first: events about items it brings should find them.
    start: async () => {
      await catalog.start();
      await Promise.all([shared.start(), signals.start()]);
    },
    stop: async (timeoutMs) => {
      await Promise.all(Object.values(runners).map((r) => r.stop({ timeoutMs })));
      await deleteGroups(o.kafka, [ids.catalog, ids.signals], o.logger);
    },
    isHealthy: () => Object.values(runners).every((r) => r.isHealthy()),
    describe: () => Object.entries(runners).map(([name, r]) => `${name} ${r.state}`).join(', '),
  };
}

/** This start's per-replica groups are of no use to any later start: remove them rather than leave them to expire. */
async function deleteGroups(kafka: Kafka, groups: string[], logger: EventsLogger): Promise<void> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.deleteGroups(groups);
  } catch (err) {
    logger.warn({ groups, err: errorMessage(err) }, 'per-replica groups not deleted; the broker expires them');
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
