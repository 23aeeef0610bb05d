import type { Interaction } from '../data/catalog-item';
import { IdIndex } from '../data/id-index';
import { buildUserItemMatrix, itemCounts, rowItems } from '../data/user-item-matrix';
import { sortedHas } from './metrics';

/** The protocol: relevant = rating >= 3.5; cold item = fewer than 5 training interactions. */
export const DEFAULT_RELEVANT_MIN = 3.5;
export const DEFAULT_COLD_BELOW = 5;

export interface EvalTaskInput {
  /** The catalog numbering every scorer scores over; rankings cover all of it. */
  readonly items: IdIndex;
  readonly train: readonly Interaction[];
  readonly test: readonly Interaction[];
  /** A test interaction is relevant when its value is at least this (one without a value is relevant). Default 3.5. */
  readonly relevantMin?: number;
  /** A test item is cold when it has fewer than this many training users. Default 5. */
  readonly coldBelow?: number;
}

/** One evaluated user; every list holds item indices, ascending. */
export interface EvalUser {
  readonly id: string;
  /** Items the user has in training: left out of the ranking. */
  readonly seen: Int32Array;
  /** Relevant test items not seen in training (never empty). */
  readonly relevant: Int32Array;
  /** The cold ones among `relevant` (may be empty). */
  readonly coldRelevant: Int32Array;
}

export interface EvalTaskStats {
  readonly testInteractions: number;
  /** Test interactions whose item is not in the catalog (dropped). */
  readonly unknownItems: number;
  /** Test (user, item) pairs already in the user's training history (not rankable, dropped). */
  readonly seenInTrain: number;
  /** Users with test interactions but none relevant (not evaluated). */
  readonly usersWithoutRelevant: number;
  /** Evaluated users with no training history (cold users). */
  readonly usersWithoutTrain: number;
  readonly coldUsers: number;
}

export interface EvalTask {
  readonly items: IdIndex;
  readonly users: readonly EvalUser[];
  /** Distinct training users per item. */
  readonly trainCounts: Int32Array;
  readonly coldBelow: number;
  readonly stats: EvalTaskStats;
}

/**
 * The users to evaluate and their lists: full ranking over every catalog item the user has
 * not interacted with in `train`; relevant = test items with value >= relevantMin; cold-item
 * NDCG uses the same ranking with only the cold relevant items counted as hits.
 */
export function buildEvalTask(input: EvalTaskInput): EvalTask {
  const relevantMin = input.relevantMin ?? DEFAULT_RELEVANT_MIN;
  const coldBelow = input.coldBelow ?? DEFAULT_COLD_BELOW;
  if (!Number.isFinite(relevantMin)) throw new RangeError(`relevantMin must be a finite number, got ${String(relevantMin)}`);
  if (!(Number.isInteger(coldBelow) && coldBelow >= 1)) throw new RangeError(`coldBelow must be a whole number >= 1, got ${String(coldBelow)}`);
  if (!(input.items instanceof IdIndex)) throw new TypeError('items must be an IdIndex');
  const { items } = input;
  const { matrix: train } = buildUserItemMatrix(input.train, items);
  const trainCounts = itemCounts(train);
  // Repeated test pairs merge (the latest decides relevance); unknown items are counted, not kept.
  const { matrix: test, unknownItems } = buildUserItemMatrix(input.test, items);

  const users: EvalUser[] = [];
  let seenInTrain = 0;
  let usersWithoutRelevant = 0;
  let usersWithoutTrain = 0;
  let coldUsers = 0;
  for (let t = 0; t < test.users.size; t++) {
    const id = test.users.idAt(t);
    const seen = rowItems(train, train.users.indexOf(id)).slice();
    const rel: number[] = [];
    const cold: number[] = [];
    for (let p = test.indptr[t] as number; p < (test.indptr[t + 1] as number); p++) {
      const item = test.indices[p] as number;
      if (sortedHas(seen, item)) {
        seenInTrain++;
        continue;
      }
      if ((test.values[p] as number) < relevantMin) continue;
      rel.push(item);
      if ((trainCounts[item] as number) < coldBelow) cold.push(item);
    }
    if (rel.length === 0) {
      usersWithoutRelevant++;
      continue;
    }
    if (seen.length === 0) usersWithoutTrain++;
    if (cold.length > 0) coldUsers++;
    users.push({ id, seen, relevant: Int32Array.from(rel), coldRelevant: Int32Array.from(cold) });
  }
  return {
    items,
    users,
    trainCounts,
    coldBelow,
    stats: { testInteractions: input.test.length, unknownItems, seenInTrain, usersWithoutRelevant, usersWithoutTrain, coldUsers },
  };
}
