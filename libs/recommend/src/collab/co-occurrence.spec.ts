import { IdIndex } from '../data/id-index';
import type { Interaction } from '../data/catalog-item';
import { ItemKnnScorer } from '../baselines/item-knn';
import { buildUserItemMatrix } from '../data/user-item-matrix';
import { CoOccurrence } from './co-occurrence';

const rate = (userId: string, itemId: string, ts: number, value = 5): Interaction => ({ userId, itemId, type: 'rate', value, ts });

describe('CoOccurrence', () => {
  it('counts pairs online and scores cosine c_ij / √(n_i·n_j)', () => {
    const co = new CoOccurrence();
    co.add(0, []); // user A: 0
    co.add(1, [0]); // user A: 0, 1
    co.add(1, []); // user B: 1
    co.add(2, [1]); // user B: 1, 2
    expect(co.countOf(1)).toBe(2);
    const n = co.neighbours(1);
    expect(Array.from(n.items)).toEqual([0, 2]);
    expect(n.similarities[0]).toBeCloseTo(1 / Math.sqrt(2), 6);
    expect(Array.from(co.scoreHistory([0], 4))).toEqual([0, Math.fround(1 / Math.sqrt(2)), 0, 0]);
    expect(Array.from(co.scoreHistory([0, 2], 3, [1, 2])).map((x) => Number(x.toFixed(4)))).toEqual([0, Number((3 / Math.sqrt(2)).toFixed(4)), 0]);
  });

  it('fitted from interactions, equals ItemKNN\'s cosine on the positives (without the k cut)', () => {
    const xs = [rate('a', 'x', 1), rate('a', 'y', 2), rate('a', 'z', 3, 2), rate('b', 'y', 1), rate('b', 'z', 2), rate('c', 'x', 1), rate('c', 'y', 5)];
    const items = IdIndex.of(['x', 'y', 'z']);
    const co = CoOccurrence.fitFromInteractions(xs, items);
    const knn = ItemKnnScorer.fit(buildUserItemMatrix(xs, items, { minValue: 3.5 }).matrix);
    for (const i of [0, 1, 2]) {
      const mine = co.neighbours(i);
      const theirs = knn.neighbours(i);
      expect(Array.from(mine.items)).toEqual(Array.from(theirs.items));
      mine.similarities.forEach((s, k) => expect(s).toBeCloseTo(theirs.similarities[k] as number, 6));
    }
  });

  it('keeps at most maxNeighbours per item and pairs only the latest `window` positives', () => {
    const co = new CoOccurrence({ maxNeighbours: 2, window: 3 });
    const history: number[] = [];
    for (let i = 0; i < 10; i++) {
      co.add(i, history);
      history.push(i);
    }
    expect(co.neighbours(9).items.length).toBeLessThanOrEqual(2);
    expect(Array.from(co.neighbours(9).items).every((j) => j >= 6)).toBe(true); // only the 3 before it
    expect(() => co.add(-1, [])).toThrow(/item must be an item index/);
    expect(() => new CoOccurrence({ window: 0 })).toThrow(/window/);
  });
});
