import { TOPICS, type NewsRawValue } from '@tuneline/events';
import { EntityMatcher, type TopicScorer } from '@tuneline/sentiment';
import type { SentimentRun } from '../scoring/sentiment-model';
import { scoreRecords, type ScoreDeps } from './score-stage';

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
    topics: { scored: TOPICS.sentimentScored, windowEvents: TOPICS.sentimentWindowEvents },
    now: () => new Date('2025-01-06T12:00:00Z'),
  };
}

describe('scoreRecords', () => {
  it('one model run per chunk over the truncated model texts, then per item its scored record and its window events', async () => {
    const texts: string[][] = [];
    const { scored, records } = await scoreRecords([news('n1'), news('n2', { tickers: ['NWB'], entities: ['Globex'] })], deps(texts));
    expect(texts).toHaveLength(1);
    expect(texts[0]?.every((t) => t.length <= 40)).toBe(true);
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
    expect(await scoreRecords([], deps(texts))).toEqual({ scored: [], records: [] });
    expect(texts).toEqual([]);
  });
});
