/**
 * What the evaluation loop ranks with: one score per catalog item (index order of the
 * task's `items`), higher is better. The loop only reads the array, so a scorer may return
 * a buffer it reuses or shares (popularity returns the same array for everyone). Items the
 * user saw in training are excluded by the loop, not by the scorer.
 */
export interface Scorer {
  readonly name: string;
  scoreUser(userId: string): Float32Array;
}
