import type { Interaction } from '@tuneline/recommend';
import { RecentHistory } from './recent-history';

const like = (userId: string, itemId: string, ts: number): Interaction => ({ userId, itemId, type: 'like', ts });

describe('RecentHistory', () => {
  it('returns the items before each event; a new user is seeded with the stored items older than the event', async () => {
    const h = new RecentHistory(10, 3);
    const seed = async () => [{ itemId: 'old', weight: 1, ts: 1 }, { itemId: 'same-time', weight: 1, ts: 5 }];
    expect((await h.next(like('u', 'a', 5), seed))?.map((s) => s.itemId)).toEqual(['old']);
    expect((await h.next(like('u', 'b', 6), seed))?.map((s) => s.itemId)).toEqual(['old', 'a']);
    // A repeat moves the item to the end; at most perUser items are kept.
    await h.next(like('u', 'old', 7), seed);
    expect((await h.next(like('u', 'c', 8), seed))?.map((s) => s.itemId)).toEqual(['a', 'b', 'old']);
  });

  it('given positions, returns undefined for a redelivered record (at or before the last offset seen on its partition) and records nothing', async () => {
    const h = new RecentHistory(10, 5);
    const none = async () => undefined;
    const at = (offset: string, partition = 'user.events:0') => ({ partition, offset });
    expect(await h.next(like('u', 'a', 1), none, at('10'))).toEqual([]);
    expect((await h.next(like('u', 'b', 2), none, at('11')))?.map((s) => s.itemId)).toEqual(['a']);
    // The feed's consumer restarted before committing: 10 and 11 come again.
    expect(await h.next(like('u', 'a', 1), none, at('10'))).toBeUndefined();
    expect(await h.next(like('u', 'b', 2), none, at('11'))).toBeUndefined();
    // Offsets compare as numbers, not text; other partitions keep their own.
    expect((await h.next(like('u', 'c', 3), none, at('9', 'user.events:1')))?.map((s) => s.itemId)).toEqual(['a', 'b']);
    expect((await h.next(like('u', 'd', 4), none, at('100')))?.map((s) => s.itemId)).toEqual(['a', 'b', 'c']);
  });

  it('keeps at most maxUsers, dropping the least recently active', async () => {
    const h = new RecentHistory(2, 5);
    const none = async () => undefined;
    await h.next(like('u1', 'a', 1), none);
    await h.next(like('u2', 'a', 1), none);
    await h.next(like('u1', 'b', 2), none);
    await h.next(like('u3', 'a', 1), none);
    expect(h.size).toBe(2);
    let seeded = false;
    await h.next(like('u2', 'z', 3), async () => ((seeded = true), undefined));
    expect(seeded).toBe(true); // u2 was dropped, so it is seeded again
    expect(() => new RecentHistory(0)).toThrow(RangeError);
  });
});
