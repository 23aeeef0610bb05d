import type { SentimentLabel } from '../types';
import { EntitySentimentView, type EntityObservation } from './entity-sentiment-view';
import { UnknownWindowError } from './errors';

const MIN = 60_000;
/** 09:30:30 — half a minute into the 09:30 bucket. */
const NOW = Date.UTC(2025, 0, 6, 9, 30, 30);
const iso = (ms: number) => new Date(ms).toISOString();
const at = (h: number, m: number, s = 0, ms = 0) => Date.UTC(2025, 0, 6, h, m, s, ms);

function item(entities: string[], sentiment: SentimentLabel, score: number, eventMs: number): EntityObservation {
  return { entities, sentiment, score, publishedAt: iso(eventMs) };
}

describe('EntitySentimentView', () => {
  it('counts labels and the mean score over the whole minutes ending with the current one', () => {
    const view = new EntitySentimentView();
    expect(view.record(item(['ACME'], 'negative', -0.8, at(9, 26, 0, 0)), NOW)).toBe('counted'); // first ms of the 5-minute window
    view.record(item(['ACME'], 'positive', 0.6, at(9, 30, 29)), NOW);
    view.record(item(['ACME'], 'neutral', 0.1, at(9, 28, 10)), NOW);
    view.record(item(['ACME'], 'negative', -0.5, at(9, 25, 59, 999)), NOW); // last ms before it
    const r = view.query('ACME', 300, NOW);
    expect(r).toMatchObject({
      entity: 'ACME',
      windowSeconds: 300,
      windowStartMs: at(9, 26),
      windowEndMs: at(9, 31),
      totalCount: 3,
      negativeCount: 1,
      neutralCount: 1,
      positiveCount: 1,
    });
    expect(r.meanScore).toBeCloseTo((-0.8 + 0.6 + 0.1) / 3, 12);
    expect(view.query('ACME', 900, NOW).totalCount).toBe(4);
  });

  it('moves the window by whole minutes: at the next minute the oldest bucket leaves', () => {
    const view = new EntitySentimentView();
    view.record(item(['ACME'], 'negative', -1, at(9, 26, 30)), NOW);
    view.record(item(['ACME'], 'positive', 1, at(9, 30, 0)), NOW);
    expect(view.query('ACME', 300, at(9, 30, 59, 999)).totalCount).toBe(2);
    const next = view.query('ACME', 300, at(9, 31, 0, 0));
    expect(next).toMatchObject({ windowStartMs: at(9, 27), windowEndMs: at(9, 32), totalCount: 1, positiveCount: 1, meanScore: 1 });
  });

  it('reads an unknown entity as zero counts, and names are case-sensitive', () => {
    const view = new EntitySentimentView();
    view.record(item(['ACME'], 'negative', -0.9, at(9, 30)), NOW);
    expect(view.query('Acme', 300, NOW)).toMatchObject({ totalCount: 0, negativeCount: 0, meanScore: 0 });
  });

  it('counts an item once per distinct entity it names', () => {
    const view = new EntitySentimentView();
    view.record(item(['ACME', 'Globex', 'ACME', ''], 'negative', -0.9, at(9, 30)), NOW);
    expect(view.query('ACME', 300, NOW).totalCount).toBe(1);
    expect(view.query('Globex', 300, NOW).totalCount).toBe(1);
    expect(view.stats().entities).toBe(2);
    expect(view.record(item([], 'neutral', 0, at(9, 30)), NOW)).toBe('no-entities');
  });

  it('answers only the kept windows, with a typed error listing them', () => {
    const view = new EntitySentimentView();
    let caught: unknown;
    try {
      view.query('ACME', 600, NOW);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UnknownWindowError);
    expect((caught as UnknownWindowError).code).toBe('UNKNOWN_WINDOW');
    expect((caught as UnknownWindowError).keptWindows).toEqual([300, 900, 3600, 86_400]);
    expect(new EntitySentimentView({ windowsSeconds: [3600, 60] }).windows).toEqual([60, 3600]);
  });

  it('refuses items older than the longest window and too far in the future', () => {
    const view = new EntitySentimentView();
    const dayWindowStart = at(9, 31) - 86_400_000;
    expect(view.record(item(['ACME'], 'negative', -1, dayWindowStart - 1), NOW)).toBe('too-old');
    expect(view.record(item(['ACME'], 'negative', -1, dayWindowStart), NOW)).toBe('counted');
    expect(view.record(item(['ACME'], 'negative', -1, NOW + 5 * MIN + 1), NOW)).toBe('too-new');
    expect(view.record(item(['ACME'], 'negative', -1, NOW + 5 * MIN), NOW)).toBe('counted');
    expect(view.stats()).toMatchObject({ tooOld: 1, tooNew: 1 });
    expect(view.query('ACME', 86_400, NOW).totalCount).toBe(1); // the future item is not in a window yet
    expect(view.query('ACME', 300, NOW + 5 * MIN).totalCount).toBe(1);
  });

  it('drops buckets that left retention as the entity is updated, and stale entities on prune', () => {
    const view = new EntitySentimentView({ windowsSeconds: [120] });
    view.record(item(['ACME'], 'negative', -1, at(9, 0)), at(9, 0));
    view.record(item(['ACME'], 'negative', -1, at(9, 1)), at(9, 1));
    view.record(item(['Globex'], 'neutral', 0, at(9, 1)), at(9, 1));
    expect(view.stats().buckets).toBe(3);
    view.record(item(['ACME'], 'positive', 1, at(9, 2)), at(9, 2)); // 9:00 leaves the 2-minute retention
    expect(view.stats().buckets).toBe(3);
    view.prune(at(9, 3)); // Globex's only bucket (9:01) is stale; ACME keeps 9:02
    expect(view.stats()).toMatchObject({ entities: 1, buckets: 1, evictedEntities: 0 });
    expect(view.query('ACME', 120, at(9, 3))).toMatchObject({ totalCount: 1, positiveCount: 1 });
  });

  it('evicts the least recently updated entity past maxEntities', () => {
    const view = new EntitySentimentView({ maxEntities: 2 });
    view.record(item(['A'], 'negative', -1, at(9, 30)), NOW);
    view.record(item(['B'], 'negative', -1, at(9, 30)), NOW);
    view.record(item(['A'], 'negative', -1, at(9, 30)), NOW); // A is now the most recent
    view.record(item(['C'], 'negative', -1, at(9, 30)), NOW);
    expect(view.query('B', 300, NOW).totalCount).toBe(0);
    expect(view.query('A', 300, NOW).totalCount).toBe(2);
    expect(view.query('C', 300, NOW).totalCount).toBe(1);
    expect(view.stats()).toMatchObject({ entities: 2, evictedEntities: 1 });
  });

  it('evicts whole entities past maxBuckets', () => {
    const view = new EntitySentimentView({ windowsSeconds: [120], maxFutureMs: 0, maxBuckets: 4 });
    for (const name of ['X', 'Y']) {
      view.record(item([name], 'neutral', 0, at(9, 29)), NOW);
      view.record(item([name], 'neutral', 0, at(9, 30)), NOW);
    }
    expect(view.stats()).toMatchObject({ buckets: 4, entities: 2 });
    view.record(item(['Z'], 'neutral', 0, at(9, 30)), NOW);
    expect(view.stats()).toMatchObject({ buckets: 3, entities: 2, evictedEntities: 1 });
    expect(view.query('X', 120, NOW).totalCount).toBe(0);
    expect(view.query('Y', 120, NOW).totalCount).toBe(2);
  });

  it('rejects bad options and items naming the field', () => {
    expect(() => new EntitySentimentView({ windowsSeconds: [90] })).toThrow(/windowsSeconds/);
    expect(() => new EntitySentimentView({ windowsSeconds: [] })).toThrow(/windowsSeconds/);
    expect(() => new EntitySentimentView({ windowsSeconds: [60, 60] })).toThrow(/windowsSeconds/);
    expect(() => new EntitySentimentView({ maxBuckets: 10 })).toThrow(/maxBuckets/);
    const view = new EntitySentimentView();
    expect(() => view.record(item(['A'], 'negative', -1.5, NOW), NOW)).toThrow(/item\.score/);
    expect(() => view.record({ entities: ['A'], sentiment: 'angry' as SentimentLabel, score: 0, publishedAt: iso(NOW) }, NOW)).toThrow(/item\.sentiment/);
    expect(() => view.record({ entities: ['A'], sentiment: 'neutral', score: 0, publishedAt: 'yesterday' }, NOW)).toThrow(/item\.publishedAt/);
    expect(() => view.query('A', 300, Number.NaN)).toThrow(/nowMs/);
  });
});
