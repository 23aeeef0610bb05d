import { sampleItemCatalog } from '../testing/hashing-embed';
import { TextNeighbours } from './text-neighbours';

describe('TextNeighbours', () => {
  it('lists each item\'s k most similar others, exactly, most similar first', async () => {
    const { catalog } = await sampleItemCatalog(64);
    const tn = new TextNeighbours(catalog, { k: 5 });
    const { items, similarities } = tn.of(0);
    const m = catalog.embeddings();
    const sims = Array.from({ length: m.rows }, (_, j) => {
      let s = 0;
      for (let d = 0; d < m.dim; d++) s += (m.data[d] as number) * (m.data[j * m.dim + d] as number);
      return [j, s] as const;
    }).filter(([j]) => j !== 0).sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, 5);
    expect(Array.from(items)).toEqual(sims.map(([j]) => j));
    similarities.forEach((s, k) => expect(s).toBeCloseTo(sims[k]?.[1] as number, 5));
  });

  it('scores max similarity to a history, warms every list up front, and forgets them when the catalog changes', async () => {
    const { catalog } = await sampleItemCatalog(64);
    const tn = new TextNeighbours(catalog, { k: 3 });
    const s = tn.maxSimilarity([0, 1], catalog.size);
    expect(s.filter((x) => x > 0).length).toBeLessThanOrEqual(6);
    expect(await tn.warmUp(16)).toBe(catalog.size);
    const before = tn.of(0);
    await catalog.upsert({ ...catalog.itemAt(0), title: 'A completely different title about cooking' });
    expect(tn.of(0)).not.toBe(before);
    expect(() => tn.of(catalog.size)).toThrow(RangeError);
  });

  it('scores a vector outside the catalog as the item would score inside it, and leaves the memo alone', async () => {
    const { catalog } = await sampleItemCatalog(64);
    const tn = new TextNeighbours(catalog, { k: 3 });
    const { items, similarities } = tn.of(0);
    const nearest = items[0] as number;
    const outsider = Float32Array.from(catalog.embeddingAt(nearest));
    expect(tn.similarityOfOutside([0], outsider)).toBeCloseTo(similarities[0] as number, 5);
    // Not among item 0's 3 neighbours: the least similar item of all.
    const m = catalog.embeddings();
    let far = 1;
    let farSim = Infinity;
    for (let j = 1; j < m.rows; j++) {
      let s = 0;
      for (let d = 0; d < m.dim; d++) s += (m.data[d] as number) * (m.data[j * m.dim + d] as number);
      if (s < farSim) [far, farSim] = [j, s];
    }
    expect(tn.similarityOfOutside([0], Float32Array.from(catalog.embeddingAt(far)))).toBe(0);
    expect(tn.of(0)).toBe(tn.of(0));
    const memo = tn.of(0);
    tn.similarityOfOutside([0, 1], outsider);
    expect(tn.of(0)).toBe(memo);
    expect(() => tn.similarityOfOutside([0], new Float32Array(3))).toThrow(/expected 64/);
  });
});
