import type { CatalogItem } from '../data/catalog-item';
import { itemText } from './item-text';

/** Inline items whose vectors are remembered by default (384-d: about 15 MB). */
export const DEFAULT_INLINE_CACHE_ITEMS = 10_000;

/**
 * Embeddings of Rank's inline items, which are scored but never enter the catalog: a
 * request must not grow the shared catalog (unbounded memory, every replica different) nor
 * change its revision (which would flush the text-neighbour memo). A bounded LRU keyed by
 * the item's text spares the encoder when a caller sends the same items again; past
 * `maxItems` the least recently used is dropped (0 keeps none).
 */
export class InlineEmbeddings {
  private readonly memo = new Map<string, Float32Array>();

  constructor(private readonly embed: (texts: readonly string[]) => Promise<Float32Array[]>, readonly maxItems = DEFAULT_INLINE_CACHE_ITEMS) {
    if (typeof embed !== 'function') throw new TypeError('embed must be a function (texts) => Promise<Float32Array[]>');
    if (!Number.isInteger(maxItems) || maxItems < 0) throw new RangeError(`maxItems must be an integer >= 0, got ${String(maxItems)}`);
  }

  get size(): number {
    return this.memo.size;
  }

  /** One unit vector per item, in order; the encoder sees only texts not remembered. */
  async of(items: readonly CatalogItem[]): Promise<Float32Array[]> {
    const texts = items.map(itemText);
    // Read the hits first: remembering this call's items may evict some of them.
    const found = new Map<string, Float32Array>();
    for (const t of texts) {
      const v = this.memo.get(t);
      if (v) found.set(t, v);
    }
    const missing = [...new Set(texts.filter((t) => !found.has(t)))];
    if (missing.length) {
      const vectors = await this.embed(missing);
      if (vectors.length !== missing.length) throw new RangeError(`embed returned ${vectors.length} vectors for ${missing.length} texts`);
      vectors.forEach((v, i) => found.set(missing[i] as string, v));
    }
    return texts.map((t) => {
      const v = found.get(t) as Float32Array;
      this.remember(t, v);
      return v;
    });
  }

  private remember(text: string, vector: Float32Array): void {
    if (this.maxItems === 0) return;
    this.memo.delete(text);
    this.memo.set(text, vector);
    if (this.memo.size > this.maxItems) this.memo.delete(this.memo.keys().next().value as string);
  }
}
