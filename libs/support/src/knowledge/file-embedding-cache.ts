/**
 * Embedding cache on local disk: an adapter from support's `EmbeddingCache` interface to
 * libs/finetune's `EmbeddingCache`, so the support service and the trainer share one
 * on-disk format (`<root>/embeddings/<model sha256>-<dim>.bin`, append-only records of
 * sha256(text) + dim float32s, torn last record cut off on open; see
 * libs/finetune/src/cache/embedding-cache.ts and its spec). The same (model, text) pair is
 * the same vector in either, so a trainer cache directory can warm the service.
 *
 * `@tuneline/finetune` is loaded on first use, not at import: its index also loads the
 * training and export code (onnxruntime-node, onnx-proto, resvg), which the rest of this
 * lib and the apps that only use the in-memory cache should not pay for
 * (test/transport-free.spec.ts checks the index stays light).
 *
 * Meant for one process per directory (the service's start-up), like finetune's cache.
 */
import type { EmbeddingCache as FinetuneEmbeddingCache } from '@tuneline/finetune';
import type { EmbeddingCache } from './embedding-cache';

export interface FileEmbeddingCacheOptions {
  /** Length of the encoder's vectors (bge-small: 384); part of the file name. */
  readonly dim: number;
}

export class FileEmbeddingCache implements EmbeddingCache {
  private readonly opened = new Map<string, Promise<FinetuneEmbeddingCache>>();
  readonly dim: number;

  constructor(
    private readonly root: string,
    options: FileEmbeddingCacheOptions,
  ) {
    if (!root) throw new TypeError('root is required');
    if (!Number.isInteger(options.dim) || options.dim <= 0) throw new RangeError(`dim must be a positive integer, got ${options.dim}`);
    this.dim = options.dim;
  }

  /** One finetune cache per model checksum (which must be a sha256 hex digest: it names the file). */
  private cacheOf(modelChecksum: string): Promise<FinetuneEmbeddingCache> {
    let p = this.opened.get(modelChecksum);
    if (!p) {
      p = import('@tuneline/finetune').then(({ EmbeddingCache: Cache }) => Cache.open(this.root, modelChecksum, this.dim));
      // A failed open (bad checksum, unreadable file) is not remembered: the next call retries.
      p.catch(() => this.opened.delete(modelChecksum));
      this.opened.set(modelChecksum, p);
    }
    return p;
  }

  async getMany(modelChecksum: string, texts: readonly string[]): Promise<(Float32Array | undefined)[]> {
    const cache = await this.cacheOf(modelChecksum);
    return texts.map((t) => cache.get(t));
  }

  async setMany(modelChecksum: string, entries: readonly (readonly [text: string, vector: Float32Array])[]): Promise<void> {
    const cache = await this.cacheOf(modelChecksum);
    // finetune's put keeps the array it is given; copy so a caller reusing its buffer cannot change the cache.
    for (const [text, vector] of entries) cache.put(text, Float32Array.from(vector));
    await cache.flush();
  }
}
