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
 * Start order: the catalog feed first, reading catalog.items up to the high-water marks taken
 * at start (catalog-catch-up.ts), then the shared group and the signals feed, so events at
 * start find their items (after RECOMMEND_CATALOG_CATCHUP_MS they start anyway, logged).
 * Every profile update carries its record's position (topic:partition, offset): the store
 * applies a redelivered record once. An event dated before 1970 or more than
 * RECOMMEND_MAX_FUTURE_MS ahead is dead-lettered by the shared group (rejected by the feed).
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
  type RetryPolicy,
  type TopicDefinition,
} from '@tuneline/events';
import { checkEventTime, type CatalogItem, type EventPosition, type Interaction } from '@tuneline/recommend';
import type { Kafka } from 'kafkajs';
import { catalogItemOf } from '../catalog/catalog-file';
import type { EventConsumer, RecommenderMetrics } from '../metrics';
import { CatchUp, fetchPartitionEnds } from './catalog-catch-up';
import { interactionOf } from './interaction';
import type { RecommenderTopics } from './recommender-topics';

/** Where consumed records go. */
export interface EventSinks {
  /** Once per event across replicas (shared group); absent when profiles are per replica (then `signals` updates them). */
  readonly profile?: (event: Interaction, position: EventPosition) => Promise<void>;
  /** On every replica, every event from start-up on. */
  readonly signals: (event: Interaction, position: EventPosition) => Promise<void>;
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
  /** Latest accepted event time after `now()` (RECOMMEND_MAX_FUTURE_MS). */
  readonly maxFutureMs: number;
  /** Longest wait for the catalog feed to reach catalog.items' end before user.events (RECOMMEND_CATALOG_CATCHUP_MS; 0: none). */
  readonly catalogCatchUpMs: number;
  readonly now?: () => number;
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

/** Every this many failed attempts of one record, a warning (about every 1.5 min at the 10-s cap). */
export const PROFILE_RETRY_WARN_EVERY = 10;

/**
 * The shared group retries a failed profile update until the store answers (backoff up to
 * 10 s), never dead-lettering a valid event for an outage: the default 5 attempts (~3 s) turned
 * a 30-s Redis failover into lost profile updates. Stop and rebalance still wake a waiting
 * retry and leave the record uncommitted; data faults are permanent and dead-lettered at once.
 */
export const PROFILE_UPDATE_RETRY: Readonly<Partial<RetryPolicy>> = Object.freeze({ maxAttempts: Number.MAX_SAFE_INTEGER, maxDelayMs: 10_000 });

/**
 * A store or catalog outage is worth retrying; an event the model side refuses
 * (TypeError/RangeError) or an error that says it is not retriable (the guarded store's
 * INTERNAL for a Redis reply such as WRONGTYPE) never is: retried without limit, it would
 * hold its partition's commits forever.
 */
export function processingError(err: unknown, what: string): Error {
  if (err instanceof TypeError || err instanceof RangeError) return new PermanentProcessingError(`${what}: ${err.message}`, { cause: err });
  if ((err as { retriable?: unknown } | null)?.retriable === false) return new PermanentProcessingError(`${what}: ${errorMessage(err)}`, { cause: err });
  return new TransientProcessingError(`${what}: ${errorMessage(err)}`, { cause: err });
}

/** Why an event's time is refused (before 1970, or past the future limit), or undefined. */
function timeProblem(ts: number, now: number, maxFutureMs: number): string | undefined {
  try {
    checkEventTime(ts, now, maxFutureMs, 'ts');
    return undefined;
  } catch (err) {
    return `${errorMessage(err)} (RECOMMEND_MAX_FUTURE_MS)`;
  }
}

export function createRecommenderConsumers(o: RecommenderConsumersOptions): RecommenderConsumers {
  const ids = groupIdsOf(o.service, o.instanceId, o.startId ?? newStartId());
  const { userEvents, catalogItems } = o.topics;
  const tuning = o.consumer ? { consumer: o.consumer } : {};
  const now = o.now ?? Date.now;
  const positionOf = (topic: string, partition: number, offset: string): EventPosition => ({ partition: `${topic}:${partition}`, offset });
  let catchUp: CatchUp | undefined;
  const stopping = new AbortController();

  const shared = createConsumerRunner({
    kafka: o.kafka,
    groupId: ids.shared,
    topics: [userEvents, catalogItems],
    fromBeginning: true,
    ordering: 'key',
    logger: o.logger,
    ...tuning,
    retry: PROFILE_UPDATE_RETRY,
    metrics: {
      onDeadLettered: (ref) => o.metrics.deadLettered(ref.topic),
      // Retried without limit: say so now and then, or a long outage is silent (the retries log at debug).
      onFailed: (f) => {
        if (f.willRetry && f.attempt % PROFILE_RETRY_WARN_EVERY === 0) {
          o.logger.warn({ topic: f.topic, partition: f.partition, offset: f.offset, attempt: f.attempt, code: f.code, err: errorMessage(f.error) }, 'profile update still failing; retrying (partition commits wait)');
        }
      },
    },
    handler: async (event) => {
      if (event.topic !== userEvents.name) {
        // Its schema passed (malformed ones were dead-lettered before this); each replica's catalog feed applies it.
        o.metrics.event('shared', event.topic, 'ignored');
        return;
      }
      const interaction = interactionOf(event.value as z.output<typeof userEvents.schema>);
      // Refused before the sink check: in memory mode too, as documented, such a record is dead-lettered.
      const refused = interaction && timeProblem(interaction.ts, now(), o.maxFutureMs);
      if (refused) throw new PermanentProcessingError(`user.events record refused: ${refused}`);
      if (!interaction || !o.sinks.profile) {
        o.metrics.event('shared', event.topic, 'ignored');
        return;
      }
      try {
        await o.sinks.profile(interaction, positionOf(event.topic, event.partition, event.offset));
      } catch (err) {
        throw processingError(err, `profile update of user ${interaction.userId}`);
      }
      o.metrics.event('shared', event.topic, 'applied');
    },
  });

  type Apply<S extends z.ZodType> = (value: z.output<S>, position: EventPosition) => Promise<boolean | string>;
  /** `apply` answers whether it applied the record, or why it refuses it; `onRecord` sees every record handled or skipped. */
  const feed = <S extends z.ZodType>(kind: EventConsumer, groupId: string, topic: TopicDefinition<string, S>, fromBeginning: boolean, apply: Apply<S>,
    onRecord: (partition: number, offset: string) => void = () => undefined) => {
    const lenient = defineTopic({ ...topic, schema: z.unknown(), key: () => '' });
    const reject = (position: object, reason: string) => {
      o.metrics.event(kind, topic.name, 'rejected');
      o.logger.warn({ ...position, reason }, `${kind} feed record skipped`);
    };
    const handle = async (event: { readonly partition: number; readonly offset: string; readonly value: unknown }): Promise<void> => {
      const position = { topic: topic.name, partition: event.partition, offset: event.offset };
      const parsed = topic.schema.safeParse(event.value);
      if (!parsed.success) return reject(position, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      try {
        const outcome = await apply(parsed.data, positionOf(topic.name, event.partition, event.offset));
        if (typeof outcome === 'string') return reject(position, outcome);
        o.metrics.event(kind, topic.name, outcome ? 'applied' : 'ignored');
      } catch (err) {
        // A feed never throws: its group has no dead-letter topic, and a record this replica cannot apply
        // (e.g. the encoder failed on an item) must not stop the replica's other records.
        o.metrics.event(kind, topic.name, 'failed');
        o.logger.error({ ...position, err: errorMessage(err) }, `${kind} feed record could not be applied; passed`);
      }
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
      metrics: { onSkipped: (ref) => (reject(ref, 'undecodable'), onRecord(ref.partition, ref.offset)) },
      handler: async (event) => {
        await handle(event);
        onRecord(event.partition, event.offset);
      },
    });
  };

  const catalog = feed('catalog', ids.catalog, catalogItems, true, async (value) => (await o.sinks.catalog(catalogItemOf(value)), true),
    (partition, offset) => catchUp?.observe(partition, offset));
  const signals = feed('signals', ids.signals, userEvents, false, async (value, position) => {
    const interaction = interactionOf(value);
    if (!interaction) return false;
    const refused = timeProblem(interaction.ts, now(), o.maxFutureMs);
    if (refused) return refused;
    await o.sinks.signals(interaction, position);
    return true;
  });

  /** Starts the catalog feed and waits (bounded) until it has read catalog.items up to the marks taken now. */
  const catalogFirst = async () => {
    if (o.catalogCatchUpMs > 0) {
      catchUp = await fetchPartitionEnds(o.kafka, catalogItems.name).then(
        (ends) => new CatchUp(ends),
        (err: unknown) => (o.logger.warn({ topic: catalogItems.name, err: errorMessage(err) }, 'catalog.items end not known; user.events starts without waiting for the catalog'), undefined),
      );
    }
    await catalog.start();
    if (!catchUp) return;
    const started = Date.now();
    if (await catchUp.wait(o.catalogCatchUpMs, stopping.signal)) o.logger.info({ topic: catalogItems.name, ms: Date.now() - started }, 'catalog feed reached the end of catalog.items; consuming user.events');
    else if (!stopping.signal.aborted) o.logger.warn({ topic: catalogItems.name, waitedMs: o.catalogCatchUpMs, remaining: catchUp.remaining() }, 'catalog feed not at the end of catalog.items in time; consuming user.events anyway');
  };
  const runners = { shared, catalog, signals };

  return {
    ...runners,
    // The catalog first, to the end of the topic: events about items it brings should find them.
    start: async () => {
      await catalogFirst();
      if (stopping.signal.aborted) return;
      await Promise.all([shared.start(), signals.start()]);
    },
    stop: async (timeoutMs) => {
      stopping.abort();
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
