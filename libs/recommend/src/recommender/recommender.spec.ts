import type { FeatureHead } from '@tuneline/finetune';
import type { ItemCatalog } from '../catalog/item-catalog';
import { TextNeighbours } from '../candidates/text-neighbours';
import { CoOccurrence } from '../collab/co-occurrence';
import { SequenceTransitions } from '../collab/sequence-transitions';
import type { CatalogItem, Interaction } from '../data/catalog-item';
import { COLD_BELOW, FEATURE_NAMES } from '../features/feature-names';
import { COLD_ITEM_BOOST, DEFAULT_RULES } from '../rules/rules-config';
import { ItemPopularity } from '../features/item-popularity';
import { InMemoryProfileStore } from '../profile/in-memory-profile-store';
import { LocalRanker } from '../rank/ranker';
import { sampleItemCatalog } from '../testing/hashing-embed';
import { CandidateLimitError, RecommendRequestError } from './errors';
import { MAX_K, Recommender, type RecommenderOptions } from './recommender';

/** A linear head that likes text similarity, genre affinity and (a little) popularity. */
function handHead(): FeatureHead {
  const w = FEATURE_NAMES.map((n) => ({ textCosine: 2, genreAffinity: 1, logPopularity: 0.5 } as Record<string, number>)[n] ?? 0);
  return {
    featureNames: FEATURE_NAMES,
    normalization: { mean: FEATURE_NAMES.map(() => 0), std: FEATURE_NAMES.map(() => 1) },
    weights: { kind: 'linear', inputDim: FEATURE_NAMES.length, outputDim: 1, tensors: { W: { shape: [1, FEATURE_NAMES.length], data: w }, b: { shape: [1], data: [0] } } },
  };
}

const T0 = Date.UTC(2024, 5, 1);
const like = (userId: string, itemId: string, ts = T0): Interaction => ({ userId, itemId, type: 'like', ts });

