import type { Interaction } from './catalog-item';
import { IdIndex } from './id-index';
import { buildUserItemMatrix, itemCounts, itemUserColumns, rowItems } from './user-item-matrix';

const x = (userId: string, itemId: string, value: number | undefined, ts: number): Interaction => ({ userId, itemId, type: value === undefined ? 'view' : 'rate', ...(value === undefined ? {} : { value }), ts });

describe('buildUserItemMatrix', () => {
  const items = IdIndex.of(['m0', 'm1', 'm2', 'm3']);

  it('builds sorted CSR rows, merges repeats (latest wins) and counts what it drops', () => {
    const built = buildUserItemMatrix(
      [x('u1', 'm2', 4, 1), x('u2', 'm0', 2, 1), x('u1', 'm0', 5, 2), x('u1', 'm2', 3, 5), x('u2', 'zz', 4, 1), x('u2', 'm3', undefined, 3)],
      items,
    );
    const m = built.matrix;
    expect(m.users.ids).toEqual(['u1', 'u2']);
    expect([...m.indptr]).toEqual([0, 2, 4]);
    expect([...m.indices]).toEqual([0, 2, 0, 3]);
    expect([...m.values]).toEqual([5, 3, 2, 1]);
    expect(built).toMatchObject({ unknownItems: 1, belowMinValue: 0, merged: 1 });
    expect([...rowItems(m, 1)]).toEqual([0, 3]);
    expect([...rowItems(m, -1)]).toEqual([]);
    expect([...itemCounts(m)]).toEqual([2, 0, 1, 1]);
    const cols = itemUserColumns(m);
    expect([...cols.indptr]).toEqual([0, 2, 2, 3, 4]);
    expect([...cols.indices]).toEqual([0, 1, 0, 1]);
  });

  it('keeps only values >= minValue and numbers users by a given index', () => {
    const users = IdIndex.of(['u9']);
    const built = buildUserItemMatrix([x('u1', 'm1', 3, 1), x('u1', 'm2', 4, 1)], items, { users, minValue: 3.5 });
    expect(built.matrix.users.ids).toEqual(['u9', 'u1']);
    expect([...built.matrix.indptr]).toEqual([0, 0, 1]);
    expect(built.belowMinValue).toBe(1);
  });

  it('rejects a non-index catalog and a non-finite minValue', () => {
    expect(() => buildUserItemMatrix([], ['m0'] as unknown as IdIndex)).toThrow(TypeError);
    expect(() => buildUserItemMatrix([], items, { minValue: Number.NaN })).toThrow(/minValue/);
  });
});
