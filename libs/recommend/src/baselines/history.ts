import { rowItems, type UserItemMatrix } from '../data/user-item-matrix';

/** Training items of `userId` (ascending item indices); empty for a user the matrix does not know. */
export function historyOf(matrix: UserItemMatrix, userId: string): Int32Array {
  return rowItems(matrix, matrix.users.indexOf(userId));
}

/** Checks a caller-supplied history: item indices within the catalog. */
export function checkHistory(items: Int32Array, nItems: number): void {
  if (!(items instanceof Int32Array)) throw new TypeError('items must be an Int32Array of item indices');
  for (let p = 0; p < items.length; p++) {
    const i = items[p] as number;
    if (i < 0 || i >= nItems) throw new RangeError(`items[${p}] = ${i} is outside 0..${nItems - 1}`);
  }
}
