import { z } from 'zod';
import { samples } from '../test/support/samples';
import { defineTopic, dlqTopicName, type TopicInput, type TopicValue } from './topic-definition';
import { dlqTopic, findTopic, TOPICS } from './topics';

describe('key extraction', () => {
  it('keys each topic by its ordering entity', () => {
    expect(TOPICS.newsRaw.key(samples.newsRaw())).toBe('news-1');
    expect(TOPICS.sentimentScored.key(samples.sentimentScored())).toBe('Acme Corp');
    expect(TOPICS.sentimentScored.key({ ...samples.sentimentScored(), entities: [] })).toBe('topic:earnings');
    expect(TOPICS.sentimentWindowEvents.key(samples.windowEvent())).toBe('entity:Acme Corp');
    expect(TOPICS.sentimentWindowState.key(samples.stageSnapshot())).toBe('sentiment-monitor.windows/2');
    expect(TOPICS.sentimentWindowState.key({ ...samples.stageSnapshot(), chunk: 1, chunks: 2 })).toBe('sentiment-monitor.windows/2#1');
    expect(TOPICS.sentimentAlerts.key(samples.sentimentAlert())).toBe('entity:Acme Corp');
    expect(TOPICS.supportConversations.key(samples.supportTurn())).toBe('sess-42');
    expect(TOPICS.supportHandoff.key(samples.supportHandoff())).toBe('sess-42');
    expect(TOPICS.userEvents.key(samples.userEvent('u-7', 'i-3'))).toBe('u-7');
    expect(TOPICS.catalogItems.key(samples.catalogItem('m-12'))).toBe('m-12');
    expect(TOPICS.modelPublished.key(samples.modelPublished())).toBe('sentiment-finbert');
  });

  it('keys dead letters by the failed record coordinates', () => {
    const dlq = dlqTopic('sentiment-monitor');
    expect(dlq.name).toBe('dlq.sentiment-monitor');
    expect(
      dlq.key({
        groupId: 'sentiment-monitor',
        originalTopic: 'news.raw',
        originalPartition: 2,
        originalOffset: '41',
        originalTimestamp: '0',
        originalKey: null,
        originalValue: null,
        originalValueBytes: 0,
        originalValueOmitted: false,
        error: { code: 'DECODE_ERROR', message: 'x', name: 'DecodeError' },
        attempts: 1,
        failedAt: '2026-11-28T10:00:00.000Z',
      }),
    ).toBe('news.raw/2/41');
  });
});

describe('registry', () => {
  it('finds topics by name and has sane defaults', () => {
    expect(findTopic('user.events')).toBe(TOPICS.userEvents);
    expect(findTopic('nope')).toBeUndefined();
    expect(TOPICS.userEvents.partitions).toBe(12);
    expect(TOPICS.modelPublished.partitions).toBe(1);
    expect(Object.isFrozen(TOPICS.userEvents)).toBe(true);
  });
});

describe('defineTopic', () => {
  const schema = z.object({ id: z.string() });

  it('rejects bad names, partitions and keys, naming the field', () => {
    expect(() => defineTopic({ name: 'has space', schema, partitions: 1, description: '', key: (v) => v.id })).toThrow(
      new TypeError('name: "has space" is not a legal Kafka topic name ([a-zA-Z0-9._-], 1-249 chars)'),
    );
    expect(() => defineTopic({ name: 'ok', schema, partitions: 0, description: '', key: (v) => v.id })).toThrow(RangeError);
    expect(() => defineTopic({ name: 'ok', schema, partitions: 1.5, description: '', key: (v) => v.id })).toThrow(/partitions/);
  });

  it('rejects group ids that cannot form a DLQ topic name', () => {
    expect(dlqTopicName('recommender')).toBe('dlq.recommender');
    expect(() => dlqTopicName('team/recommender')).toThrow(/groupId/);
    expect(() => dlqTopicName('')).toThrow(TypeError);
  });

  it('types input and output from the schema', () => {
    const withDefault = defineTopic({
      name: 'with.default',
      schema: z.object({ id: z.string(), retries: z.number().default(0) }),
      partitions: 1,
      description: 'test',
      key: (v) => `${v.id}:${v.retries}`,
    });
    const input: TopicInput<typeof withDefault> = { id: 'a' };
    const output: TopicValue<typeof withDefault> = withDefault.schema.parse(input);
    expect(withDefault.key(output)).toBe('a:0');
    // @ts-expect-error retries is required on the consumed (output) side
    const missing: TopicValue<typeof withDefault> = { id: 'a' };
    expect(missing.id).toBe('a');
  });
});
