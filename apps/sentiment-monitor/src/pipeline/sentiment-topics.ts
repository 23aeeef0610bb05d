/**
 * The topics the service reads and writes. Production uses the registry's (libs/events
 * TOPICS); the integration specs pass uniquely named copies so runs never share data.
 */
import { TOPICS, type TopicDefinition } from '@tuneline/events';
import type { ModelPublishedTopic } from '@tuneline/model-lifecycle';

/** A topic with the registry topic's schema under any name. */
type Copy<T extends TopicDefinition> = TopicDefinition<string, T['schema']>;

export interface SentimentTopics {
  readonly newsRaw: Copy<typeof TOPICS.newsRaw>;
  readonly scored: Copy<typeof TOPICS.sentimentScored>;
  readonly windowEvents: Copy<typeof TOPICS.sentimentWindowEvents>;
  readonly windowState: Copy<typeof TOPICS.sentimentWindowState>;
  readonly alerts: Copy<typeof TOPICS.sentimentAlerts>;
  readonly modelPublished: ModelPublishedTopic;
}

export const SENTIMENT_TOPICS: SentimentTopics = {
  newsRaw: TOPICS.newsRaw,
  scored: TOPICS.sentimentScored,
  windowEvents: TOPICS.sentimentWindowEvents,
  windowState: TOPICS.sentimentWindowState,
  alerts: TOPICS.sentimentAlerts,
  modelPublished: TOPICS.modelPublished,
};
