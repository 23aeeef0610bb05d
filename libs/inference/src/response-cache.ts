import { createHash } from 'node:crypto';

/**
 * What one text's run produced: its row (probabilities or embedding) and, for fused
 * classifiers, the sentence embedding from the same run.
 */
export interface CachedResponse {
  readonly row: Float32Array;
  readonly embedding?: Float32Array | undefined;
}

/**
 * Bytes counted per entry on top of its key and arrays: the Map slot, the entry object and
 * two typed-array headers in V8 (roughly; it keeps a cache of tiny classifier rows honest).
 */
export const RESPONSE_CACHE_ENTRY_OVERHEAD_BYTES = 160;

export interface ResponseCacheStats {
  readonly entries: number;
  readonly bytes: number;
  readonly maxBytes: number;
  readonly hits: number;
  readonly misses: number;
  readonly evictions: number;
}

interface Entry {
  readonly value: CachedResponse;
  readonly bytes: number;
}

function copyOf(value: CachedResponse): CachedResponse {
  return value.embedding ? { row: value.row.slice(), embedding: value.embedding.slice() } : { row: value.row.slice() };
}

/**
 * Triton-style response cache for one model version: least-recently-used entries go first
 * once the entries' bytes would pass `maxBytes`.
 *
 * Key = model version + the text's token ids. The ids are the normalisation: two texts the
 * tokenizer maps to the same ids (extra whitespace, case for an uncased vocabulary, text past
 * the max length) get the same output from the graph, so they share an entry, and nothing
 * the graph would tell apart is merged. The ids are hashed (SHA-1) so a long text's key costs
 * 28 characters, not its length.
 *
 * Values are copied in and out: a caller that edits its rows cannot change what the next
 * caller gets. `close()` empties it for good (the version is being swapped out).
 */
export class ResponseCache {
  private readonly entries = new Map<string, Entry>();
  private totalBytes = 0;
  private hits = 0;
  private misses = 0;
  private evictions = 0;
  private closed = false;

  constructor(
    readonly maxBytes: number,
    readonly version: string,
  ) {
    if (!Number.isInteger(maxBytes) || maxBytes < 1) throw new RangeError(`response cache maxBytes: expected a positive integer, got ${maxBytes}`);
  }

  /** The key of one tokenised text under this cache's version. */
  keyOf(ids: readonly number[]): string {
    const digest = createHash('sha1').update(Int32Array.from(ids)).digest('base64');
    return `${this.version}\u0000${digest}`;
  }

  /** A copy of the cached value (now most recently used), or undefined; counts a hit or a miss. */
  get(key: string): CachedResponse | undefined {
    const entry = this.entries.get(key);
    if (!entry) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    // Re-inserting moves the key to the end of the Map's order: the most recent.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return copyOf(entry.value);
  }

  /** Stores a copy; evicts the least recently used until it fits. An entry bigger than the whole cache is not stored. */
  set(key: string, value: CachedResponse): void {
    if (this.closed) return;
    const bytes = key.length * 2 + value.row.byteLength + (value.embedding?.byteLength ?? 0) + RESPONSE_CACHE_ENTRY_OVERHEAD_BYTES;
    if (bytes > this.maxBytes) return;
    this.remove(key);
    while (this.totalBytes + bytes > this.maxBytes) {
      const oldest = this.entries.keys().next().value as string;
      this.remove(oldest);
      this.evictions++;
    }
    this.entries.set(key, { value: copyOf(value), bytes });
    this.totalBytes += bytes;
  }

  /** Empties the cache and refuses further entries (results of runs still in flight are dropped). */
  close(): void {
    this.closed = true;
    this.entries.clear();
    this.totalBytes = 0;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  get size(): number {
    return this.entries.size;
  }

  stats(): ResponseCacheStats {
    return { entries: this.entries.size, bytes: this.totalBytes, maxBytes: this.maxBytes, hits: this.hits, misses: this.misses, evictions: this.evictions };
  }

  private remove(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.totalBytes -= entry.bytes;
  }
}
