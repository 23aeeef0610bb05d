import { EmbeddingCache } from '@tuneline/finetune';
import type { CatalogItem } from '../data/catalog-item';
import { IdIndex } from '../data/id-index';
import { checkCatalogItem } from './check-item';
import { itemText } from './item-text';

/** Sentence embeddings of texts, in order (e.g. `Encoder.embed` of @tuneline/inference). */
export type EmbedTexts = (texts: readonly string[]) => Promise<Float32Array[]>;

/** Where vectors are remembered across runs; libs/finetune's EmbeddingCache fits. */
export interface EmbeddingStore {
  get(text: string): Float32Array | undefined;
  put(text: string, vector: Float32Array): void;
  flush(): Promise<void>;
}

export interface ItemCatalogOptions {
  readonly embed: EmbedTexts;
  /** Width of the encoder's vectors. */
  readonly dim: number;
  /** sha256 of the encoder graph: the cache is keyed by it, so another encoder never reads these vectors. */
  readonly encoderChecksum: string;
  /** Directory of the on-disk cache (EmbeddingCache under `<cacheDir>/embeddings`); none: vectors live in memory only. */
  readonly cacheDir?: string;
  /** A store to use instead of `cacheDir` (tests). */
  readonly store?: EmbeddingStore;
  /** Texts per `embed` call. Default 64. */
  readonly embedBatch?: number;
}

export type UpsertOutcome = 'added' | 'updated' | 'unchanged';

export interface UpsertCounts {
  readonly added: number;
  readonly updated: number;
  readonly unchanged: number;
  /** Texts sent to the encoder (cache misses). */
  readonly encoded: number;
}

/** A read-only view of the catalog's embedding matrix: row i (item index i) at data[i·dim, (i+1)·dim). */
export interface EmbeddingMatrix {
  readonly data: Float32Array;
  readonly rows: number;
  readonly dim: number;
}

/**
 * The items the recommender knows, numbered densely (the index every score array uses),
 * each with an L2-normalised embedding of `itemText(item)`. An upsert whose text is
 * unchanged (e.g. only `createdAt` moved) keeps its vector; a changed text is re-embedded
 * (from the cache when that text was seen before). Upserts run one at a time, in call
 * order, so a slow embedding never lets an older version of an item overwrite a newer one.
 * Items are never removed: indices stay stable for the models built on them.
 */
export class ItemCatalog {
  private readonly index = new IdIndex();
  private readonly items: CatalogItem[] = [];
  private readonly texts: string[] = [];
  private vectors: Float32Array;
  private queue: Promise<unknown> = Promise.resolve();
  private changes = 0;

  private constructor(private readonly options: ItemCatalogOptions, private readonly store: EmbeddingStore | undefined) {
    this.vectors = new Float32Array(64 * options.dim);
  }

  static async open(options: ItemCatalogOptions): Promise<ItemCatalog> {
    if (typeof options?.embed !== 'function') throw new TypeError('embed must be a function (texts) => Promise<Float32Array[]>');
    if (!Number.isInteger(options.dim) || options.dim < 1) throw new RangeError(`dim must be a positive integer, got ${String(options.dim)}`);
    if (typeof options.encoderChecksum !== 'string' || !/^[0-9a-f]{64}$/.test(options.encoderChecksum)) {
      throw new TypeError('encoderChecksum must be the encoder\'s sha256 hex digest');
    }
    const batch = options.embedBatch ?? 64;
    if (!Number.isInteger(batch) || batch < 1) throw new RangeError(`embedBatch must be a positive integer, got ${String(batch)}`);
    const store = options.store ?? (options.cacheDir ? await EmbeddingCache.open(options.cacheDir, options.encoderChecksum, options.dim) : undefined);
    return new ItemCatalog(options, store);
  }

  get size(): number {
    return this.items.length;
  }

  get dim(): number {
    return this.options.dim;
  }

  get encoderChecksum(): string {
    return this.options.encoderChecksum;
  }

  /** Increases on every added or updated item: a cheap "did anything change" for derived data. */
  get revision(): number {
    return this.changes;
  }

  /** Item ids in index order. */
  get ids(): readonly string[] {
    return this.index.ids;
  }

  has(id: string): boolean {
    return this.index.has(id);
  }

  get(id: string): CatalogItem | undefined {
    const i = this.index.indexOf(id);
    return i < 0 ? undefined : this.items[i];
  }

  /** Index of `id`, -1 when unknown. */
  indexOf(id: string): number {
    return this.index.indexOf(id);
  }

  itemAt(index: number): CatalogItem {
    const item = this.items[index];
    if (!item) throw new RangeError(`index: ${index} outside 0..${this.items.length - 1}`);
    return item;
  }

  /** The (shared, read-only) embedding of item `index`. */
  embeddingAt(index: number): Float32Array {
    if (!(index >= 0 && index < this.items.length)) throw new RangeError(`index: ${index} outside 0..${this.items.length - 1}`);
    const d = this.options.dim;
    return this.vectors.subarray(index * d, (index + 1) * d);
  }

  /** Every embedding as one matrix; a later upsert may replace the buffer, so re-read it after one. */
  embeddings(): EmbeddingMatrix {
    return { data: this.vectors.subarray(0, this.items.length * this.options.dim), rows: this.items.length, dim: this.options.dim };
  }

