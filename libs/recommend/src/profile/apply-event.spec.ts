import type { ItemCatalog } from '../catalog/item-catalog';
import type { Interaction } from '../data/catalog-item';
import { sampleItemCatalog } from '../testing/hashing-embed';
import { applyEvent, eventWeight } from './apply-event';
import { emptyProfile, isColdProfile, type UserProfile } from './user-profile';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);
const ev = (itemId: string, type: Interaction['type'], ts: number, value?: number): Interaction =>
  ({ userId: 'u', itemId, type, ts, ...(value !== undefined ? { value } : {}) });

const cosine = (a: Float32Array, b: Float32Array) => {
  let s = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) { s += (a[i] as number) * (b[i] as number); na += (a[i] as number) ** 2; nb += (b[i] as number) ** 2; }
  return s / Math.sqrt(na * nb);
};

describe('applyEvent', () => {
  let catalog: ItemCatalog;
  beforeAll(async () => {
    catalog = (await sampleItemCatalog(64)).catalog;
  });
  const replay = (events: Interaction[], options = {}) => events.reduce((p, e) => applyEvent(p, e, catalog, options), emptyProfile('u', 64) as UserProfile);

  it('weighs events: rating − 3, then view 0.5 < click 1 < like 2 < purchase 3', () => {
    expect([eventWeight({ type: 'rate', value: 5 }), eventWeight({ type: 'rate', value: 3 }), eventWeight({ type: 'rate', value: 1 })]).toEqual([2, 0, -2]);
    expect(['view', 'click', 'like', 'purchase'].map((type) => eventWeight({ type: type as Interaction['type'] }))).toEqual([0.5, 1, 2, 3]);
  });

  it('moves the embedding and genre affinity towards liked items and away from disliked ones', () => {
    // Items 1-10 are the Sci-Fi cluster of the sample, 31-40 Horror.
    const p = replay([ev('1', 'like', T0), ev('2', 'rate', T0 + DAY, 5), ev('31', 'rate', T0 + 2 * DAY, 1)]);
    expect(p.genreAffinity['Sci-Fi']).toBeGreaterThan(0);
    expect(p.genreAffinity['Horror']).toBeLessThan(0);
    expect(cosine(p.embedding, catalog.embeddingAt(catalog.indexOf('4')))).toBeGreaterThan(cosine(p.embedding, catalog.embeddingAt(catalog.indexOf('34'))));
    expect(p.counts).toEqual({ rate: 2, view: 0, click: 0, like: 1, purchase: 0 });
    expect(p.lastEventMs).toBe(T0 + 2 * DAY);
    expect(p.seen.map((s) => s.itemId)).toEqual(['1', '2', '31']);
    expect(isColdProfile(p)).toBe(false);
    expect(Object.keys(p.tagAffinity).length).toBeGreaterThan(0);
    expect(p.releaseYear.weight).toBeGreaterThan(0);
  });

  it('decays old contributions by the half-life: a recent taste outweighs an old one', () => {
    const events = [ev('1', 'like', T0), ev('31', 'like', T0 + 3 * 365 * DAY)];
    const short = replay(events, { halfLifeDays: 30 });
    const long = replay(events, { halfLifeDays: 10_000_000 });
    expect(short.genreAffinity['Horror']).toBeGreaterThan(0.99 * 2 / (short.weight));
    expect((short.genreAffinity['Sci-Fi'] as number)).toBeLessThan(0.001);
    expect(long.genreAffinity['Sci-Fi']).toBeCloseTo(long.genreAffinity['Horror'] as number, 3);
  });

  it('is pure, counts unknown items as seen without moving means, and keeps the latest event per item', () => {
    const p0 = replay([ev('1', 'like', T0)]);
    const before = Float32Array.from(p0.embedding);
    const p1 = applyEvent(p0, ev('not-in-catalog', 'view', T0 + DAY), catalog);
    expect(Array.from(p0.embedding)).toEqual(Array.from(before));
    expect(Array.from(p1.embedding)).toEqual(Array.from(before));
    expect(p1.seen.map((s) => s.itemId)).toEqual(['1', 'not-in-catalog']);
    const p2 = applyEvent(p1, ev('1', 'view', T0 + 2 * DAY), catalog);
    expect(p2.seen.map((s) => [s.itemId, s.weight])).toEqual([['not-in-catalog', 0.5], ['1', 0.5]]);
    const bounded = replay(['1', '2', '3', '4'].map((id, k) => ev(id, 'view', T0 + k)), { maxSeen: 2 });
    expect(bounded.seen.map((s) => s.itemId)).toEqual(['3', '4']);
  });

  it('treats an out-of-order event as happening now with its weight decayed by its age', () => {
    const inOrder = replay([ev('31', 'like', T0), ev('1', 'like', T0 + 10 * DAY)]);
    const late = replay([ev('1', 'like', T0 + 10 * DAY), ev('31', 'like', T0)]);
    expect(late.lastEventMs).toBe(T0 + 10 * DAY);
    expect(late.weight).toBeCloseTo(inOrder.weight, 10);
    expect(late.genreAffinity['Horror']).toBeCloseTo(inOrder.genreAffinity['Horror'] as number, 10);
  });

  it('rejects malformed events and another user\'s event, naming the field', () => {
    const p = emptyProfile('u', 64);
    expect(() => applyEvent(p, { ...ev('1', 'rate', T0) }, catalog)).toThrow(/event\.value/);
    expect(() => applyEvent(p, { ...ev('1', 'view', T0), type: 'share' as never }, catalog)).toThrow(/event\.type/);
    expect(() => applyEvent(p, { ...ev('', 'view', T0) }, catalog)).toThrow(/event\.itemId/);
    expect(() => applyEvent(p, { ...ev('1', 'view', NaN) }, catalog)).toThrow(/event\.ts/);
    expect(() => applyEvent(p, { ...ev('1', 'view', T0), userId: 'v' }, catalog)).toThrow(/not the profile's user/);
    expect(() => applyEvent(p, ev('1', 'view', T0), catalog, { halfLifeDays: 0 })).toThrow(/halfLifeDays/);
  });
});
