import type { Interaction } from '../data/catalog-item';
import { IdIndex } from '../data/id-index';
import { buildUserItemMatrix } from '../data/user-item-matrix';
import { ItemKnnScorer } from './item-knn';
import { PopularityScorer } from './popularity';

const v = (userId: string, itemId: string): Interaction => ({ userId, itemId, type: 'view', ts: 0 });

// Users × items a b c d:  u1: a b c   u2: a b   u3: a d   u4: c
const items = IdIndex.of(['a', 'b', 'c', 'd']);
const { matrix } = buildUserItemMatrix([v('u1', 'a'), v('u1', 'b'), v('u1', 'c'), v('u2', 'a'), v('u2', 'b'), v('u3', 'a'), v('u3', 'd'), v('u4', 'c')], items);

describe('PopularityScorer', () => {
  it('scores every item by its number of training users, the same for everyone', () => {
    const pop = PopularityScorer.fit(matrix);
    expect([...pop.scoreUser('u1')]).toEqual([3, 2, 2, 1]);
    expect(pop.scoreUser('nobody')).toBe(pop.scoreUser('u1'));
  });
});

describe('ItemKnnScorer', () => {
  it('keeps cosine neighbours, best first (hand-computed)', () => {
    const knn = ItemKnnScorer.fit(matrix);
    // a: users {1,2,3}; b {1,2}; c {1,4}; d {3}
    // cos(a,b) = 2/√6, cos(a,c) = 1/√6, cos(a,d) = 1/√3
    const a = knn.neighbours(0);
    expect([...a.items]).toEqual([1, 3, 2]);
    expect(a.similarities[0]).toBeCloseTo(2 / Math.sqrt(6), 6);
    expect(a.similarities[1]).toBeCloseTo(1 / Math.sqrt(3), 6);
    expect(a.similarities[2]).toBeCloseTo(1 / Math.sqrt(6), 6);
    expect([...knn.neighbours(3).items]).toEqual([0]); // d only co-occurs with a
  });

  it("sums each history item's similarity to its kept neighbours", () => {
    const knn = ItemKnnScorer.fit(matrix, { k: 1 });
    // k = 1: a → b (2/√6), b → a (2/√6), c → b? cos(c,a) = 1/√6, cos(c,b) = 1/2 → b; d → a (1/√3)
    const s = knn.scoreUser('u3'); // history a, d
    expect(s[0]).toBeCloseTo(1 / Math.sqrt(3), 6);
    expect(s[1]).toBeCloseTo(2 / Math.sqrt(6), 6);
    expect(s[2]).toBe(0);
    expect(s[3]).toBe(0);
    expect([...knn.scoreUser('stranger')]).toEqual([0, 0, 0, 0]);
    expect([...knn.scoreHistory(Int32Array.from([2]))].map((x) => Math.round(x * 1e6) / 1e6)).toEqual([0, 0.5, 0, 0]);
  });

  it('rejects a bad k or history', () => {
    expect(() => ItemKnnScorer.fit(matrix, { k: 0 })).toThrow(/k must be a whole number >= 1/);
    const knn = ItemKnnScorer.fit(matrix);
    expect(() => knn.scoreHistory(Int32Array.from([4]))).toThrow(/items\[0\] = 4 is outside 0..3/);
    expect(() => knn.neighbours(-1)).toThrow(RangeError);
  });
});
