import type { FeatureRows } from '@tuneline/finetune';
import { generateCandidates, type CandidateOptions } from '../candidates/candidate-generator';
import { FEATURE_COUNT } from '../features/feature-names';
import { seenIndices, type OfflineState } from './offline-state';

export interface RankerRowsInput {
  readonly state: OfflineState;
  /** Per user: the catalog indices they went on to like (the labels), none of them seen in `state`. */
  readonly positives: ReadonlyMap<string, ReadonlySet<number>>;
  readonly candidates: CandidateOptions;
  /** Users whose rows go to `validation` (early stopping) instead of `train`. */
  readonly isHoldout: (userId: string) => boolean;
}

export interface RankerRows {
  readonly train: FeatureRows;
  readonly validation: FeatureRows;
  /** Share of the positives that retrieval proposed (the head can only rank those). */
  readonly candidateRecall: number;
  readonly users: number;
}

class RowBuffer {
  X: number[] = [];
  labels: number[] = [];
  groups: number[] = [];
  rows(): FeatureRows {
    return { X: Float32Array.from(this.X), n: this.labels.length, labels: Uint8Array.from(this.labels), groups: Int32Array.from(this.groups) };
  }
}

/**
 * The head's training set: for each user with positives, every candidate retrieval proposes
 * (as of the user's last event) with label 1 when it is a positive, else 0, grouped by user.
 * Training on the candidates, not on random negatives, teaches the head the decision it
 * makes when serving: which of these retrieved items come first.
 */
export function rankerRows(input: RankerRowsInput): RankerRows {
  const { state } = input;
  const train = new RowBuffer();
  const validation = new RowBuffer();
  let found = 0;
  let total = 0;
  let group = 0;
  const users = [...input.positives.keys()].filter((u) => (input.positives.get(u)?.size ?? 0) > 0);
  state.forUsersInTime(users, (userId, user, extractor) => {
    const positives = input.positives.get(userId) as ReadonlySet<number>;
    const exclude = seenIndices(user.profile, state.catalog);
    const { items } = generateCandidates(user, state.popularity, state.catalog.size, exclude, input.candidates);
    const rows = extractor.rows(user, items);
    const into = input.isHoldout(userId) ? validation : train;
    let hits = 0;
    for (let r = 0; r < items.length; r++) {
      for (let j = 0; j < FEATURE_COUNT; j++) into.X.push(rows[r * FEATURE_COUNT + j] as number);
      const label = positives.has(items[r] as number) ? 1 : 0;
      hits += label;
      into.labels.push(label);
      into.groups.push(group);
    }
    found += hits;
    total += positives.size;
    group++;
  });
  return { train: train.rows(), validation: validation.rows(), candidateRecall: total ? found / total : NaN, users: group };
}
