/**
 * Reads model.published into the ModelsTracker. A consumer group per console process
 * (a broadcast: every console replica shows every event) from the beginning, so the page
 * lists versions published before the console started; the topic is compacted by model, so
 * that replay is one record per model version kept. Undecodable records are skipped: a
 * display must never stall on one bad record.
 */
import type { Kafka } from 'kafkajs';
import { createConsumerRunner, TOPICS, type ConsumerRunner, type ConsumerTuning, type EventsLogger } from '@tuneline/events';
import { publishedOf, type ModelsTracker } from './models-tracker';

export interface ModelsFollowerOptions {
  readonly kafka: Kafka;
  readonly groupId: string;
  readonly tracker: ModelsTracker;
  readonly logger?: EventsLogger;
  readonly consumer?: ConsumerTuning;
}

export function createModelsFollower(options: ModelsFollowerOptions): ConsumerRunner {
  return createConsumerRunner({
    kafka: options.kafka,
    groupId: options.groupId,
    topics: [TOPICS.modelPublished],
    fromBeginning: true,
    verifyTopics: false,
    undecodable: 'skip',
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.consumer ? { consumer: options.consumer } : {}),
    handler: async (event) => {
      options.tracker.publish(publishedOf(event.value));
    },
  });
}
