import { EntityMatcher } from './entity-matcher';
import { newsItemFromRecord, type NewsItem } from './news-item';
import { scoreItems, sentimentColumns, type ScoredItem, type SentimentModelOutput } from './score-items';
import { createClassifierTopicScorer } from './topic-classifier';
import type { TopicScorer } from './topic-scorer';
import { windowEventsOf } from './window-events';

const matcher = new EntityMatcher([{ name: 'Northwind Bank', aliases: ['Northwind'], tickers: ['NWB'] }, { name: 'Acme Robotics', tickers: ['ACMR'] }]);
// A stand-in similarity scorer: the first embedding component decides the topic.
const topics: TopicScorer = {
  method: 'embedding-similarity',
  score: (e) => {
    if (!e) throw new TypeError('embedding: missing');
    return (e[0] as number) > 0.5 ? [{ label: 'litigation', score: 0.8 }, { label: 'other', score: 0.2 }] : [{ label: 'other', score: 1 }];
  },
};

function item(id: string, title: string, body = '', extra: { tickers?: string[]; entities?: string[] } = {}): NewsItem {
  return newsItemFromRecord({ id, source: 'wire', published_at: '2025-01-06T09:30:00Z', title, body, language: 'en', ...extra });
}

const items = [
  item('a', 'Northwind sued by investors', '', { tickers: ['ACMR'] }),
  item('b', '', 'Markets were calm today as traders waited for data.'),
];
// Labels in a non-alphabetical order: rows must be read by name.
const output: SentimentModelOutput = {
  model: 'financial-sentiment',
  version: '3',
  labels: ['positive', 'negative', 'neutral'],
  rows: [new Float32Array([0.05, 0.9, 0.05]), new Float32Array([0.2, 0.1, 0.7])],
  embeddings: [new Float32Array([1, 0]), new Float32Array([0, 1])],
};

describe('scoreItems', () => {
  it('maps probability columns by label name and fills every field', () => {
    const [a, b] = scoreItems(items, output, { matcher, topics });
    expect(a).toEqual({
      id: 'a', source: 'wire', title: 'Northwind sued by investors', language: 'en', publishedAt: '2025-01-06T09:30:00.000Z',
      entities: ['Acme Robotics', 'Northwind Bank'], topic: 'litigation',
      topicScores: [{ label: 'litigation', score: 0.8 }, { label: 'other', score: 0.2 }], topicMethod: 'embedding-similarity',
      sentiment: 'negative', scores: { negative: expect.closeTo(0.9, 6), neutral: expect.closeTo(0.05, 6), positive: expect.closeTo(0.05, 6) },
      score: expect.closeTo(-0.85, 6), modelVersion: 'financial-sentiment@3',
    });
    expect(b?.sentiment).toBe('neutral');
    expect(b?.topic).toBe('other');
    expect(b?.entities).toEqual([]);
    expect(b?.title).toBe('Markets were calm today as traders waited for data.');
  });

  it('caps topicScores at five', () => {
    const many: TopicScorer = { method: 'embedding-similarity', score: () => Array.from({ length: 9 }, (_, i) => ({ label: `t${i}`, score: 0.1 })) };
    expect(scoreItems(items, output, { matcher, topics: many })[0]?.topicScores).toHaveLength(5);
  });

  it('feeds the topic model rows to a classifier scorer', () => {
    const topicOutput = { labels: ['earnings', 'litigation'], rows: [new Float32Array([0.1, 0.9]), new Float32Array([0.2, 0.3])] };
    const scored = scoreItems(items, { ...output, embeddings: undefined }, { matcher, topics: createClassifierTopicScorer(), topicOutput });
    expect(scored.map((s) => [s.topic, s.topicMethod])).toEqual([['litigation', 'classifier'], ['other', 'classifier']]);
  });

  it('returns [] for no items', () => {
    expect(scoreItems([], { ...output, rows: [], embeddings: [] }, { matcher, topics })).toEqual([]);
  });

  it.each<[string, Partial<SentimentModelOutput>, RegExp]>([
    ['a model without the three sentiment labels', { labels: ['negative', 'positive', 'angry'] }, /^labels: model financial-sentiment@3 has labels \[negative, positive, angry\]; expected exactly negative, neutral, positive/],
    ['a model with an extra label', { labels: ['negative', 'neutral', 'positive', 'mixed'] }, /expected exactly/],
    ['an embedding model', { labels: undefined }, /^labels: model financial-sentiment@3 has no labels/],
    ['a row count mismatch', { rows: [new Float32Array([0.1, 0.8, 0.1])] }, /^output\.rows: expected 2 \(one per item\), got 1/],
    ['missing embeddings', { embeddings: undefined }, /^output\.embeddings: expected 2 .*withEmbedding/],
    ['logits instead of probabilities', { rows: [new Float32Array([2, -1, 0.5]), new Float32Array([0.2, 0.1, 0.7])] }, /^output\.rows\[0\] \(item a\): negative is not a probability: -1/],
    ['rows not summing to 1', { rows: [new Float32Array([0.5, 0.5, 0.5]), new Float32Array([0.2, 0.1, 0.7])] }, /sum to 1\.5/],
    ['a short row', { rows: [new Float32Array([0.5, 0.5]), new Float32Array([0.2, 0.1, 0.7])] }, /^output\.rows\[0\] \(item a\): expected 3 probabilities, got 2/],
    ['no model name', { model: '' }, /^output\.model/],
    ['no version', { version: '' }, /^output\.version/],
  ])('rejects %s', (_what, patch, message) => {
    expect(() => scoreItems(items, { ...output, ...patch }, { matcher, topics })).toThrow(message);
  });

  it('rejects a classifier scorer without topic model output', () => {
    expect(() => scoreItems(items, output, { matcher, topics: createClassifierTopicScorer() })).toThrow(/^topicOutput\.rows: expected 2/);
    expect(() => scoreItems(items, output, { matcher, topics: createClassifierTopicScorer(), topicOutput: { labels: undefined, rows: [new Float32Array(1), new Float32Array(1)] } })).toThrow(/^topicOutput\.labels/);
  });
});

