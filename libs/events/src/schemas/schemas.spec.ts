import { samples } from '../../test/support/samples';
import { ALL_TOPICS, TOPICS } from '../topics';
import type { AnyTopicDefinition } from '../topic-definition';
import { dlqRecordSchema } from './dlq-record';

function omit<T extends object>(value: T, ...keys: Array<keyof T>): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([k]) => !keys.includes(k as keyof T))) as Partial<T>;
}

function accepts(topic: AnyTopicDefinition, value: unknown): boolean {
  return topic.schema.safeParse(value).success;
}

function issuesOf(topic: AnyTopicDefinition, value: unknown): string[] {
  const result = topic.schema.safeParse(value);
  return result.success ? [] : result.error.issues.map((i) => i.path.join('.'));
}

describe('topic schemas', () => {
  it.each([
    ['news.raw', TOPICS.newsRaw, samples.newsRaw()],
    ['sentiment.scored', TOPICS.sentimentScored, samples.sentimentScored()],
    ['sentiment.alerts', TOPICS.sentimentAlerts, samples.sentimentAlert()],
    ['support.conversations', TOPICS.supportConversations, samples.supportTurn()],
    ['user.events', TOPICS.userEvents, samples.userEvent()],
    ['model.published', TOPICS.modelPublished, samples.modelPublished()],
  ])('%s accepts a valid value', (_name, topic, value) => {
    expect(accepts(topic, value)).toBe(true);
  });

  it('covers every registered topic with a sample', () => {
    expect(ALL_TOPICS.map((t) => t.name).sort()).toEqual(
      ['model.published', 'news.raw', 'sentiment.alerts', 'sentiment.scored', 'support.conversations', 'user.events'].sort(),
    );
  });

  it('news.raw: entities optional, text and timestamp required', () => {
    expect(accepts(TOPICS.newsRaw, omit(samples.newsRaw(), 'entities'))).toBe(true);
    expect(issuesOf(TOPICS.newsRaw, { ...samples.newsRaw(), text: '' })).toEqual(['text']);
    expect(issuesOf(TOPICS.newsRaw, { ...samples.newsRaw(), publishedAt: 'yesterday' })).toEqual(['publishedAt']);
  });

  it('sentiment.scored: label must be known and scores a distribution', () => {
    expect(issuesOf(TOPICS.sentimentScored, { ...samples.sentimentScored(), sentiment: 'angry' })).toEqual(['sentiment']);
    const scores = { negative: 0.5, neutral: 0.5, positive: 0.5 };
    expect(issuesOf(TOPICS.sentimentScored, { ...samples.sentimentScored(), scores })).toEqual(['scores']);
    expect(issuesOf(TOPICS.sentimentScored, { ...samples.sentimentScored(), scores: { ...scores, positive: 1.5 } })).toContain(
      'scores.positive',
    );
  });

  it('sentiment.alerts: window must be ordered and shares probabilities', () => {
    const alert = samples.sentimentAlert();
    expect(issuesOf(TOPICS.sentimentAlerts, { ...alert, windowEnd: alert.windowStart })).toEqual(['windowEnd']);
    expect(issuesOf(TOPICS.sentimentAlerts, { ...alert, negativeShare: 1.2 })).toEqual(['negativeShare']);
    expect(issuesOf(TOPICS.sentimentAlerts, { ...alert, surgeRatio: -1 })).toEqual(['surgeRatio']);
  });

  it('support.conversations: role, turn and handoff are checked', () => {
    expect(issuesOf(TOPICS.supportConversations, { ...samples.supportTurn(), role: 'bot' })).toEqual(['role']);
    expect(issuesOf(TOPICS.supportConversations, { ...samples.supportTurn(), turn: 1.5 })).toEqual(['turn']);
    expect(issuesOf(TOPICS.supportConversations, omit(samples.supportTurn(), 'handoff'))).toEqual(['handoff']);
    const unclassified = omit(samples.supportTurn(), 'intent', 'confidence');
    expect(accepts(TOPICS.supportConversations, { ...unclassified, role: 'assistant' })).toBe(true);
  });

  it('user.events: only known interaction types', () => {
    for (const type of ['click', 'like', 'skip', 'purchase', 'view']) {
      expect(accepts(TOPICS.userEvents, { ...samples.userEvent(), type })).toBe(true);
    }
    expect(issuesOf(TOPICS.userEvents, { ...samples.userEvent(), type: 'hover' })).toEqual(['type']);
    expect(issuesOf(TOPICS.userEvents, { ...samples.userEvent(), userId: '' })).toEqual(['userId']);
  });

  it('model.published: sha256, safe names and numeric metrics', () => {
    expect(issuesOf(TOPICS.modelPublished, { ...samples.modelPublished(), sha256: 'ABC' })).toEqual(['sha256']);
    expect(issuesOf(TOPICS.modelPublished, { ...samples.modelPublished(), version: '../etc' })).toEqual(['version']);
    expect(issuesOf(TOPICS.modelPublished, { ...samples.modelPublished(), metrics: { accuracy: 'high' } })).toEqual([
      'metrics.accuracy',
    ]);
  });

  it('model.published: optional uri (file, http, https) and tokenizerSha256', () => {
    const base = samples.modelPublished();
    for (const uri of ['file:///models/fin/3', 'https://models.example/fin/3/', 'http://store:8080/fin/3']) {
      expect(accepts(TOPICS.modelPublished, { ...base, uri, tokenizerSha256: 'b'.repeat(64) })).toBe(true);
    }
    expect(issuesOf(TOPICS.modelPublished, { ...base, uri: 's3://bucket/fin/3' })).toEqual(['uri']);
    expect(issuesOf(TOPICS.modelPublished, { ...base, uri: 'not a url' })).toEqual(['uri']);
    expect(issuesOf(TOPICS.modelPublished, { ...base, tokenizerSha256: 'xyz' })).toEqual(['tokenizerSha256']);
  });

  it('drops unknown fields so newer producers do not break older consumers', () => {
    const parsed = TOPICS.userEvents.schema.parse({ ...samples.userEvent(), sessionId: 'new-field' });
    expect(parsed).toEqual(samples.userEvent());
  });

  it('dlq records: offsets are digit strings, attempts positive', () => {
    const record = {
      groupId: 'g',
      originalTopic: 't',
      originalPartition: 0,
      originalOffset: '12',
      originalTimestamp: '1',
      originalKey: null,
      originalValue: { encoding: 'utf8', data: '{' },
      originalValueBytes: 1,
      originalValueOmitted: false,
      error: { code: 'DECODE_ERROR', message: 'x', name: 'DecodeError' },
      attempts: 1,
      failedAt: '2026-11-28T10:00:00.000Z',
    };
    expect(dlqRecordSchema.safeParse(record).success).toBe(true);
    expect(dlqRecordSchema.safeParse({ ...record, originalOffset: '-1' }).success).toBe(false);
    expect(dlqRecordSchema.safeParse({ ...record, attempts: 0 }).success).toBe(false);
  });
});
