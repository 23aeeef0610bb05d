import type { Interaction } from '../data/catalog-item';
import { ItemPopularity, type ItemPopularityOptions } from './item-popularity';

/**
 * Replays interactions in time order into an ItemPopularity, up to a moving time: an
 * offline evaluation reads the trend each user would have seen at their own moment
 * (`advanceTo(user's last event)`), never counts from later. Times must not go back.
 */
export class TimeSweep {
  readonly popularity: ItemPopularity;
  private readonly sorted: readonly Interaction[];
  private next = 0;
  private at = -Infinity;

  constructor(interactions: readonly Interaction[], private readonly indexOf: (itemId: string) => number, options: ItemPopularityOptions = {}) {
    this.popularity = new ItemPopularity(options);
    this.sorted = interactions.slice().sort((a, b) => a.ts - b.ts);
  }

  /** Records every interaction with ts <= t. */
  advanceTo(t: number): void {
    if (t < this.at) throw new RangeError(`advanceTo(${t}) goes back from ${this.at}`);
    this.at = t;
    while (this.next < this.sorted.length && (this.sorted[this.next] as Interaction).ts <= t) {
      const x = this.sorted[this.next++] as Interaction;
      const i = this.indexOf(x.itemId);
      if (i >= 0) this.popularity.record(i, x);
    }
  }
}