describe('Recommender', () => {
  let catalog: ItemCatalog;
  let make: (over?: Partial<RecommenderOptions>) => Recommender;
  beforeEach(async () => {
    catalog = (await sampleItemCatalog(64)).catalog;
    make = (over = {}) => new Recommender({
      catalog, profiles: new InMemoryProfileStore(), ranker: new LocalRanker(handHead(), 'v-hand'), collaborative: { cooc: new CoOccurrence() },
      // No default cold boost here (every sample item is cold to a fresh counter); its own test below.
      popularity: new ItemPopularity(), clock: () => T0 + 1000, rules: { boosts: [] }, ...over,
    });
  });

  it('ranks the candidates by the head, with named reasons, the model version and 1-based ranks', async () => {
    const r = make();
    await r.recordEvent(like('u', '1'));
    await r.recordEvent(like('u', '2'));
    const res = await r.rank({ userId: 'u', candidates: ['34', '4', '5', '33'], k: 3 });
    expect(res.items.map((x) => x.rank)).toEqual([1, 2, 3]);
    expect(new Set(res.items.slice(0, 2).map((x) => x.itemId))).toEqual(new Set(['4', '5'])); // Sci-Fi, like the history
    expect(res.items[0]?.score).toBeGreaterThanOrEqual(res.items[1]?.score as number);
    expect(res.modelVersion).toBe('v-hand');
    expect(res.coldStart).toBe(false);
    for (const item of res.items) {
      expect(item.reasons.length).toBeGreaterThan(0);
      for (const reason of item.reasons) expect(FEATURE_NAMES).toContain(reason.name);
    }
    expect(res.items[0]?.reasons[0]?.name).toMatch(/textCosine|genreAffinity/);
  });

  it('reports unknown ids per item, merges duplicates and ranks inline items without adding them to the catalog', async () => {
    const r = make();
    const inline: CatalogItem = { id: 'new-1', title: 'Orbit of Salt (2024)', description: 'A salvage crew in space.', tags: ['space'], genres: ['Sci-Fi'] };
    const size = catalog.size;
    const revision = catalog.revision;
    const res = await r.rank({ userId: 'u', candidates: ['4', 'nope', '4', inline, 'nope', { ...inline, title: 'ignored repeat' }], k: 10 });
    expect(res.unknown).toEqual(['nope']);
    expect(res.duplicatesMerged).toBe(3);
    expect(res.items.map((x) => x.itemId).sort()).toEqual(['4', 'new-1']);
    expect(res.items.find((x) => x.itemId === 'new-1')?.title).toBe('Orbit of Salt (2024)');
    expect([catalog.size, catalog.revision, catalog.has('new-1')]).toEqual([size, revision, false]);
  });

  it('scores an inline item as it would score in the catalog, keeps the text-neighbour memo, and never rewrites a catalog item', async () => {
    const textNeighbours = new TextNeighbours(catalog);
    const r = make({ textNeighbours });
    await r.recordEvent(like('u', '4'));
    await r.recordEvent(like('u', '5'));
    const memo = textNeighbours.of(catalog.indexOf('4'));
    const inline: CatalogItem = { id: 'new-2', title: 'Dust Between Stars', description: 'A crew drifts past a dying sun.', tags: ['space', 'crew'], genres: ['Sci-Fi', 'Drama'], createdAt: Date.UTC(2020, 0, 1) };
    const outside = await r.rank({ userId: 'u', candidates: ['6', inline, { ...catalog.itemAt(catalog.indexOf('33')), title: 'A rewritten title' }], k: 3 });
    expect(textNeighbours.of(catalog.indexOf('4'))).toBe(memo);
    expect(catalog.get('33')?.title).not.toBe('A rewritten title');
    expect(outside.items.find((x) => x.itemId === '33')?.title).toBe(catalog.get('33')?.title);
    await catalog.upsert(inline);
    const inside = await r.rank({ userId: 'u', candidates: ['6', 'new-2', '33'], k: 3 });
    const scoreOf = (res: typeof inside) => res.items.find((x) => x.itemId === 'new-2')?.score as number;
    expect(scoreOf(outside)).toBeCloseTo(scoreOf(inside), 4);
    expect(outside.items.map((x) => x.itemId)).toEqual(inside.items.map((x) => x.itemId));
  });

  it('ranks an inline item once when catalog.items brings its id while the request embeds it', async () => {
    const r = make();
    const inline: CatalogItem = { id: 'race-1', title: 'Tide Clock', description: 'A harbour keeps its own time.', tags: [], genres: ['Drama'] };
    const embed = catalog.embedDetached.bind(catalog);
    jest.spyOn(catalog, 'embedDetached').mockImplementationOnce(async (texts) => {
      const vectors = await embed(texts);
      await catalog.upsert(inline);
      return vectors;
    });
    const res = await r.rank({ userId: 'u', candidates: ['4', inline], k: 10 });
    expect(catalog.has('race-1')).toBe(true);
    expect(res.items.map((x) => x.itemId).sort()).toEqual(['4', 'race-1']);
    expect(res.unknown).toEqual([]);
  });

  it('filters an inline item the user already interacted with (seen by id)', async () => {
    const r = make();
    await r.recordEvent(like('u', 'ext-9'));
    const inline: CatalogItem = { id: 'ext-9', title: 'Seen Elsewhere', description: '', tags: [], genres: ['Drama'] };
    const res = await r.rank({ userId: 'u', candidates: ['2', inline], k: 2 });
    expect(res.items.map((x) => x.itemId)).toEqual(['2']);
    expect(res.rules).toContainEqual(expect.objectContaining({ rule: 'filterSeen', affected: 1 }));
  });

  it('refuses events dated past the future limit, before 1970 or not finite, naming the limit, and changes nothing', async () => {
    const popularity = new ItemPopularity();
    const r = make({ popularity, maxFutureMs: 60_000 });
    const now = T0 + 1000;
    await expect(r.recordEvent(like('u', '1', now + 60_001))).rejects.toThrow(/event\.ts .* ahead .*60000 ms/);
    await expect(r.recordEvent(like('u', '1', -1))).rejects.toThrow(/event\.ts must be a time at or after 1970/);
    await expect(r.recordEvent(like('u', '1', Number.NaN))).rejects.toThrow(RangeError);
    expect(() => r.observeEvent(like('u', '1', now + 3_600_000), undefined)).toThrow(/ahead/);
    expect(popularity.countOf(catalog.indexOf('1'))).toBe(0);
    await expect(r.recordEvent(like('u', '1', now + 60_000))).resolves.toMatchObject({ lastEventMs: now + 60_000 });
    // The default limit is an hour.
    await expect(make().recordEvent(like('v', '1', now + 3_600_001))).rejects.toThrow(/3600000 ms/);
  });

  it('applies a record delivered twice once: the profile and the counters change once', async () => {
    const popularity = new ItemPopularity();
    const r = make({ popularity });
    const position = { partition: 'user.events:4', offset: '12' };
    const first = await r.updateProfile(like('u', '1'), position);
    expect(first.applied).toBe(true);
    await r.recordEvent(like('u', '1'), position);
    const again = await r.updateProfile(like('u', '1'), position);
    expect(again).toMatchObject({ applied: false, before: undefined, profile: { counts: { like: 1 } } });
    expect(popularity.countOf(catalog.indexOf('1'))).toBe(0); // updateProfile alone counts nothing; the skipped recordEvent neither
    await r.recordEvent(like('u', '2'), { partition: 'user.events:4', offset: '13' });
    expect(popularity.countOf(catalog.indexOf('2'))).toBe(1);
  });

  it('treats an unknown user as a cold start, not an error, in both calls', async () => {
    const r = make();
    const ranked = await r.rank({ userId: 'stranger', candidates: ['1', '31'] });
    expect(ranked.coldStart).toBe(true);
    expect(ranked.items).toHaveLength(2);
    const popularity = new ItemPopularity();
    for (let k = 0; k < 5; k++) popularity.record(catalog.indexOf('12'), { type: 'view', ts: T0 - k });
    const rec = await make({ popularity }).recommend({ userId: 'stranger', k: 5 });
    expect(rec.coldStart).toBe(true);
    expect(rec.items).toHaveLength(5);
    expect(rec.items.map((x) => x.itemId)).toContain('12');
  });

  it('enforces its limits with typed errors naming the field and the limit', async () => {
    const r = make({ limits: { maxCandidates: 3 } });
    const tooMany = r.rank({ userId: 'u', candidates: ['1', '2', '3', '4'] });
    await expect(tooMany).rejects.toBeInstanceOf(CandidateLimitError);
    await expect(tooMany).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', limit: 3, got: 4, field: 'candidates' });
    await expect(r.rank({ userId: 'u', candidates: ['1'], k: MAX_K + 1 })).rejects.toMatchObject({ field: 'k' });
    await expect(r.recommend({ userId: 'u', k: 0 })).rejects.toMatchObject({ field: 'k' });
    await expect(r.recommend({ userId: '', k: 1 })).rejects.toMatchObject({ field: 'userId' });
    await expect(r.rank({ userId: 'u', candidates: [{ id: 'x' } as never] })).rejects.toBeInstanceOf(RecommendRequestError);
    await expect(r.rank({ userId: 'u', candidates: 'abc' as never })).rejects.toMatchObject({ field: 'candidates' });
    await expect(r.recordEvent({ userId: 'u', itemId: '1', type: 'rate', ts: T0 })).rejects.toThrow(/event\.value/);
  });

  it('recommends unseen items that follow the profile, and events change the next ranking', async () => {
    const r = make();
    await r.recordEvent(like('u', '31'));
    const before = await r.recommend({ userId: 'u', k: 5 });
    expect(before.items.map((x) => x.itemId)).not.toContain('31');
    const horror = (ids: readonly string[]) => ids.filter((id) => catalog.get(id)?.genres.includes('Horror')).length;
    expect(horror(before.items.map((x) => x.itemId))).toBeGreaterThanOrEqual(3);
    for (const id of ['1', '2', '3', '4']) await r.recordEvent(like('u', id, T0 + 1));
    const after = await r.recommend({ userId: 'u', k: 5 });
    expect(horror(after.items.map((x) => x.itemId))).toBeLessThan(horror(before.items.map((x) => x.itemId)));
  });

  it('applies and explains rules: filter seen and boosts', async () => {
    const r = make({ rules: { boosts: [{ name: 'documentary', genres: ['Documentary'], add: 5 }] } });
    await r.recordEvent(like('u', '1'));
    const res = await r.rank({ userId: 'u', candidates: ['1', '2', '3', '4', '5', '51'], k: 4 });
    const rules = Object.fromEntries(res.rules.map((x) => [x.rule, x]));
    expect(rules['filterSeen']).toMatchObject({ affected: 1 });
    expect(res.items.map((x) => x.itemId)).not.toContain('1');
    expect(rules['boost']).toMatchObject({ affected: 1, detail: expect.stringContaining('documentary') });
    expect(res.items[0]).toMatchObject({ itemId: '51' });
    expect(res.items[0]?.reasons).toContainEqual({ name: 'boost:documentary', value: 5 });
    const plain = await make().rank({ userId: 'u', candidates: ['2', '3', '4', '5', '51'], k: 4 });
    expect(plain.rules).toEqual([]);
  });

  it('diversifies with MMR: λ = 0 follows the best item with the one least like it, and says so', async () => {
    const candidates = ['2', '3', '4', '5', '32', '33'];
    const setup = async (r: Recommender) => {
      await r.recordEvent(like('u', '1'));
      return r.rank({ userId: 'u', candidates, k: 3 });
    };
    const plain = await setup(make());
    const diverse = await setup(make({ rules: { diversityLambda: 0 } }));
    const first = plain.items[0]?.itemId as string;
    expect(diverse.items[0]?.itemId).toBe(first); // the best item stays first
    const sim = (a: string, b: string) => {
      const x = catalog.embeddingAt(catalog.indexOf(a));
      const y = catalog.embeddingAt(catalog.indexOf(b));
      return x.reduce((s, v, i) => s + v * (y[i] as number), 0);
    };
    const leastAlike = candidates.filter((c) => c !== first).sort((a, b) => sim(first, a) - sim(first, b))[0];
    expect(diverse.items[1]?.itemId).toBe(leastAlike);
    expect(diverse.items.map((x) => x.itemId)).not.toEqual(plain.items.map((x) => x.itemId));
    expect(diverse.rules).toContainEqual(expect.objectContaining({ rule: 'diversity', detail: expect.stringContaining('λ = 0 ') }));
    expect(plain.rules.some((x) => x.rule === 'diversity')).toBe(false);
  });

  it('boosts cold items by default (DEFAULT_RULES) and names the boost among the reasons', async () => {
    const popularity = new ItemPopularity();
    for (let k = 0; k < COLD_BELOW; k++) popularity.record(catalog.indexOf('2'), { type: 'view', ts: T0 - k });
    const r = make({ popularity, rules: DEFAULT_RULES });
    const res = await r.rank({ userId: 'u', candidates: ['2', '3'], k: 2 });
    const byId = Object.fromEntries(res.items.map((x) => [x.itemId, x]));
    expect(byId['3']?.reasons).toContainEqual({ name: 'boost:cold', value: COLD_ITEM_BOOST.add });
    expect(byId['2']?.reasons.some((x) => x.name === 'boost:cold')).toBe(false);
    expect(res.rules).toContainEqual(expect.objectContaining({ rule: 'boost', affected: 1 }));
  });

  it('counts liked events into co-occurrence, sequence transitions and popularity', async () => {
    const cooc = new CoOccurrence();
    const sequence = new SequenceTransitions();
    const popularity = new ItemPopularity();
    const r = make({ collaborative: { cooc, sequence }, popularity });
    await r.recordEvent(like('a', '1'));
    await r.recordEvent(like('a', '2'));
    await r.recordEvent({ userId: 'a', itemId: '3', type: 'rate', value: 1, ts: T0 });
    expect(Array.from(cooc.neighbours(catalog.indexOf('2')).items)).toEqual([catalog.indexOf('1')]);
    expect(cooc.countOf(catalog.indexOf('3'))).toBe(0); // a 1-star rating is no like
    expect(popularity.countOf(catalog.indexOf('3'))).toBe(1);
    expect(Array.from(sequence.successors(catalog.indexOf('1')).items)).toEqual([catalog.indexOf('2')]); // 1, then 2
    expect(sequence.successors(catalog.indexOf('2')).items).toHaveLength(0);
  });
});
