/**
 * Reads model.published into the ModelsTracker. A consumer group per console process
 * (a broadcast: every console replica shows every event) from the beginning, so the page
 * lists versions published before the console started (the topic keeps every record). Records
 * that do not decode, or decode but fail the event schema, are skipped with a warning: a
 * display must never stall on one bad record. Read through a lenient copy of the topic (as
 * libs/model-lifecycle does, ADR 0012): with the strict schema a bad record went to
 * `dlq.<group>`, which a per-process group never has, so the write failed and the partition
 * was fetched again forever.
 */
import type { Kafka } from 'kafkajs';
import { z } from 'zod';
import { createConsumerRunner, defineTopic, modelPublishedSchema, TOPICS, type ConsumerRunner, type ConsumerTuning, type EventsLogger } from '@tuneline/events';
import { publishedOf, type ModelsTracker } from './models-tracker';

export interface ModelsFollowerOptions {
  readonly kafka: Kafka;
  readonly groupId: string;
  readonly tracker: ModelsTracker;
  readonly logger?: EventsLogger;
  readonly consumer?: ConsumerTuning;
}

/** Applies one model.published value to the tracker; false (and a warning) for one that is not a valid event. */
export function applyModelPublished(tracker: ModelsTracker, value: unknown, logger?: EventsLogger, where: object = {}): boolean {
  const parsed = modelPublishedSchema.safeParse(value);
  if (!parsed.success) {
    logger?.warn({ ...where, reason: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') }, 'model.published record skipped');
    return false;
  }
  tracker.publish(publishedOf(parsed.data));
  return true;
}

export function createModelsFollower(options: ModelsFollowerOptions): ConsumerRunner {
  const lenient = defineTopic({ ...TOPICS.modelPublished, schema: z.unknown(), key: () => '' });
  return createConsumerRunner({
    kafka: options.kafka,
    groupId: options.groupId,
    topics: [lenient],
    fromBeginning: true,
    verifyTopics: false,
    undecodable: 'skip',
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.consumer ? { consumer: options.consumer } : {}),
    handler: async (event) => {
      applyModelPublished(options.tracker, event.value, options.logger, { topic: event.topic, partition: event.partition, offset: event.offset });
    },
  });
}
