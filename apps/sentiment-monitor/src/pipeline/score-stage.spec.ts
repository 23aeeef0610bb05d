import { PermanentProcessingError, TOPICS, type NewsRawValue } from '@tuneline/events';
import { EntityMatcher, type TopicScorer } from '@tuneline/sentiment';
import type { SentimentRun } from '../scoring/sentiment-model';
import { eventTimeProblem, scoreRecords, type ScoreDeps } from './score-stage';

const topics: TopicScorer = { method: 'embedding-similarity', score: () => [{ label: 'litigation', score: 0.7 }, { label: 'other', score: 0.3 }] };

function news(id: string, overrides: Partial<NewsRawValue> = {}): NewsRawValue {
  return { id, source: 'wire', published_at: '2025-01-06T11:05:00Z', title: `Northwind Bank sued ${id}`, body: 'Regulators fined the lender.', language: 'en', ...overrides };
}

function deps(texts: string[][]): ScoreDeps {
  return {
    model: {
      run: async (batch): Promise<SentimentRun> => {
        texts.push([...batch]);
        return {
          model: 'financial-sentiment',
          version: '2',
          modelVersion: 'financial-sentiment@2',
          labels: ['negative', 'neutral', 'positive'],
          rows: batch.map(() => Float32Array.from([0.9, 0.05, 0.05])),
          embeddings: batch.map(() => Float32Array.from([1, 0])),
          topics,
        };
      },
    },
    matcher: new EntityMatcher([{ name: 'Northwind Bank', aliases: ['Northwind'], tickers: ['NWB'] }]),
    maxTextChars: 40,
    maxFutureMs: 3_600_000,
    topics: { scored: TOPICS.sentimentScored, windowEvents: TOPICS.sentimentWindowEvents },
    now: () => new Date('2025-01-06T12:00:00Z'),
  };
}

