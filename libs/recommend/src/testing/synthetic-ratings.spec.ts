import { readFileSync, writeFileSync } from 'node:fs';
import { loadMovieLens } from '../data/movielens';
import { sampleMovieLensFiles } from '../samples';
import { seededRandom, syntheticRatings, toRatingsCsv } from './synthetic-ratings';

describe('synthetic ratings', () => {
  const files = sampleMovieLensFiles();
  const { catalog } = loadMovieLens({ movies: files.movies });

  it('are what samples/ratings.csv holds (UPDATE_RECOMMEND_SAMPLES=1 rewrites it)', () => {
    const text = toRatingsCsv(syntheticRatings(catalog));
    if (process.env['UPDATE_RECOMMEND_SAMPLES'] === '1') writeFileSync(files.ratings, text);
    expect(readFileSync(files.ratings, 'utf8')).toBe(text);
  });

  it('follow the taste clusters: mostly high ratings inside the user\'s cluster, cold new releases', () => {
    const ratings = syntheticRatings(catalog);
    const byId = new Map(catalog.map((i) => [i.id, i]));
    // user 1's primary cluster is the first genre of the first catalog item (Sci-Fi)
    const user1 = ratings.filter((r) => r.userId === '1');
    const inCluster = user1.filter((r) => byId.get(r.itemId)?.genres[0] === 'Sci-Fi');
    expect(inCluster.length / user1.length).toBeGreaterThan(0.6);
    expect(inCluster.every((r) => (r.value ?? 0) >= 3.5)).toBe(true);
    const perItem = new Map<string, number>();
    for (const r of ratings) perItem.set(r.itemId, (perItem.get(r.itemId) ?? 0) + 1);
    const newest = catalog.filter((i) => i.createdAt === Date.UTC(2024, 0, 1));
    expect(newest).toHaveLength(12);
    expect(Math.max(...newest.map((i) => perItem.get(i.id) ?? 0))).toBeLessThan(5);
  });

  it('are reproducible from the seed and change with it', () => {
    expect(syntheticRatings(catalog, { seed: 5 })).toEqual(syntheticRatings(catalog, { seed: 5 }));
    expect(syntheticRatings(catalog, { seed: 5 })).not.toEqual(syntheticRatings(catalog, { seed: 6 }));
    const r = seededRandom(1);
    const xs = Array.from({ length: 1000 }, r);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
  });
});
