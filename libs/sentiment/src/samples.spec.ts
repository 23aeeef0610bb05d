import { readFileSync } from 'node:fs';
import { EntityMatcher, entitiesOf } from './enrich/entity-matcher';
import type { NewsRawValue } from '@tuneline/events';
import { modelText, newsItemFromRecord } from './enrich/news-item';
import { loadTopicsFile, loadWatchListFile, sentimentSamplePath } from './samples';

interface Truth {
  surges: { entity: string; startMs: number; endMs: number; items: number }[];
  steady: string[];
  entities: Record<string, { items: number }>;
}

const lines = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as unknown);
const watchList = loadWatchListFile();
const matcher = new EntityMatcher(watchList);
const items = (lines(sentimentSamplePath('newsStream')) as NewsRawValue[]).map(newsItemFromRecord);
const truth = JSON.parse(readFileSync(sentimentSamplePath('newsStreamTruth'), 'utf8')) as Truth;

describe('libs/sentiment samples', () => {
  it('loads the watch-list and the eight topics', () => {
    expect(watchList).toHaveLength(8);
    expect(loadTopicsFile().map((t) => t.name)).toEqual(['earnings', 'm&a', 'regulation', 'litigation', 'macro', 'product', 'management', 'other']);
  });

  it('training sentences carry one of the three labels', () => {
    const rows = lines(sentimentSamplePath('sentiment')) as { text: string; label: string }[];
    expect(new Set(rows.map((r) => r.label))).toEqual(new Set(['negative', 'neutral', 'positive']));
  });

  it('the watch-list matcher plus record tags attribute every stream item to exactly the generator\'s entity', () => {
    const counts: Record<string, number> = {};
    for (const item of items) {
      const entities = entitiesOf(item, `${item.title}\n${item.body}`, matcher);
      expect(entities.length).toBeLessThanOrEqual(1);
      for (const e of entities) counts[e] = (counts[e] ?? 0) + 1;
    }
    expect(counts).toEqual(Object.fromEntries(Object.entries(truth.entities).map(([k, v]) => [k, v.items])));
  });

  it('the surge span holds the documented number of surge-entity items', () => {
    const [surge] = truth.surges;
    if (!surge) throw new Error('no surge in the truth file');
    const inSpan = items.filter((i) => i.publishedAtMs >= surge.startMs && i.publishedAtMs < surge.endMs && entitiesOf(i, `${i.title}\n${i.body}`, matcher).includes(surge.entity));
    expect(inSpan).toHaveLength(surge.items);
  });

  it('model texts fit the default limit untruncated', () => {
    for (const item of items) expect(modelText(item)).toBe(item.body ? `${item.title} ${item.body}` : item.title);
  });
});