  /**
   * Unit embeddings of texts that do not become catalog items (a Rank request's inline items):
   * the on-disk cache's vector when it has the text, else the encoder's. Nothing is written,
   * neither to the catalog nor to the cache, so requests can grow neither; the caller keeps a
   * bounded memo (InlineEmbeddings).
   */
  async embedDetached(texts: readonly string[]): Promise<Float32Array[]> {
    const out: (Float32Array | undefined)[] = texts.map((t) => this.store?.get(t));
    const misses = texts.filter((_, i) => out[i] === undefined);
    const batch = this.options.embedBatch ?? 64;
    const fresh: Float32Array[] = [];
    for (let s = 0; s < misses.length; s += batch) {
      const chunk = misses.slice(s, s + batch);
      const vectors = await this.options.embed(chunk);
      if (!Array.isArray(vectors) || vectors.length !== chunk.length) {
        throw new RangeError(`embed returned ${Array.isArray(vectors) ? vectors.length : typeof vectors} vectors for ${chunk.length} texts`);
      }
      fresh.push(...vectors.map((v) => normalised(v, this.options.dim)));
    }
    let next = 0;
    return out.map((v) => v ?? (fresh[next++] as Float32Array));
  }

  upsert(item: CatalogItem): Promise<UpsertOutcome> {
    return this.upsertMany([item]).then((c) => (c.added ? 'added' : c.updated ? 'updated' : 'unchanged'));
  }

  /**
   * Adds or updates items (a repeated id within the call: the last wins). Validates every
   * item before changing anything; the encoder sees only texts neither stored nor cached.
   */
  upsertMany(items: readonly CatalogItem[]): Promise<UpsertCounts> {
    if (!Array.isArray(items)) return Promise.reject(new TypeError('items must be an array of catalog items'));
    try {
      items.forEach((item, i) => checkCatalogItem(item, `items[${i}]`));
    } catch (err) {
      return Promise.reject(err);
    }
    const run = this.queue.catch(() => undefined).then(() => this.apply(items));
    this.queue = run;
    return run;
  }

  private async apply(items: readonly CatalogItem[]): Promise<UpsertCounts> {
    const latest = new Map<string, CatalogItem>();
    for (const item of items) latest.set(item.id, item);
    const pending: { item: CatalogItem; text: string; known: number }[] = [];
    const needed = new Map<string, Float32Array | undefined>();
    let added = 0;
    let updated = 0;
    for (const item of latest.values()) {
      const text = itemText(item);
      const known = this.index.indexOf(item.id);
      if (known >= 0 && this.texts[known] === text) {
        // Same text, same vector: only createdAt (or tags past the text's cap) may have moved.
        if (!sameItem(this.items[known] as CatalogItem, item)) {
          this.items[known] = item;
          updated++;
          this.changes++;
        }
        continue;
      }
      pending.push({ item, text, known });
      if (!needed.has(text)) needed.set(text, this.store?.get(text));
    }
    const misses = [...needed].filter(([, v]) => v === undefined).map(([t]) => t);
    const batch = this.options.embedBatch ?? 64;
    for (let s = 0; s < misses.length; s += batch) {
      const texts = misses.slice(s, s + batch);
      const vectors = await this.options.embed(texts);
      if (!Array.isArray(vectors) || vectors.length !== texts.length) {
        throw new RangeError(`embed returned ${Array.isArray(vectors) ? vectors.length : typeof vectors} vectors for ${texts.length} texts`);
      }
      texts.forEach((t, i) => {
        const v = normalised(vectors[i] as Float32Array, this.options.dim);
        needed.set(t, v);
        this.store?.put(t, v);
      });
    }
    if (misses.length) await this.store?.flush();
    for (const p of pending) {
      const v = needed.get(p.text) as Float32Array;
      const at = p.known >= 0 ? p.known : this.append(p.item.id);
      this.items[at] = p.item;
      this.texts[at] = p.text;
      this.vectors.set(normalised(v, this.options.dim), at * this.options.dim);
      if (p.known >= 0) updated++;
      else added++;
      this.changes++;
    }
    return { added, updated, unchanged: latest.size - added - updated, encoded: misses.length };
  }

  private append(id: string): number {
    const at = this.index.add(id);
    const d = this.options.dim;
    if ((at + 1) * d > this.vectors.length) {
      const grown = new Float32Array(this.vectors.length * 2);
      grown.set(this.vectors);
      this.vectors = grown;
    }
    return at;
  }
}

function sameItem(a: CatalogItem, b: CatalogItem): boolean {
  const list = (xs: readonly string[]) => xs.join('\u0000');
  return a.title === b.title && a.description === b.description && a.createdAt === b.createdAt
    && list(a.tags) === list(b.tags) && list(a.genres) === list(b.genres);
}

function normalised(v: Float32Array, dim: number): Float32Array {
  if (!(v instanceof Float32Array) || v.length !== dim) throw new RangeError(`embed returned a vector of ${v?.length} values, expected ${dim}`);
  let s = 0;
  for (let i = 0; i < dim; i++) s += (v[i] as number) ** 2;
  if (!(s > 0) || !Number.isFinite(s)) throw new RangeError('embed returned a zero or non-finite vector');
  if (Math.abs(s - 1) < 1e-6) return v;
  const inv = 1 / Math.sqrt(s);
  return v.map((x) => x * inv);
}
