import { defineTopic, dlqTopicName, type TopicDefinition } from './topic-definition';
import {
  catalogItemSchema,
  dlqRecordSchema,
  modelPublishedSchema,
  newsRawSchema,
  sentimentAlertSchema,
  sentimentScoredKey,
  sentimentScoredSchema,
  stageSnapshotKey,
  stageSnapshotSchema,
  supportConversationSchema,
  supportHandoffSchema,
  userEventSchema,
  windowEventSchema,
} from './schemas';

/**
 * The registry: every topic the services exchange, in one place. Keys pick the
 * ordering unit; partitions are the defaults used by `ensureTopics` and match the
 * Strimzi KafkaTopics in deploy/base/kafka/topics.yaml, generated from this registry
 * (tools/deploy/src/generate.ts; a deploy-checks spec fails when they differ).
 */
export const TOPICS = {
  newsRaw: defineTopic({
    name: 'news.raw',
    schema: newsRawSchema,
    partitions: 6,
    description: 'Incoming news items; keyed by item id (no cross-item ordering needed).',
    key: (v) => v.id,
  }),
  sentimentScored: defineTopic({
    name: 'sentiment.scored',
    schema: sentimentScoredSchema,
    partitions: 6,
    description: 'Scored news items, one record per item; keyed by the first entity, else `topic:<topic>`.',
    key: sentimentScoredKey,
  }),
  sentimentWindowEvents: defineTopic({
    name: 'sentiment.window-events',
    schema: windowEventSchema,
    partitions: 6,
    description:
      'Internal repartition topic of the sentiment monitor: one record per (scored item, window key); ' +
      'keyed by the window key (`entity:<name>` / `topic:<name>`) so one key\'s events reach one windowing partition in order.',
    key: (v) => v.key,
  }),
  sentimentWindowState: defineTopic({
    name: 'sentiment.window-state',
    schema: stageSnapshotSchema,
    partitions: 6,
    description:
      'Compacted changelog of the windowing stage: the alert-engine snapshot of each sentiment.window-events partition ' +
      '(written to the same partition number); keyed `<group>/<partition>` (`#<chunk>` for the chunks after the first).',
    config: { 'cleanup.policy': 'compact' },
    key: stageSnapshotKey,
  }),
  sentimentAlerts: defineTopic({
    name: 'sentiment.alerts',
    schema: sentimentAlertSchema,
    partitions: 3,
    description: 'Negative-sentiment surges per entity/topic window; keyed by the window key (`entity:<name>` / `topic:<name>`).',
    key: (v) => v.key,
  }),
  supportConversations: defineTopic({
    name: 'support.conversations',
    schema: supportConversationSchema,
    partitions: 6,
    description: 'Support chat turns and feedback on them; keyed by session id so a session\'s turns, then its feedback, stay ordered.',
    key: (v) => v.sessionId,
  }),
  supportHandoff: defineTopic({
    name: 'support.handoff',
    schema: supportHandoffSchema,
    partitions: 3,
    description: 'Support sessions handed to a human agent (ticket, reason, transcript); keyed by session id.',
    key: (v) => v.sessionId,
  }),
  userEvents: defineTopic({
    name: 'user.events',
    schema: userEventSchema,
    partitions: 12,
    description: 'User interactions; keyed by user id so one user\'s events stay ordered.',
    key: (v) => v.userId,
  }),
  catalogItems: defineTopic({
    name: 'catalog.items',
    schema: catalogItemSchema,
    partitions: 3,
    description:
      'Catalog upserts (the whole item each time); keyed by item id and compacted, so the latest record per id is the item ' +
      'and a new recommender replica replays the catalog from the beginning.',
    config: { 'cleanup.policy': 'compact' },
    key: (v) => v.id,
  }),
  modelPublished: defineTopic({
    name: 'model.published',
    schema: modelPublishedSchema,
    partitions: 1,
    description: 'Published model versions; keyed by model name so versions of a model arrive in order.',
    // Kept forever so a service starting later can replay every published version.
    config: { 'retention.ms': '-1' },
    key: (v) => v.model,
  }),
} as const;

export type RegisteredTopic = (typeof TOPICS)[keyof typeof TOPICS];
export type RegisteredTopicName = RegisteredTopic['name'];

export const ALL_TOPICS: readonly RegisteredTopic[] = Object.values(TOPICS);

export function findTopic(name: string): RegisteredTopic | undefined {
  return ALL_TOPICS.find((t) => t.name === name);
}

export const DLQ_DEFAULT_PARTITIONS = 1;

/** The dead-letter topic of a consumer group, typed so DLQ records can be consumed and replayed. */
export function dlqTopic(groupId: string): TopicDefinition<string, typeof dlqRecordSchema> {
  return defineTopic({
    name: dlqTopicName(groupId),
    schema: dlqRecordSchema,
    partitions: DLQ_DEFAULT_PARTITIONS,
    description: `Dead letters of consumer group ${groupId}; keyed like the original record.`,
    key: (v) => `${v.originalTopic}/${v.originalPartition}/${v.originalOffset}`,
  });
}