describe('scoreRecords', () => {
  it('one model run per chunk over the truncated model texts, then per item its scored record and its window events', async () => {
    const texts: string[][] = [];
    const { scored, records, rejected } = await scoreRecords([news('n1'), news('n2', { tickers: ['NWB'], entities: ['Globex'] })], deps(texts));
    expect(rejected).toEqual([]);
    expect(texts).toHaveLength(1);
    expect(texts[0]?.every((t) => t.length <= 40)).toBe(true);
    // The model reads the watch-listed names masked (ADR 0024); entities come from the original text.
    expect(texts[0]?.[0]).toMatch(/^The company sued n1\. Regulators/);
    expect(texts[0]?.some((t) => /Northwind|NWB/.test(t))).toBe(false);
    expect(scored.map((s) => s.id)).toEqual(['n1', 'n2']);

    const [first, ...rest] = records;
    expect(first?.topic).toBe(TOPICS.sentimentScored);
    expect(first?.value).toMatchObject({
      id: 'n1',
      entities: ['Northwind Bank'],
      topic: 'litigation',
      topicMethod: 'embedding-similarity',
      sentiment: 'negative',
      modelVersion: 'financial-sentiment@2',
      scoredAt: '2025-01-06T12:00:00.000Z',
    });
    const n1Events = rest.slice(0, 2).map((r) => ({ topic: r.topic.name, value: r.value as { key: string } }));
    expect(n1Events.map((e) => e.topic)).toEqual(['sentiment.window-events', 'sentiment.window-events']);
    expect(n1Events.map((e) => e.value.key).sort()).toEqual(['entity:Northwind Bank', 'topic:litigation']);
    // Every output passes its topic's schema (the stage would refuse the chunk otherwise).
    for (const r of records) expect(r.topic.schema.safeParse(r.value).success).toBe(true);
    const n2 = records.find((r) => r.topic === TOPICS.sentimentScored && (r.value as { id: string }).id === 'n2');
    expect((n2?.value as { entities: string[] }).entities).toEqual(expect.arrayContaining(['Northwind Bank', 'Globex']));
  });

  it('an empty chunk runs no model', async () => {
    const texts: string[][] = [];
    expect(await scoreRecords([], deps(texts))).toEqual({ scored: [], records: [], rejected: [] });
    expect(texts).toEqual([]);
  });

  it('rejects, one by one and before the model run, items published before 1970 or more than maxFutureMs after now; the rest of the chunk is scored', async () => {
    const texts: string[][] = [];
    // now() is 2025-01-06T12:00Z; the limit is one hour.
    const values = [
      news('ok-1'),
      news('old', { published_at: '1969-12-31T23:59:59Z' }),
      news('far', { published_at: '9999-12-31T23:59:59Z' }),
      news('edge', { published_at: '2025-01-06T13:00:00Z' }),
      news('ahead', { published_at: '2025-01-06T13:00:00.001Z' }),
    ];
    const { scored, records, rejected } = await scoreRecords(values, deps(texts));
    expect(texts).toHaveLength(1);
    expect(texts[0]).toHaveLength(2);
    expect(scored.map((s) => s.id)).toEqual(['ok-1', 'edge']);
    expect(records.every((r) => ['ok-1', 'edge'].includes((r.value as { id?: string; itemId?: string }).id ?? (r.value as { itemId: string }).itemId))).toBe(true);
    expect(rejected.map((r) => r.index)).toEqual([1, 2, 4]);
    expect(rejected.every((r) => r.error instanceof PermanentProcessingError)).toBe(true);
    expect(rejected[0]?.error.message).toMatch(/published_at 1969-12-31T23:59:59.000Z is before 1970-01-01T00:00:00Z/);
    expect(rejected[1]?.error.message).toMatch(/published_at 9999-12-31T23:59:59.000Z is \d+ ms after the score stage's clock \(2025-01-06T12:00:00.000Z\), more than SENTIMENT_MAX_FUTURE_MS \(3600000 ms\)/);
    expect(rejected[2]?.error.message).toMatch(/^published_at 2025-01-06T13:00:00.001Z is 3600001 ms after/);
  });

  it('a chunk of only rejected items runs no model', async () => {
    const texts: string[][] = [];
    const { records, rejected } = await scoreRecords([news('far', { published_at: '3000-01-01T00:00:00Z' })], deps(texts));
    expect(texts).toEqual([]);
    expect(records).toEqual([]);
    expect(rejected.map((r) => r.index)).toEqual([0]);
  });

  it('an item whose outputs would fail their topic schema is rejected with the schema problem, not the chunk', async () => {
    const texts: string[][] = [];
    // A 201-character entity passes news.raw but not a window event's name (≤ 200).
    const long = 'E'.repeat(201);
    const { scored, rejected } = await scoreRecords([news('n1'), news('n2', { entities: [long] })], deps(texts));
    expect(scored.map((s) => s.id)).toEqual(['n1']);
    expect(rejected.map((r) => r.index)).toEqual([1]);
    expect(rejected[0]?.error.message).toMatch(/^invalid sentiment\.\S+ value \(item "n2"\): /);
  });

  it('an item newsItemFromRecord refuses (a blank id) is rejected with its reason', async () => {
    const { scored, rejected } = await scoreRecords([news(' '), news('n2')], deps([]));
    expect(scored.map((s) => s.id)).toEqual(['n2']);
    expect(rejected).toEqual([{ index: 0, error: expect.objectContaining({ message: expect.stringMatching(/^news\.raw record not scorable: id: must not be empty/) }) }]);
  });
});

describe('eventTimeProblem', () => {
  const now = Date.parse('2025-01-06T12:00:00Z');
  const at = (iso: string) => ({ publishedAt: iso, publishedAtMs: Date.parse(iso) });
  it('accepts the epoch itself and up to exactly maxFutureMs ahead; 0 allows nothing after now', () => {
    expect(eventTimeProblem(at('1970-01-01T00:00:00.000Z'), now, 3_600_000)).toBeUndefined();
    expect(eventTimeProblem(at('2025-01-06T13:00:00.000Z'), now, 3_600_000)).toBeUndefined();
    expect(eventTimeProblem(at('2025-01-06T12:00:00.000Z'), now, 0)).toBeUndefined();
    expect(eventTimeProblem(at('2025-01-06T12:00:00.001Z'), now, 0)).toMatch(/1 ms after/);
  });
});
