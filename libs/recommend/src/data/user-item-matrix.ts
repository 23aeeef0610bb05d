import type { Interaction } from './catalog-item';
import { IdIndex } from './id-index';

/**
 * Users × items in compressed sparse rows: row u holds the items of user u, ascending,
 * in indices[indptr[u] .. indptr[u+1]) with their values alongside. The models read these
 * typed arrays directly (no per-interaction objects in their loops).
 */
export interface UserItemMatrix {
  readonly users: IdIndex;
  readonly items: IdIndex;
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  /** The interaction's value (a rating), or 1 when it has none. */
  readonly values: Float32Array;
}

/** Items × users: the same entries by column (rows ascending per item). */
export interface ItemUserColumns {
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
}

export interface BuildMatrixOptions {
  /** Row numbering; users not in it are added at the end. Default: users in order of first interaction. */
  readonly users?: IdIndex;
  /** Keep only interactions whose value is at least this (interactions without a value count as 1). */
  readonly minValue?: number;
}

export interface BuiltMatrix {
  readonly matrix: UserItemMatrix;
  /** Interactions dropped because their item is not in `items`. */
  readonly unknownItems: number;
  /** Interactions dropped by `minValue`. */
  readonly belowMinValue: number;
  /** Repeated (user, item) pairs merged into one entry (the latest by `ts` gives the value). */
  readonly merged: number;
}

/** Builds the CSR matrix of `interactions` over the fixed item numbering `items` (the catalog). */
export function buildUserItemMatrix(interactions: readonly Interaction[], items: IdIndex, options: BuildMatrixOptions = {}): BuiltMatrix {
  if (!(items instanceof IdIndex)) throw new TypeError('items must be an IdIndex');
  const { minValue } = options;
  if (minValue !== undefined && !Number.isFinite(minValue)) throw new RangeError(`minValue must be a finite number, got ${String(minValue)}`);
  const users = options.users ?? new IdIndex();
  const n = interactions.length;
  const rowOf = new Int32Array(n);
  const colOf = new Int32Array(n);
  let unknownItems = 0;
  let belowMinValue = 0;
  for (let k = 0; k < n; k++) {
    const x = interactions[k] as Interaction;
    const col = items.indexOf(x.itemId);
    const value = x.value ?? 1;
    if (col < 0) {
      unknownItems++;
      colOf[k] = -1;
    } else if (minValue !== undefined && value < minValue) {
      belowMinValue++;
      colOf[k] = -1;
    } else {
      colOf[k] = col;
    }
    rowOf[k] = colOf[k] < 0 ? -1 : users.add(x.userId);
  }
  // Bucket the kept interactions by row (counting sort), then sort and merge each row.
  const nUsers = users.size;
  const start = new Int32Array(nUsers + 1);
  for (let k = 0; k < n; k++) if (rowOf[k] >= 0) start[(rowOf[k] as number) + 1]++;
  for (let u = 0; u < nUsers; u++) start[u + 1] += start[u] as number;
  const order = new Int32Array(start[nUsers] as number);
  const fill = start.slice(0, nUsers);
  for (let k = 0; k < n; k++) if (rowOf[k] >= 0) order[fill[rowOf[k] as number]++] = k;

  const indptr = new Int32Array(nUsers + 1);
  const indices = new Int32Array(order.length);
  const values = new Float32Array(order.length);
  let merged = 0;
  let out = 0;
  for (let u = 0; u < nUsers; u++) {
    const row = order.subarray(start[u], start[u + 1]);
    // By item, then by time, then input position: the last of a run of equal items is the latest.
    row.sort((a, b) => (colOf[a] as number) - (colOf[b] as number) || (interactions[a] as Interaction).ts - (interactions[b] as Interaction).ts || a - b);
    for (let r = 0; r < row.length; r++) {
      const k = row[r] as number;
      if (r + 1 < row.length && colOf[row[r + 1] as number] === colOf[k]) {
        merged++;
        continue;
      }
      indices[out] = colOf[k] as number;
      values[out] = (interactions[k] as Interaction).value ?? 1;
      out++;
    }
    indptr[u + 1] = out;
  }
  return {
    matrix: { users, items, indptr, indices: indices.slice(0, out), values: values.slice(0, out) },
    unknownItems,
    belowMinValue,
    merged,
  };
}

/** The column view (items × users) of `m`. */
export function itemUserColumns(m: UserItemMatrix): ItemUserColumns {
  const nItems = m.items.size;
  const nUsers = m.indptr.length - 1;
  const indptr = new Int32Array(nItems + 1);
  for (let p = 0; p < m.indices.length; p++) indptr[(m.indices[p] as number) + 1]++;
  for (let i = 0; i < nItems; i++) indptr[i + 1] += indptr[i] as number;
  const fill = indptr.slice(0, nItems);
  const indices = new Int32Array(m.indices.length);
  for (let u = 0; u < nUsers; u++) {
    for (let p = m.indptr[u] as number; p < (m.indptr[u + 1] as number); p++) indices[fill[m.indices[p] as number]++] = u;
  }
  return { indptr, indices };
}

/** Number of interactions per item (column counts). */
export function itemCounts(m: UserItemMatrix): Int32Array {
  const counts = new Int32Array(m.items.size);
  for (let p = 0; p < m.indices.length; p++) counts[m.indices[p] as number]++;
  return counts;
}

/** Items of row `u` (a view, not a copy); empty for u = -1 (a user the matrix does not know). */
export function rowItems(m: UserItemMatrix, u: number): Int32Array {
  return u < 0 ? new Int32Array(0) : m.indices.subarray(m.indptr[u], m.indptr[u + 1]);
}
