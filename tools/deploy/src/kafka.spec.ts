/**
 * Kafka objects against libs/events' registry and the services' use of it: a KafkaTopic per
 * registered topic and per dead-letter topic with the registry's partitions and config,
 * auto topic creation off in every overlay, SCRAM + ACLs, and the sentiment monitor's KEDA
 * scaler capped at news.raw's partitions.
 */
import { TOPICS, dlqTopicName } from '@tuneline/events';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the DLQ list must match the group the app really uses
import { groupIdsOf } from '../../../apps/recommender/src/events/consumers';
import { DLQ_GROUPS, registryTopics } from './kafka-plan';
import { OVERLAYS, parseObjects, renderOverlay, type K8sObject } from './render';

interface TopicSpec { topicName: string; partitions: number; replicas: number; config: Record<string, unknown> }
interface Acl { resource: { type: string; name: string; patternType: string }; operations: string[] }

it('the recommender\'s shared (dead-lettering) group is in the DLQ list', () => {
  expect(DLQ_GROUPS).toContain(groupIdsOf('recommender', 'replica', 'start').shared);
});

describe.each(OVERLAYS)('overlay %s', (overlay) => {
  const objects = parseObjects(renderOverlay(overlay));
  const of = (kind: string) => objects.filter((o) => o.kind === kind);
  const topics = new Map(of('KafkaTopic').map((t) => [(t.spec as unknown as TopicSpec).topicName, t.spec as unknown as TopicSpec]));
  const users = new Map(of('KafkaUser').map((u) => [u.metadata.name, ((u.spec as { authorization: { acls: Acl[] } }).authorization.acls)]));

  it.each(registryTopics().map((t) => [t.name, t] as const))('registry topic %s: a KafkaTopic with its partitions and config', (name, topic) => {
    const spec = topics.get(name);
    expect(spec?.partitions).toBe(topic.partitions);
    const config = Object.fromEntries(Object.entries(spec?.config ?? {}).map(([k, v]) => [k, String(v)]));
    for (const [key, value] of Object.entries(topic.config ?? {})) expect([key, config[key]]).toEqual([key, value]);
  });

  it.each(DLQ_GROUPS)('dead-letter topic of %s is declared', (group) => {
    expect(topics.get(dlqTopicName(group))?.partitions).toBeGreaterThan(0);
  });

  it('declares no topic the code does not use', () => {
    const expected = [...registryTopics().map((t) => t.name), ...DLQ_GROUPS.map(dlqTopicName)].sort();
    expect([...topics.keys()].sort()).toEqual(expected);
  });

  it('keeps auto.create.topics.enable false (topics come only from KafkaTopics)', () => {
    const kafka = of('Kafka')[0] as K8sObject;
    expect((kafka.spec as { kafka: { config: Record<string, unknown> } }).kafka.config['auto.create.topics.enable']).toBe(false);
  });

  it('listens only with TLS + SCRAM-SHA-512 on 9093 and authorises with ACLs', () => {
    const kafka = (of('Kafka')[0] as K8sObject).spec as { kafka: { listeners: Array<Record<string, unknown>>; authorization?: { type: string } } };
    expect(kafka.kafka.listeners).toEqual([expect.objectContaining({ name: 'tls', port: 9093, tls: true, authentication: { type: 'scram-sha-512' } })]);
    expect(kafka.kafka.authorization).toEqual({ type: 'simple' });
  });

  it('every ACL names a declared topic; every DLQ is writable by the service that owns its group', () => {
    for (const [user, acls] of users) {
      for (const acl of acls.filter((a) => a.resource.type === 'topic')) expect([user, acl.resource.name, topics.has(acl.resource.name)]).toEqual([user, acl.resource.name, true]);
    }
    for (const group of DLQ_GROUPS) {
      const service = group.split('.')[0] as string;
      const writes = (users.get(service) ?? []).some((a) => a.resource.name === dlqTopicName(group) && a.operations.includes('Write'));
      expect([group, writes]).toEqual([group, true]);
    }
  });

  it('gives the sentiment monitor its transactional ids by prefix, and nobody else any', () => {
    for (const [user, acls] of users) {
      const txn = acls.filter((a) => a.resource.type === 'transactionalId');
      expect([user, txn.map((a) => [a.resource.name, a.resource.patternType])]).toEqual([user, user === 'sentiment-monitor' ? [['sentiment-monitor.', 'prefix']] : []]);
    }
  });

  it('caps the sentiment monitor\'s KEDA scaler at news.raw\'s partitions, on the score stage\'s lag', () => {
    const scaled = of('ScaledObject').find((o) => o.metadata.name === 'sentiment-monitor')?.spec as
      { maxReplicaCount: number; triggers: Array<{ type: string; metadata: Record<string, string> }> };
    expect(scaled.maxReplicaCount).toBe(TOPICS.newsRaw.partitions);
    expect(scaled.triggers[0]?.metadata).toMatchObject({ topic: TOPICS.newsRaw.name, consumerGroup: 'sentiment-monitor.score' });
    expect(of('HorizontalPodAutoscaler').map((h) => h.metadata.name)).not.toContain('sentiment-monitor');
  });
});
