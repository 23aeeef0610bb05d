import type { Interaction } from '../data/catalog-item';
import type { IdIndex } from '../data/id-index';

export interface CoOccurrenceOptions {
  /** Neighbours kept per item (the most co-occurring; ties to the lower index). Default 100. */
  readonly maxNeighbours?: number;
  /** A new positive pairs with at most this many of the user's latest positives. Default 200. */
  readonly window?: number;
}

export const DEFAULT_CO_OCCURRENCE_OPTIONS: Required<CoOccurrenceOptions> = { maxNeighbours: 100, window: 200 };

/**
 * Item-to-item co-occurrence of positive interactions, kept up to date online: when a user
 * likes item i, i and each of their `window` latest positives co-occur once more. Similarity
 * is cosine on binary interactions, c_ij / √(n_i·n_j) (as ItemKNN); an item keeps its
 * `maxNeighbours` strongest counts (pruned back to that size when it grows to twice it, so a
 * new pair can still climb in). Items are numbered by the caller (the catalog's indices);
 * the structure grows as new indices appear.
 */
export class CoOccurrence {
  private readonly o: Required<CoOccurrenceOptions>;
  private counts = new Float64Array(0);
  private pairs: (Map<number, number> | undefined)[] = [];

  constructor(options: CoOccurrenceOptions = {}) {
    this.o = { ...DEFAULT_CO_OCCURRENCE_OPTIONS, ...options };
    for (const k of ['maxNeighbours', 'window'] as const) {
      if (!Number.isInteger(this.o[k]) || this.o[k] < 1) throw new RangeError(`${k} must be a positive integer, got ${String(this.o[k])}`);
    }
  }

  /**
   * Replays positive interactions (value >= minValue for ratings; every implicit event)
   * in time order through `add`. Unknown items are skipped.
   */
  static fitFromInteractions(interactions: readonly Interaction[], items: IdIndex, options: CoOccurrenceOptions & { minValue?: number } = {}): CoOccurrence {
    const co = new CoOccurrence(options);
    const minValue = options.minValue ?? 3.5;
    const order = interactions.map((_, i) => i).sort((a, b) => (interactions[a] as Interaction).ts - (interactions[b] as Interaction).ts || a - b);
    const history = new Map<string, number[]>();
    for (const k of order) {
      const x = interactions[k] as Interaction;
      if (x.type === 'rate' && !((x.value ?? 0) >= minValue)) continue;
      const item = items.indexOf(x.itemId);
      if (item < 0) continue;
      let h = history.get(x.userId);
      if (!h) history.set(x.userId, (h = []));
      if (h.includes(item)) continue;
      co.add(item, h);
      h.push(item);
    }
    return co;
  }

  /** Items numbered so far (one past the highest index seen). */
  get size(): number {
    return this.pairs.length;
  }

  /** Training users (positive events) of `item`. */
  countOf(item: number): number {
    return item < this.counts.length ? (this.counts[item] as number) : 0;
  }

  /**
   * Records one new positive of `item` by a user whose earlier positives are `previous`
   * (oldest first; only the last `window` pair up). Call once per (user, item).
   */
  add(item: number, previous: readonly number[]): void {
    checkIndex(item, 'item');
    this.ensure(item);
    this.counts[item] = (this.counts[item] as number) + 1;
    for (let p = Math.max(0, previous.length - this.o.window); p < previous.length; p++) {
      const j = previous[p] as number;
      checkIndex(j, 'previous item');
      if (j === item) continue;
      this.ensure(j);
      this.bump(item, j);
      this.bump(j, item);
    }
  }

  /** `item`'s neighbours with cosine similarity, strongest first (at most maxNeighbours). */
  neighbours(item: number): { readonly items: Int32Array; readonly similarities: Float32Array } {
    checkIndex(item, 'item');
    const m = this.pairs[item];
    if (!m) return { items: new Int32Array(0), similarities: new Float32Array(0) };
    const ni = Math.max(1, this.counts[item] as number);
    const list = [...m].map(([j, c]) => [j, c / Math.sqrt(ni * Math.max(1, this.counts[j] as number))] as const)
      .sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, this.o.maxNeighbours);
    return { items: Int32Array.from(list, (e) => e[0]), similarities: Float32Array.from(list, (e) => e[1]) };
  }

  /**
   * Item-kNN scores over `nItems` items: for each history item, its neighbours' similarities
   * are added (out[j] = Σ_h sim(h, j)); `weights` scale each history item (default 1).
   */
  scoreHistory(history: ArrayLike<number>, nItems: number, weights?: ArrayLike<number>): Float32Array {
    const out = new Float32Array(nItems);
    for (let h = 0; h < history.length; h++) {
      const i = history[h] as number;
      const m = this.pairs[i];
      if (!m) continue;
      const w = weights ? (weights[h] as number) : 1;
      // max(1, n): an item only ever seen as an earlier positive (never add()ed itself) has count 0.
      const ni = Math.max(1, this.counts[i] as number);
      for (const [j, c] of m) if (j < nItems) out[j] = (out[j] as number) + (w * c) / Math.sqrt(ni * Math.max(1, this.counts[j] as number));
    }
    return out;
  }

  private ensure(item: number): void {
    if (item < this.pairs.length) return;
    const size = Math.max(item + 1, this.pairs.length * 2, 16);
    const counts = new Float64Array(size);
    counts.set(this.counts);
    this.counts = counts;
    while (this.pairs.length <= item) this.pairs.push(undefined);
  }

  private bump(i: number, j: number): void {
    let m = this.pairs[i];
    if (!m) this.pairs[i] = m = new Map();
    m.set(j, (m.get(j) ?? 0) + 1);
    if (m.size >= 2 * this.o.maxNeighbours) {
      const kept = [...m].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, this.o.maxNeighbours);
      this.pairs[i] = new Map(kept);
    }
  }
}

function checkIndex(i: number, field: string): void {
  if (!Number.isInteger(i) || i < 0) throw new RangeError(`${field} must be an item index >= 0, got ${String(i)}`);
}
