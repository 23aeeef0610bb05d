import { checkInteraction } from '../profile/apply-event';
import type { Interaction } from '../data/catalog-item';

export interface ItemPopularityOptions {
  /** Half-life of the trend counter, days. Default 90. */
  readonly trendHalfLifeDays?: number;
  /** Ratings of the global mean added to each item's mean rating (shrinkage). Default 5. */
  readonly ratingPrior?: number;
}

const DAY_MS = 86_400_000;

/**
 * Per-item counters, updated online from events (catalog indices): distinct-event count,
 * rating sum, and a trend, an exponentially decayed event count (so "popular lately" is
 * one multiply away at any time). Reads are as of a time `t`, so an offline replay can ask
 * for the trend at a user's own moment.
 */
export class ItemPopularity {
  private counts = new Float64Array(0);
  private ratingSum = new Float64Array(0);
  private ratingCount = new Float64Array(0);
  private trend = new Float64Array(0);
  private trendTs = new Float64Array(0);
  private totalRating = 0;
  private totalRatings = 0;
  private readonly halfLife: number;
  private readonly prior: number;

  constructor(options: ItemPopularityOptions = {}) {
    const days = options.trendHalfLifeDays ?? 90;
    if (!(days > 0)) throw new RangeError(`trendHalfLifeDays must be > 0, got ${String(days)}`);
    this.prior = options.ratingPrior ?? 5;
    if (!(this.prior >= 0)) throw new RangeError(`ratingPrior must be >= 0, got ${String(this.prior)}`);
    this.halfLife = days * DAY_MS;
  }

  get size(): number {
    return this.counts.length;
  }

  /** Counts one event on item `index`. */
  record(index: number, event: Pick<Interaction, 'type' | 'value' | 'ts'>): void {
    if (!Number.isInteger(index) || index < 0) throw new RangeError(`index must be an item index >= 0, got ${String(index)}`);
    this.ensure(index);
    this.counts[index] = (this.counts[index] as number) + 1;
    if (event.type === 'rate' && typeof event.value === 'number') {
      this.ratingSum[index] = (this.ratingSum[index] as number) + event.value;
      this.ratingCount[index] = (this.ratingCount[index] as number) + 1;
      this.totalRating += event.value;
      this.totalRatings++;
    }
    const last = this.trendTs[index] as number;
    if (event.ts >= last) {
      this.trend[index] = (this.trend[index] as number) * 2 ** (-(event.ts - last) / this.halfLife) + 1;
      this.trendTs[index] = event.ts;
    } else {
      this.trend[index] = (this.trend[index] as number) + 2 ** (-(last - event.ts) / this.halfLife);
    }
  }

  /** Replays interactions (ids through `indexOf`; unknown items skipped). */
  recordAll(interactions: readonly Interaction[], indexOf: (id: string) => number): void {
    interactions.forEach((x, i) => {
      checkInteraction(x, `interactions[${i}]`);
      const index = indexOf(x.itemId);
      if (index >= 0) this.record(index, x);
    });
  }

  countOf(index: number): number {
    return index < this.counts.length ? (this.counts[index] as number) : 0;
  }

  /** Mean rating shrunk to the global mean by `ratingPrior` ratings; the global mean for unrated items. */
  meanRatingOf(index: number): number {
    const g = this.totalRatings ? this.totalRating / this.totalRatings : 0;
    const n = index < this.ratingCount.length ? (this.ratingCount[index] as number) : 0;
    const s = index < this.ratingSum.length ? (this.ratingSum[index] as number) : 0;
    return (s + this.prior * g) / (n + this.prior || 1);
  }

  /** The decayed event count of `index` at time `t` (events after t count as at t). */
  trendOf(index: number, t: number): number {
    if (index >= this.trend.length) return 0;
    const last = this.trendTs[index] as number;
    return (this.trend[index] as number) * (t >= last ? 2 ** (-(t - last) / this.halfLife) : 1);
  }

  private ensure(index: number): void {
    if (index < this.counts.length) return;
    const size = Math.max(index + 1, this.counts.length * 2, 16);
    const grow = (a: Float64Array) => {
      const b = new Float64Array(size);
      b.set(a);
      return b;
    };
    this.counts = grow(this.counts);
    this.ratingSum = grow(this.ratingSum);
    this.ratingCount = grow(this.ratingCount);
    this.trend = grow(this.trend);
    this.trendTs = grow(this.trendTs);
  }
}
