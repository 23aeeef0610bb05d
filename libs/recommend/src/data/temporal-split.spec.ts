import type { Interaction } from './catalog-item';
import { splitByUserTime } from './temporal-split';

const rate = (userId: string, itemId: string, ts: number): Interaction => ({ userId, itemId, type: 'rate', value: 4, ts });

describe('splitByUserTime', () => {
  it("puts each user's last floor(20%) by time in test, keeping input order", () => {
    // user a: 10 interactions given in reverse time order → the two latest (i9, i8) are test
    const a = Array.from({ length: 10 }, (_, k) => rate('a', `i${9 - k}`, 1000 - k));
    const b = Array.from({ length: 4 }, (_, k) => rate('b', `j${k}`, k)); // floor(0.8) = 0: all train
    const { train, test } = splitByUserTime([...a, ...b]);
    expect(test.map((x) => x.itemId)).toEqual(['i9', 'i8']);
    expect(train.map((x) => x.itemId)).toEqual(['i7', 'i6', 'i5', 'i4', 'i3', 'i2', 'i1', 'i0', 'j0', 'j1', 'j2', 'j3']);
  });

  it('orders equal timestamps by input position', () => {
    const xs = Array.from({ length: 5 }, (_, k) => rate('u', `i${k}`, 7));
    expect(splitByUserTime(xs).test.map((x) => x.itemId)).toEqual(['i4']);
  });

  it('carves validation the same way from train, and honours testFraction', () => {
    const xs = Array.from({ length: 20 }, (_, k) => rate('u', `i${k}`, k));
    const { train, test } = splitByUserTime(xs, { testFraction: 0.25 });
    expect(test).toHaveLength(5);
    const inner = splitByUserTime(train);
    expect(inner.test.map((x) => x.itemId)).toEqual(['i12', 'i13', 'i14']);
    expect(splitByUserTime(xs, { testFraction: 0 }).test).toEqual([]);
  });

  it('rejects a bad fraction or timestamp', () => {
    expect(() => splitByUserTime([], { testFraction: 1 })).toThrow(/testFraction must be in \[0, 1\)/);
    expect(() => splitByUserTime([rate('u', 'i', Number.NaN)])).toThrow(/interactions\[0\]\.ts/);
  });
});
