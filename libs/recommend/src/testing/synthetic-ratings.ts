import type { CatalogItem, Interaction } from '../data/catalog-item';

/**
 * A seeded generator of ratings with clear taste clusters, the source of
 * libs/recommend/samples/ratings.csv (a spec checks the file is its output). Clusters are
 * the items' first genre; each user loves one cluster (sometimes two), rates mostly there
 * (3.5–5 stars) and now and then something elsewhere (1–3 stars). Within a cluster the
 * earlier items are more popular; items created in the latest year are rare (cold items).
 * A user asks for n ratings but may end with fewer when the picks keep repeating.
 */
export interface SyntheticRatingsOptions {
  readonly seed?: number;
  readonly users?: number;
  /** Ratings per user: a whole number in [min, max]. */
  readonly minPerUser?: number;
  readonly maxPerUser?: number;
  /** First timestamp, epoch ms. */
  readonly start?: number;
}

export const SAMPLE_RATINGS_OPTIONS: Required<SyntheticRatingsOptions> = {
  seed: 13,
  users: 48,
  minPerUser: 8,
  maxPerUser: 16,
  start: Date.UTC(2024, 0, 1),
};

/** mulberry32: a small, fast, seeded PRNG with values in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function syntheticRatings(catalog: readonly CatalogItem[], options: SyntheticRatingsOptions = {}): Interaction[] {
  const o = { ...SAMPLE_RATINGS_OPTIONS, ...options };
  const rand = seededRandom(o.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const clusters = new Map<string, CatalogItem[]>();
  for (const item of catalog) {
    const key = item.genres[0] ?? '';
    const list = clusters.get(key);
    if (list) list.push(item);
    else clusters.set(key, [item]);
  }
  const keys = [...clusters.keys()];
  const newest = Math.max(...catalog.map((i) => i.createdAt ?? 0));
  const isNew = (item: CatalogItem) => (item.createdAt ?? 0) === newest;
  // New releases come up in 1 pick out of 50; the others by a Zipf weight on their rank.
  const weighted = (cluster: readonly CatalogItem[]): CatalogItem => {
    const fresh = cluster.filter(isNew);
    if (fresh.length > 0 && rand() < 0.02) return pick(fresh);
    const items = cluster.filter((i) => !isNew(i));
    const w = items.map((_, rank) => 1 / (rank + 1));
    let r = rand() * w.reduce((a, b) => a + b, 0);
    for (let k = 0; k < items.length; k++) if ((r -= w[k] as number) < 0) return items[k] as CatalogItem;
    return items[items.length - 1] as CatalogItem;
  };
  const out: Interaction[] = [];
  for (let u = 1; u <= o.users; u++) {
    const primary = keys[(u - 1) % keys.length] as string;
    const secondary = rand() < 0.4 ? pick(keys.filter((k) => k !== primary)) : undefined;
    const n = o.minPerUser + Math.floor(rand() * (o.maxPerUser - o.minPerUser + 1));
    const seen = new Set<string>();
    let ts = o.start + u * 3 * 86_400_000;
    for (let tries = 0; seen.size < n && tries < n * 2; tries++) {
      const loved = rand() < 0.85;
      const cluster = loved ? (secondary && rand() < 0.3 ? secondary : primary) : pick(keys.filter((k) => k !== primary && k !== secondary));
      const item = weighted(clusters.get(cluster) as CatalogItem[]);
      if (seen.has(item.id)) continue;
      seen.add(item.id);
      ts += 600_000 + Math.floor(rand() * 86_400) * 1000;
      const value = loved ? pick([3.5, 4, 4.5, 5]) : pick([1, 1.5, 2, 2.5, 3]);
      out.push({ userId: String(u), itemId: item.id, type: 'rate', value, ts });
    }
  }
  return out;
}

/** Interactions as MovieLens ratings.csv text (timestamps in whole seconds). */
export function toRatingsCsv(interactions: readonly Interaction[]): string {
  const lines = ['userId,movieId,rating,timestamp'];
  for (const x of interactions) lines.push(`${x.userId},${x.itemId},${(x.value ?? 1).toFixed(1)},${Math.floor(x.ts / 1000)}`);
  return lines.join('\n') + '\n';
}
