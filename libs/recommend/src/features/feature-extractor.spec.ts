import type { ItemCatalog } from '../catalog/item-catalog';
import { TextNeighbours } from '../candidates/text-neighbours';
import { CoOccurrence } from '../collab/co-occurrence';
import type { Interaction } from '../data/catalog-item';
import { applyEvent } from '../profile/apply-event';
import { emptyProfile, type UserProfile } from '../profile/user-profile';
import { sampleItemCatalog } from '../testing/hashing-embed';
import { FeatureExtractor } from './feature-extractor';
import { FEATURE_COUNT, FEATURE_NAMES } from './feature-names';
import { ItemPopularity } from './item-popularity';
import { TimeSweep } from './time-sweep';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);
const col = (name: (typeof FEATURE_NAMES)[number]) => FEATURE_NAMES.indexOf(name);

describe('FeatureExtractor', () => {
  let catalog: ItemCatalog;
  let profile: UserProfile;
  let extractor: FeatureExtractor;
  const popularity = new ItemPopularity({ trendHalfLifeDays: 30 });
  beforeAll(async () => {
    catalog = (await sampleItemCatalog(64)).catalog;
    // Items 1-10: Sci-Fi cluster; 31-40 Horror. Item 2 is popular, item 10 has one old event.
    const events: Interaction[] = [
      { userId: 'u', itemId: '1', type: 'like', ts: T0 },
      { userId: 'u', itemId: '3', type: 'rate', value: 5, ts: T0 + DAY },
      { userId: 'u', itemId: '31', type: 'rate', value: 1, ts: T0 + 2 * DAY },
    ];
    profile = events.reduce((p, e) => applyEvent(p, e, catalog), emptyProfile('u', 64));
    for (let k = 0; k < 20; k++) popularity.record(catalog.indexOf('2'), { type: 'view', ts: T0 + 2 * DAY - k * 1000 });
    popularity.record(catalog.indexOf('10'), { type: 'rate', value: 2, ts: T0 - 400 * DAY });
    const cooc = new CoOccurrence();
    cooc.add(catalog.indexOf('1'), []);
    cooc.add(catalog.indexOf('4'), [catalog.indexOf('1')]);
    extractor = new FeatureExtractor({ catalog, popularity, cooc, textNeighbours: new TextNeighbours(catalog, { k: 5 }) });
  });

  it('fills one row per item in FEATURE_NAMES order, reading the profile, counters and co-occurrence', () => {
    const user = extractor.user(profile, T0 + 2 * DAY);
    expect(Array.from(user.liked).map((i) => catalog.ids[i])).toEqual(['1', '3']);
    const items = Int32Array.from(['4', '34', '2', '10'].map((id) => catalog.indexOf(id)));
    const rows = extractor.rows(user, items);
    expect(rows).toHaveLength(4 * FEATURE_COUNT);
    const at = (r: number, name: (typeof FEATURE_NAMES)[number]) => rows[r * FEATURE_COUNT + col(name)] as number;
    // Sci-Fi item 4 beats Horror item 34 on everything taste-related.
    expect(at(0, 'textCosine')).toBeGreaterThan(at(1, 'textCosine'));
    expect(at(0, 'textRank')).toBeLessThan(at(1, 'textRank'));
    expect(at(0, 'genreAffinity')).toBeGreaterThan(0);
    expect(at(1, 'genreAffinity')).toBeLessThan(0);
    expect(at(0, 'cooc')).toBeGreaterThan(0);
    expect(at(1, 'cooc')).toBe(0);
    // No EASE model: its columns say "nothing" (0, and the worst rank).
    expect(at(0, 'ease')).toBe(0);
    expect(at(0, 'easeRank')).toBeCloseTo(Math.log2(1 + catalog.size), 6);
    // Counters: item 2 has 20 recent events, item 10 one old one.
    expect(at(2, 'logPopularity')).toBeCloseTo(0, 6); // the most popular item: log(1 + 20) − log(1 + 20)
    expect(at(0, 'cooc')).toBeCloseTo(1, 6); // item 4 is the user's best co-occurring item
    expect(at(2, 'logTrend')).toBeGreaterThan(at(3, 'logTrend'));
    expect(at(2, 'isCold')).toBe(0);
    expect(at(3, 'isCold')).toBe(1);
    expect(at(3, 'meanRating')).toBeLessThan(at(2, 'meanRating') + 1e-9);
    // Item 10 is a 2024 release and "now" is January 2024.
    expect(at(3, 'ageYears')).toBeCloseTo(2 / 365.25, 2);
  });

  it('computes textKnn from the latest liked items\' neighbours and allRows in index order', () => {
    const user = extractor.user(profile, T0 + 2 * DAY);
    const all = extractor.allRows(user);
    expect(all).toHaveLength(catalog.size * FEATURE_COUNT);
    const i = catalog.indexOf('34');
    expect(Array.from(all.subarray(i * FEATURE_COUNT, (i + 1) * FEATURE_COUNT))).toEqual(Array.from(extractor.rows(user, Int32Array.of(i))));
    const knn = Array.from({ length: catalog.size }, (_, j) => all[j * FEATURE_COUNT + col('textKnn')] as number);
    expect(knn.filter((x) => x > 0).length).toBeGreaterThan(0);
    expect(knn.filter((x) => x > 0).length).toBeLessThanOrEqual(10); // 5 neighbours of each of 2 liked items
  });

  it('gives a cold-start user neutral taste features, and refuses non-catalog indices', () => {
    const user = extractor.user(emptyProfile('new', 64), T0);
    const row = extractor.rows(user, Int32Array.of(0));
    expect(row[col('textCosine')]).toBe(0);
    expect(row[col('genreAffinity')]).toBe(0);
    expect(row[col('yearDistance')]).toBe(0);
    expect(() => extractor.rows(user, Int32Array.of(catalog.size))).toThrow(/not a catalog index/);
  });
});

describe('TimeSweep', () => {
  it('counts only events up to the time it was advanced to, and never goes back', () => {
    const xs: Interaction[] = [1, 2, 3].map((ts) => ({ userId: 'u', itemId: 'a', type: 'view', ts }));
    const sweep = new TimeSweep(xs, (id) => (id === 'a' ? 0 : -1));
    sweep.advanceTo(2);
    expect(sweep.popularity.countOf(0)).toBe(2);
    sweep.advanceTo(10);
    expect(sweep.popularity.countOf(0)).toBe(3);
    expect(() => sweep.advanceTo(5)).toThrow(/goes back/);
  });
});
