import type { Interaction } from '../data/catalog-item';
import { IdIndex } from '../data/id-index';
import { buildEvalTask } from './eval-task';
import { evaluate } from './evaluate';
import type { Scorer } from './scorer';

const r = (userId: string, itemId: string, value: number, ts = 0): Interaction => ({ userId, itemId, type: 'rate', value, ts });

/** A scorer with fixed scores per user (item order of the index). */
const fixed = (name: string, scores: Record<string, number[]>, n: number): Scorer => ({
  name,
  scoreUser: (id) => Float32Array.from(scores[id] ?? new Array<number>(n).fill(0)),
});

describe('buildEvalTask', () => {
  const items = IdIndex.of(['a', 'b', 'c', 'd', 'e', 'f']);
  const train = [r('u1', 'a', 5), r('u1', 'b', 2), r('u2', 'a', 4), r('u3', 'a', 4), r('u3', 'c', 4)];
  const test = [
    r('u1', 'c', 4), r('u1', 'd', 3), r('u1', 'a', 5), r('u1', 'zz', 5), // a: seen in train; zz: unknown
    r('u2', 'e', 1), // nothing relevant
    r('u4', 'b', 4), // no training history
  ];

  it('keeps relevant (>= 3.5), unseen, known test items and marks the cold ones (< 5 training users)', () => {
    const task = buildEvalTask({ items, train, test });
    expect(task.users.map((u) => u.id)).toEqual(['u1', 'u4']);
    const [u1, u4] = task.users;
    expect([...(u1?.seen ?? [])]).toEqual([0, 1]);
    expect([...(u1?.relevant ?? [])]).toEqual([2]);
    expect([...(u1?.coldRelevant ?? [])]).toEqual([2]); // c has 1 training user
    expect([...(u4?.seen ?? [])]).toEqual([]);
    expect([...task.trainCounts]).toEqual([3, 1, 1, 0, 0, 0]);
    expect(task.stats).toEqual({ testInteractions: 6, unknownItems: 1, seenInTrain: 1, usersWithoutRelevant: 1, usersWithoutTrain: 1, coldUsers: 2 });
  });

  it('honours relevantMin and coldBelow', () => {
    const task = buildEvalTask({ items, train, test, relevantMin: 3, coldBelow: 1 });
    expect([...(task.users[0]?.relevant ?? [])]).toEqual([2, 3]);
    expect([...(task.users[0]?.coldRelevant ?? [])]).toEqual([3]); // only d has no training user
    expect(task.stats.coldUsers).toBe(1);
    expect(() => buildEvalTask({ items, train, test, coldBelow: 0 })).toThrow(/coldBelow/);
    expect(() => buildEvalTask({ items, train, test, relevantMin: Number.NaN })).toThrow(/relevantMin/);
  });
});

describe('evaluate', () => {
  const items = IdIndex.of(['a', 'b', 'c', 'd']);
  // u1 saw a, relevant c; u2 saw b, relevant a and d; a has 5 training users, the rest fewer
  const train = [r('u1', 'a', 4), r('u2', 'b', 4), r('u3', 'a', 4), r('u4', 'a', 4), r('u5', 'a', 4), r('u6', 'a', 4)];
  const test = [r('u1', 'c', 5), r('u2', 'a', 5), r('u2', 'd', 4)];
  const task = buildEvalTask({ items, train, test });

  it('excludes training items, averages the metrics over users and cold NDCG over users with cold items', () => {
    // u1: a (seen) is top but excluded → ranking c, b, d: hit at rank 1
    // u2: b (seen) excluded → ranking c, a, d: hits at ranks 2 and 3
    const scorer = fixed('fixed', { u1: [9, 1, 5, 0], u2: [2, 9, 3, 1] }, 4);
    const tops: Record<string, number[]> = {};
    const res = evaluate(scorer, task, (id, top) => (tops[id] = [...top]));
    expect(tops).toEqual({ u1: [2, 1, 3], u2: [2, 0, 3] });
    const u2Ndcg = (1 / Math.log2(3) + 1 / Math.log2(4)) / (1 + 1 / Math.log2(3));
    expect(res.users).toBe(2);
    expect(res.ndcg10).toBeCloseTo((1 + u2Ndcg) / 2, 12);
    expect(res.hr10).toBe(1);
    expect(res.recall20).toBe(1);
    // cold items (< 5 training users): c for u1, d for u2 (a has 5)
    expect(res.coldUsers).toBe(2);
    expect(res.coldNdcg10).toBeCloseTo((1 + 1 / Math.log2(4)) / 2, 12);
  });

  it('rejects a scorer returning the wrong length', () => {
    expect(() => evaluate(fixed('short', { u1: [1, 2], u2: [1, 2] }, 2), task)).toThrow(/must return a Float32Array of 4 scores, got 2/);
  });
});