describe('sentimentColumns', () => {
  it('finds each label whatever the order', () => {
    expect(sentimentColumns(['neutral', 'positive', 'negative'], 'm@1')).toEqual({ negative: 2, neutral: 0, positive: 1 });
    expect(() => sentimentColumns(['negative', 'negative', 'positive'], 'm@1')).toThrow(TypeError);
  });
});

describe('windowEventsOf', () => {
  const [a, b] = scoreItems(items, output, { matcher, topics }) as [ScoredItem, ScoredItem];

  it('fans out one event per entity then one for the topic, each naming the source', () => {
    const events = windowEventsOf(a, '3');
    expect(events.map((e) => e.key)).toEqual(['entity:Acme Robotics', 'entity:Northwind Bank', 'topic:litigation']);
    expect(events[2]).toEqual({
      key: 'topic:litigation', kind: 'topic', name: 'litigation', itemId: 'a', eventTimeMs: Date.UTC(2025, 0, 6, 9, 30),
      sentiment: 'negative', negativeProb: expect.closeTo(0.9, 6), title: 'Northwind sued by investors', modelVersion: 'financial-sentiment@3',
      source: '3',
    });
    expect(events.map((e) => e.source)).toEqual(['3', '3', '3']);
  });

  it('gives an item without entities just its topic event, other included', () => {
    expect(windowEventsOf(b, '0').map((e) => e.key)).toEqual(['topic:other']);
  });

  it('cuts long titles to 300 characters and rejects a bad time', () => {
    const long = { ...a, title: 'word '.repeat(200) };
    expect(windowEventsOf(long, '0')[0]?.title.length).toBeLessThanOrEqual(300);
    expect(() => windowEventsOf({ ...a, publishedAt: 'soon' }, '0')).toThrow(/^publishedAt/);
  });

  it('rejects a source that is not a short string, naming it', () => {
    expect(() => windowEventsOf(a, 3 as unknown as string)).toThrow(/^source: /);
    expect(() => windowEventsOf(a, 'x'.repeat(201))).toThrow(/^source: /);
    expect(windowEventsOf(a, '')[0]?.source).toBe('');
  });
});
