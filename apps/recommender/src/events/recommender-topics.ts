/** The topics the service reads and writes; tests pass uniquely named copies. */
import { TOPICS, type TopicDefinition } from '@tuneline/events';
import type { ModelPublishedTopic } from '@tuneline/model-lifecycle';

export interface RecommenderTopics {
  readonly userEvents: TopicDefinition<string, typeof TOPICS.userEvents.schema>;
  readonly catalogItems: TopicDefinition<string, typeof TOPICS.catalogItems.schema>;
  readonly modelPublished: ModelPublishedTopic;
}

export const RECOMMENDER_TOPICS: RecommenderTopics = { userEvents: TOPICS.userEvents, catalogItems: TOPICS.catalogItems, modelPublished: TOPICS.modelPublished };
