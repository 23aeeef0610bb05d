import { emptyProfile, type UserProfile } from '@tuneline/recommend';
import { recentLikedItems, warmTextNeighbours } from './warm-neighbours';

const user = (id: string, seen: [string, number][]): UserProfile => ({ ...emptyProfile(id, 2), seen: seen.map(([itemId, weight], ts) => ({ itemId, weight, ts })) });

describe('warming the text-neighbour memo', () => {
  it('takes each user\'s latest liked items (not disliked, not unknown), each once', () => {
    const indexOf = (id: string) => ['a', 'b', 'c', 'd'].indexOf(id);
    expect(recentLikedItems([user('u1', [['a', 1], ['b', -1], ['zz', 2], ['c', 0.5]]), user('u2', [['c', 2], ['d', 1]])], indexOf, 2).sort()).toEqual([2, 3]);
    expect(recentLikedItems([user('u1', [['a', 1], ['b', -1], ['c', 0.5]])], indexOf).sort()).toEqual([0, 2]);
  });

  it('asks for every item\'s neighbours between event-loop turns, and stops when aborted', async () => {
    const asked: number[] = [];
    const neighbours = { of: (i: number) => (asked.push(i), { items: new Int32Array(), similarities: new Float32Array() }) };
    expect(await warmTextNeighbours(neighbours, [5, 6, 7], new AbortController().signal, 2)).toMatchObject({ items: 3, stopped: false });
    expect(asked).toEqual([5, 6, 7]);
    const stop = new AbortController();
    stop.abort();
    expect(await warmTextNeighbours(neighbours, [1, 2], stop.signal)).toMatchObject({ items: 0, stopped: true });
  });
});
