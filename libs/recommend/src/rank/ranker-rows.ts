import type { FeatureRows } from '@tuneline/finetune';
import { generateCandidates, type CandidateOptions } from '../candidates/candidate-generator';
import { FEATURE_COUNT } from '../features/feature-names';
import { seenIndices, type OfflineState } from './offline-state';

export interface RankerRowsInput {
  readonly state: OfflineState;
  /** Per user: the catalog indices they went on to like (the labels), none of them seen in `state`. */
  readonly positives: ReadonlyMap<string, ReadonlySet<number>>;
  readonly candidates: CandidateOptions;
}

export interface RankerRows {
  /** Every row; group g is the user `groupUsers[g]`. */
  readonly rows: FeatureRows;
  readonly groupUsers: readonly string[];
  /** Share of the positives that retrieval proposed (the head can only rank those). */
  readonly candidateRecall: number;
}

/** Splits rows by group: `inValidation(group)` rows go to `validation`. */
export function splitRows(rows: FeatureRows, inValidation: (group: number) => boolean): { train: FeatureRows; validation: FeatureRows } {
  const d = rows.n ? rows.X.length / rows.n : 0;
  const pick = (want: boolean) => {
    const idx: number[] = [];
    for (let r = 0; r < rows.n; r++) if (inValidation(rows.groups[r] as number) === want) idx.push(r);
    const X = new Float32Array(idx.length * d);
    idx.forEach((r, i) => X.set(rows.X.subarray(r * d, (r + 1) * d), i * d));
    return { X, n: idx.length, labels: Uint8Array.from(idx, (r) => rows.labels[r] as number), groups: Int32Array.from(idx, (r) => rows.groups[r] as number) };
  };
  return { train: pick(false), validation: pick(true) };
}

/**
 * The head's training set: for each user with positives, every candidate retrieval proposes
 * (as of the user's last event) with label 1 when it is a positive, else 0, grouped by user.
 * Training on the candidates, not on random negatives, teaches the head the decision it
 * makes when serving: which of these retrieved items come first.
 */
export function rankerRows(input: RankerRowsInput): RankerRows {
  const { state } = input;
  const X: number[] = [];
  const labels: number[] = [];
  const groups: number[] = [];
  const groupUsers: string[] = [];
  let found = 0;
  let total = 0;
  let group = 0;
  const users = [...input.positives.keys()].filter((u) => (input.positives.get(u)?.size ?? 0) > 0);
  state.forUsersInTime(users, (userId, user, extractor) => {
    const positives = input.positives.get(userId) as ReadonlySet<number>;
    const exclude = seenIndices(user.profile, state.catalog);
    const { items } = generateCandidates(user, state.popularity, state.catalog.size, exclude, input.candidates);
    const rows = extractor.rows(user, items);
    for (let r = 0; r < items.length; r++) {
      for (let j = 0; j < FEATURE_COUNT; j++) X.push(rows[r * FEATURE_COUNT + j] as number);
      const label = positives.has(items[r] as number) ? 1 : 0;
      found += label;
      labels.push(label);
      groups.push(group);
    }
    total += positives.size;
    groupUsers.push(userId);
    group++;
  });
  return {
    rows: { X: Float32Array.from(X), n: labels.length, labels: Uint8Array.from(labels), groups: Int32Array.from(groups) },
    groupUsers, candidateRecall: total ? found / total : NaN,
  };
}
