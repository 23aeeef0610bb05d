import { IdIndex } from '../data/id-index';
import type { Interaction } from '../data/catalog-item';
import { SequenceTransitions } from './sequence-transitions';

const like = (userId: string, itemId: string, ts: number): Interaction => ({ userId, itemId, type: 'like', ts });

describe('SequenceTransitions', () => {
  it('links each new like back to the previous ones with weight 1/distance, in one direction', () => {
    const seq = new SequenceTransitions({ window: 2 });
    seq.add(0, []);
    seq.add(1, [0]);
    seq.add(2, [0, 1]); // 1 → 2 (1), 0 → 2 (1/2)
    seq.add(3, [0, 1, 2]); // window 2: 2 → 3 (1), 1 → 3 (1/2); 0 is out of reach
    expect(Array.from(seq.successors(0).items)).toEqual([1, 2]);
    expect(Array.from(seq.successors(0).weights)).toEqual([1, 0.5]);
    expect(Array.from(seq.successors(1).items)).toEqual([2, 3]);
    expect(seq.successors(3).items).toHaveLength(0); // nothing came after 3
  });

  it('scores what follows the latest likes most: the p-th latest weighs 1/p, smoothed by out-weight', () => {
    const seq = new SequenceTransitions({ window: 1, smoothing: 0 });
    seq.add(1, [0]); // 0 → 1
    seq.add(3, [2]); // 2 → 3
    const s = seq.scoreHistory([0, 2], 5); // 2 is the latest like, 0 the one before
    expect(s[3]).toBeCloseTo(1, 6);
    expect(s[1]).toBeCloseTo(0.5, 6);
    expect(s[0]).toBe(0);
  });

  it('fits from interactions in time order per user, skipping non-likes and repeats', () => {
    const xs = [like('a', 'y', 2), like('a', 'x', 1), like('a', 'y', 3), { ...like('a', 'z', 4), type: 'rate' as const, value: 1 }, like('b', 'z', 1), like('b', 'x', 2)];
    const items = IdIndex.of(['x', 'y', 'z']);
    const seq = SequenceTransitions.fitFromInteractions(xs, items, (x) => x.type !== 'rate' || (x.value ?? 0) >= 3.5);
    expect(Array.from(seq.successors(0).items)).toEqual([1]); // a: x then y (the repeat and the 1-star z ignored)
    expect(Array.from(seq.successors(2).items)).toEqual([0]); // b: z then x
    expect(() => seq.add(-1, [])).toThrow(/item/);
    expect(() => new SequenceTransitions({ window: 0 })).toThrow(/window/);
  });
});
