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
    ['sentiment.window-events', TOPICS.sentimentWindowEvents, samples.windowEvent()],
    ['sentiment.window-state', TOPICS.sentimentWindowState, samples.stageSnapshot()],
    ['support.conversations', TOPICS.supportConversations, samples.supportTurn()],
    ['support.conversations (full turn)', TOPICS.supportConversations, samples.supportTurnFull()],
    ['support.conversations (feedback)', TOPICS.supportConversations, samples.supportFeedback()],
    ['support.handoff', TOPICS.supportHandoff, samples.supportHandoff()],
    ['user.events', TOPICS.userEvents, samples.userEvent()],
    ['user.events (rate)', TOPICS.userEvents, { ...samples.userEvent(), type: 'rate', value: 4.5 }],
    ['catalog.items', TOPICS.catalogItems, samples.catalogItem()],
    ['model.published', TOPICS.modelPublished, samples.modelPublished()],
  ])('%s accepts a valid value', (_name, topic, value) => {
    expect(accepts(topic, value)).toBe(true);
  });

  it('covers every registered topic with a sample', () => {
    expect(ALL_TOPICS.map((t) => t.name).sort()).toEqual(
      [
        'model.published',
        'news.raw',
        'sentiment.alerts',
        'sentiment.scored',
        'sentiment.window-events',
        'sentiment.window-state',
        'support.conversations',
        'support.handoff',
        'user.events',
        'catalog.items',
      ].sort(),
    );
  });

  it('news.raw: snake_case keys, tags optional, title or body required, bounded', () => {
    const item = samples.newsRaw();
    expect(accepts(TOPICS.newsRaw, omit(item, 'entities', 'tickers'))).toBe(true);
    expect(accepts(TOPICS.newsRaw, { ...item, title: '' })).toBe(true);
    expect(accepts(TOPICS.newsRaw, { ...item, body: '' })).toBe(true);
    expect(issuesOf(TOPICS.newsRaw, { ...item, title: ' ', body: '' })).toEqual(['title']);
    expect(issuesOf(TOPICS.newsRaw, omit(item, 'title'))).toEqual(['title']);
    expect(issuesOf(TOPICS.newsRaw, { ...item, title: 'x'.repeat(1_001) })).toEqual(['title']);
    expect(accepts(TOPICS.newsRaw, { ...item, body: 'x'.repeat(20_000) })).toBe(true);
    expect(issuesOf(TOPICS.newsRaw, { ...item, body: 'x'.repeat(20_001) })).toEqual(['body']);
    expect(issuesOf(TOPICS.newsRaw, { ...item, id: '' })).toEqual(['id']);
    expect(issuesOf(TOPICS.newsRaw, { ...item, id: 'x'.repeat(201) })).toEqual(['id']);
  });

  it('news.raw: published_at is ISO-8601 with Z or an offset; camelCase is not read', () => {
    const item = samples.newsRaw();
    expect(accepts(TOPICS.newsRaw, { ...item, published_at: '2026-11-28T10:00:00Z' })).toBe(true);
    expect(accepts(TOPICS.newsRaw, { ...item, published_at: '2026-11-28T10:00:00.123-05:30' })).toBe(true);
    expect(issuesOf(TOPICS.newsRaw, { ...item, published_at: '2026-11-28T10:00:00' })).toEqual(['published_at']);
    expect(issuesOf(TOPICS.newsRaw, { ...item, published_at: 'yesterday' })).toEqual(['published_at']);
    expect(issuesOf(TOPICS.newsRaw, { ...omit(item, 'published_at'), publishedAt: item.published_at })).toEqual(['published_at']);
  });

  it('news.raw: language tag and tag lists are checked', () => {
    const item = samples.newsRaw();
    for (const language of ['en', 'en-GB', 'zh-Hant-TW']) expect(accepts(TOPICS.newsRaw, { ...item, language })).toBe(true);
    for (const language of ['e', 'english!', 'en_GB', 'x'.repeat(36)]) {
      expect(issuesOf(TOPICS.newsRaw, { ...item, language })).toEqual(['language']);
    }
    expect(issuesOf(TOPICS.newsRaw, { ...item, tickers: ['TOOLONGTICKER12345'] })).toEqual(['tickers.0']);
    expect(issuesOf(TOPICS.newsRaw, { ...item, tickers: Array.from({ length: 51 }, (_, i) => `T${i}`) })).toEqual(['tickers']);
    expect(issuesOf(TOPICS.newsRaw, { ...item, entities: [''] })).toEqual(['entities.0']);
  });

  it('sentiment.scored: label must be known and scores a distribution', () => {
    expect(issuesOf(TOPICS.sentimentScored, { ...samples.sentimentScored(), sentiment: 'angry' })).toEqual(['sentiment']);
    const scores = { negative: 0.5, neutral: 0.5, positive: 0.5 };
    expect(issuesOf(TOPICS.sentimentScored, { ...samples.sentimentScored(), scores })).toEqual(['scores']);
    expect(issuesOf(TOPICS.sentimentScored, { ...samples.sentimentScored(), scores: { ...scores, positive: 1.5 } })).toContain(
      'scores.positive',
    );
  });

  it('sentiment.scored: topic method, topic scores and the signed score are checked', () => {
    const scored = samples.sentimentScored();
    expect(accepts(TOPICS.sentimentScored, { ...scored, entities: [], topicMethod: 'classifier' })).toBe(true);
    expect(issuesOf(TOPICS.sentimentScored, { ...scored, topicMethod: 'keywords' })).toEqual(['topicMethod']);
    expect(issuesOf(TOPICS.sentimentScored, { ...scored, topicScores: [{ label: 'x', score: 2 }] })).toEqual(['topicScores.0.score']);
    expect(issuesOf(TOPICS.sentimentScored, { ...scored, score: -1.5 })).toEqual(['score']);
    expect(issuesOf(TOPICS.sentimentScored, omit(scored, 'scoredAt'))).toEqual(['scoredAt']);
  });

  it('sentiment.window-events: key is `<kind>:<name>`, event time in epoch ms', () => {
    const event = samples.windowEvent();
    expect(accepts(TOPICS.sentimentWindowEvents, { ...event, key: 'topic:earnings', kind: 'topic', name: 'earnings' })).toBe(true);
    expect(issuesOf(TOPICS.sentimentWindowEvents, { ...event, key: 'entity:Other' })).toEqual(['key']);
    expect(issuesOf(TOPICS.sentimentWindowEvents, { ...event, key: 'Acme Corp' })).toEqual(['key']);
    expect(issuesOf(TOPICS.sentimentWindowEvents, { ...event, eventTimeMs: '2026-11-28T09:00:00Z' })).toEqual(['eventTimeMs']);
    expect(issuesOf(TOPICS.sentimentWindowEvents, { ...event, eventTimeMs: 1.5 })).toEqual(['eventTimeMs']);
    expect(issuesOf(TOPICS.sentimentWindowEvents, { ...event, title: 'x'.repeat(301) })).toEqual(['title']);
  });

  it('sentiment.window-events: source (news.raw partition) is optional for older records, which read as ""', () => {
    const event = samples.windowEvent();
    expect(TOPICS.sentimentWindowEvents.schema.parse(event).source).toBe('2');
    expect(TOPICS.sentimentWindowEvents.schema.parse(omit(event, 'source')).source).toBe('');
    expect(issuesOf(TOPICS.sentimentWindowEvents, { ...event, source: 3 })).toEqual(['source']);
    expect(issuesOf(TOPICS.sentimentWindowEvents, { ...event, source: 'x'.repeat(201) })).toEqual(['source']);
  });

  it('sentiment.window-state: chunk below chunks, offsets are digit strings, data unbounded by the schema', () => {
    const snap = samples.stageSnapshot();
    expect(accepts(TOPICS.sentimentWindowState, { ...snap, data: 'x'.repeat(2_000_000) })).toBe(true);
    expect(issuesOf(TOPICS.sentimentWindowState, { ...snap, chunk: 1, chunks: 1 })).toEqual(['chunk']);
    expect(issuesOf(TOPICS.sentimentWindowState, { ...snap, nextOffset: '-1' })).toEqual(['nextOffset']);
    expect(issuesOf(TOPICS.sentimentWindowState, { ...snap, v: 2 })).toEqual(['v']);
  });

  it('sentiment.alerts: window ordered, counts consistent, shares probabilities, key matches kind and name', () => {
    const alert = samples.sentimentAlert();
    expect(issuesOf(TOPICS.sentimentAlerts, { ...alert, windowEnd: alert.windowStart })).toEqual(['windowEnd']);
    expect(issuesOf(TOPICS.sentimentAlerts, { ...alert, negativeShare: 1.2 })).toEqual(['negativeShare']);
    expect(issuesOf(TOPICS.sentimentAlerts, { ...alert, surgeRatio: -1 })).toEqual(['surgeRatio']);
    expect(issuesOf(TOPICS.sentimentAlerts, { ...alert, negativeCount: 21 })).toEqual(['negativeCount']);
    expect(issuesOf(TOPICS.sentimentAlerts, { ...alert, key: 'topic:Acme Corp' })).toEqual(['key']);
    expect(issuesOf(TOPICS.sentimentAlerts, { ...alert, severity: 'info' })).toEqual(['severity']);
    expect(issuesOf(TOPICS.sentimentAlerts, { ...alert, rule: 'volume' })).toEqual(['rule']);
    const six = Array.from({ length: 6 }, (_, i) => ({ id: `n${i}`, title: 't', negativeProb: 0.9 }));
    expect(issuesOf(TOPICS.sentimentAlerts, { ...alert, topHeadlines: six })).toEqual(['topHeadlines']);
    expect(issuesOf(TOPICS.sentimentAlerts, omit(alert, 'raisedAt'))).toEqual(['raisedAt']);
  });

  it('support.conversations: role, turn and handoff are checked', () => {
    expect(issuesOf(TOPICS.supportConversations, { ...samples.supportTurn(), role: 'bot' })).toEqual(['role']);
    expect(issuesOf(TOPICS.supportConversations, { ...samples.supportTurn(), turn: 1.5 })).toEqual(['turn']);
    expect(issuesOf(TOPICS.supportConversations, omit(samples.supportTurn(), 'handoff'))).toEqual(['handoff']);
    const unclassified = omit(samples.supportTurn(), 'intent', 'confidence');
    expect(accepts(TOPICS.supportConversations, { ...unclassified, role: 'assistant' })).toBe(true);
  });

  it('support.conversations: a record written before `kind` existed still parses, as a turn', () => {
    const legacy = omit(samples.supportTurn(), 'kind');
    expect(TOPICS.supportConversations.schema.parse(legacy)).toEqual(samples.supportTurn());
  });

  it('support.conversations: the added turn fields are optional but checked when present', () => {
    const full = samples.supportTurnFull();
    expect(issuesOf(TOPICS.supportConversations, { ...full, answerKind: 'guess' })).toEqual(['answerKind']);
    expect(issuesOf(TOPICS.supportConversations, { ...full, passages: [{ passageId: 'p', score: 1.5 }] })).toEqual(['passages.0.score']);
    expect(issuesOf(TOPICS.supportConversations, { ...full, passages: [{ score: 0.5 }] })).toEqual(['passages.0.passageId']);
    expect(issuesOf(TOPICS.supportConversations, { ...full, model: { name: 'm' } })).toEqual(['model.version']);
    expect(issuesOf(TOPICS.supportConversations, { ...full, latencyMs: -1 })).toEqual(['latencyMs']);
    expect(issuesOf(TOPICS.supportConversations, { ...full, requestId: '' })).toEqual(['requestId']);
    expect(issuesOf(TOPICS.supportConversations, { ...full, sentiment: 'unknown' })).toEqual(['sentiment']);
    expect(accepts(TOPICS.supportConversations, { ...full, sentiment: 'timeout' })).toBe(true);
  });

  it('support.conversations: feedback needs request id, verdict and time; turns fields do not apply', () => {
    const feedback = samples.supportFeedback();
    expect(accepts(TOPICS.supportConversations, omit(feedback, 'correctIntent', 'comment'))).toBe(true);
    expect(issuesOf(TOPICS.supportConversations, omit(feedback, 'requestId'))).toEqual(['requestId']);
    expect(issuesOf(TOPICS.supportConversations, { ...feedback, helpful: 'yes' })).toEqual(['helpful']);
    expect(issuesOf(TOPICS.supportConversations, omit(feedback, 'at'))).toEqual(['at']);
    expect(issuesOf(TOPICS.supportConversations, { ...feedback, comment: 'x'.repeat(2_001) })).toEqual(['comment']);
    expect(issuesOf(TOPICS.supportConversations, { ...feedback, kind: 'rating' })).toEqual(['kind']);
    expect(TOPICS.supportConversations.key(TOPICS.supportConversations.schema.parse(feedback))).toBe('sess-42');
  });

  it('support.handoff: ticket, reason, transcript and time are required; roles and times checked', () => {
    const handoff = samples.supportHandoff();
    expect(accepts(TOPICS.supportHandoff, omit(handoff, 'slots', 'lastIntent', 'language'))).toBe(true);
    expect(accepts(TOPICS.supportHandoff, { ...handoff, transcript: [] })).toBe(true);
    expect(issuesOf(TOPICS.supportHandoff, omit(handoff, 'ticketId'))).toEqual(['ticketId']);
    expect(issuesOf(TOPICS.supportHandoff, { ...handoff, reason: '' })).toEqual(['reason']);
    const [first] = handoff.transcript;
    expect(issuesOf(TOPICS.supportHandoff, { ...handoff, transcript: [{ ...first, role: 'bot' }] })).toEqual(['transcript.0.role']);
    expect(issuesOf(TOPICS.supportHandoff, { ...handoff, transcript: [{ ...first, at: 1700000000000 }] })).toEqual(['transcript.0.at']);
    expect(issuesOf(TOPICS.supportHandoff, { ...handoff, slots: { amount: 50 } })).toEqual(['slots.amount']);
    expect(TOPICS.supportHandoff.key(handoff)).toBe('sess-42');
  });

  it('user.events: only known interaction types', () => {
    for (const type of ['click', 'like', 'skip', 'purchase', 'view']) {
      expect(accepts(TOPICS.userEvents, { ...samples.userEvent(), type })).toBe(true);
    }
    expect(issuesOf(TOPICS.userEvents, { ...samples.userEvent(), type: 'hover' })).toEqual(['type']);
    expect(issuesOf(TOPICS.userEvents, { ...samples.userEvent(), userId: '' })).toEqual(['userId']);
  });

  it('user.events: a rate carries a value in [0.5, 5]; no other type carries one', () => {
    const rate = { ...samples.userEvent(), type: 'rate' };
    for (const value of [0.5, 3, 5]) expect(accepts(TOPICS.userEvents, { ...rate, value })).toBe(true);
    expect(issuesOf(TOPICS.userEvents, rate)).toEqual(['value']);
    expect(issuesOf(TOPICS.userEvents, { ...rate, value: 0 })).toEqual(['value']);
    expect(issuesOf(TOPICS.userEvents, { ...rate, value: 5.5 })).toEqual(['value']);
    expect(issuesOf(TOPICS.userEvents, { ...rate, value: '4' })).toEqual(['value']);
    expect(issuesOf(TOPICS.userEvents, { ...samples.userEvent(), value: 4 })).toEqual(['value']);
  });

  it('catalog.items: id and title required, the rest optional and bounded', () => {
    const item = samples.catalogItem();
    expect(accepts(TOPICS.catalogItems, { id: 'm-2', title: 'Plain' })).toBe(true);
    expect(issuesOf(TOPICS.catalogItems, omit(item, 'title'))).toEqual(['title']);
    expect(issuesOf(TOPICS.catalogItems, { ...item, title: '  ' })).toEqual(['title']);
    expect(issuesOf(TOPICS.catalogItems, { ...item, id: '' })).toEqual(['id']);
    expect(issuesOf(TOPICS.catalogItems, { ...item, tags: [''] })).toEqual(['tags.0']);
    expect(issuesOf(TOPICS.catalogItems, { ...item, genres: Array.from({ length: 21 }, (_, i) => `g${i}`) })).toEqual(['genres']);
    expect(issuesOf(TOPICS.catalogItems, { ...item, description: 'x'.repeat(10_001) })).toEqual(['description']);
    expect(issuesOf(TOPICS.catalogItems, { ...item, createdAt: 1700000000000 })).toEqual(['createdAt']);
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
