/**
 * What the cluster's Kafka must hold, from libs/events' registry: a KafkaTopic per registered
 * topic and per dead-letter topic (dlq.<group>) of the services' shared consumer groups.
 * deploy/base/kafka/topics.yaml is generated from this (generate.ts) and a spec checks it.
 */
import { ALL_TOPICS, dlqTopic, type RegisteredTopic } from '@tuneline/events';

/**
 * Consumer groups that dead-letter, per service (apps/<service>: the transactional stages and
 * the shared consumers). Per-replica groups (feeds, model followers) never dead-letter.
 */
export const DLQ_GROUPS = ['sentiment-monitor.score', 'sentiment-monitor.windows', 'recommender.events'] as const;

export interface KafkaTopicObject {
  apiVersion: 'kafka.strimzi.io/v1beta2';
  kind: 'KafkaTopic';
  metadata: { name: string; labels: Record<string, string> };
  spec: { topicName: string; partitions: number; replicas: number; config: Record<string, string | number> };
}

const WEEK_MS = 604_800_000;

/** Kubernetes object names: lower-case, '.' kept, other characters to '-'. */
export function kafkaTopicResourceName(topic: string): string {
  return topic.toLowerCase().replace(/[^a-z0-9-]/g, '-');
}

function topicObject(name: string, partitions: number, config: Readonly<Record<string, string>> | undefined): KafkaTopicObject {
  // A week unless the registry says otherwise; compacted topics keep the latest record per key.
  const merged: Record<string, string | number> = { 'min.insync.replicas': 2 };
  if (config?.['cleanup.policy'] !== 'compact') merged['retention.ms'] = WEEK_MS;
  for (const [key, value] of Object.entries(config ?? {})) merged[key] = /^-?\d+$/.test(value) ? Number(value) : value;
  return {
    apiVersion: 'kafka.strimzi.io/v1beta2',
    kind: 'KafkaTopic',
    metadata: { name: kafkaTopicResourceName(name), labels: { 'strimzi.io/cluster': 'tuneline' } },
    spec: { topicName: name, partitions, replicas: 3, config: merged },
  };
}

export function registryTopics(): readonly RegisteredTopic[] {
  return ALL_TOPICS;
}

export function kafkaTopicObjects(): KafkaTopicObject[] {
  return [
    ...ALL_TOPICS.map((t) => topicObject(t.name, t.partitions, t.config)),
    ...DLQ_GROUPS.map((group) => {
      const dlq = dlqTopic(group);
      return topicObject(dlq.name, dlq.partitions, dlq.config);
    }),
  ];
}
