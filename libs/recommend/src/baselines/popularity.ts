import { itemCounts, type UserItemMatrix } from '../data/user-item-matrix';
import type { Scorer } from '../eval/scorer';

/** Scores every item by its number of training users, whoever asks. */
export class PopularityScorer implements Scorer {
  readonly name = 'popularity';

  private constructor(private readonly scores: Float32Array) {}

  static fit(matrix: UserItemMatrix): PopularityScorer {
    return new PopularityScorer(Float32Array.from(itemCounts(matrix)));
  }

  /** The same shared array for every user: read it, do not write it. */
  scoreUser(_userId: string): Float32Array {
    return this.scores;
  }
}
