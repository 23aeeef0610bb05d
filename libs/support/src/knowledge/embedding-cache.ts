/**
 * Passage embeddings cached by (model checksum, sha256 of the text): a new model
 * version never reads an old version's vectors, and an edited passage is re-embedded
 * while unchanged ones are not. Implementations get the texts and key by `textHash`
 * (or an equal sha256, as libs/finetune's cache behind `FileEmbeddingCache` does).
 * Async so a Redis or object-store cache fits later.
 */
import { createHash } from 'node:crypto';
import type { EmbedFn } from './embed-fn';

export interface EmbeddingCache {
  /** One entry per text, undefined where nothing is cached. */
  getMany(modelChecksum: string, texts: readonly string[]): Promise<(Float32Array | undefined)[]>;
  setMany(modelChecksum: string, entries: readonly (readonly [text: string, vector: Float32Array])[]): Promise<void>;
}

export function textHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export class InMemoryEmbeddingCache implements EmbeddingCache {
  private readonly byModel = new Map<string, Map<string, Float32Array>>();

  async getMany(modelChecksum: string, texts: readonly string[]): Promise<(Float32Array | undefined)[]> {
    const m = this.byModel.get(modelChecksum);
    return texts.map((t) => m?.get(textHash(t)));
  }

  async setMany(modelChecksum: string, entries: readonly (readonly [string, Float32Array])[]): Promise<void> {
    let m = this.byModel.get(modelChecksum);
    if (!m) this.byModel.set(modelChecksum, (m = new Map()));
    for (const [t, v] of entries) m.set(textHash(t), Float32Array.from(v));
  }

  /** Entries cached for one model (for tests and metrics). */
  size(modelChecksum: string): number {
    return this.byModel.get(modelChecksum)?.size ?? 0;
  }
}

export interface CachedEmbedStats {
  hits: number;
  misses: number;
}

/**
 * `embed` behind a cache: only texts whose vectors are not cached reach the model,
 * in one call, and their vectors are stored before returning.
 */
export function cachedEmbed(embed: EmbedFn, cache: EmbeddingCache, modelChecksum: string, stats?: CachedEmbedStats): EmbedFn {
  if (!modelChecksum) throw new TypeError('modelChecksum is required to key the embedding cache');
  return async (texts) => {
    const cached = await cache.getMany(modelChecksum, texts);
    const missing = cached.flatMap((v, i) => (v ? [] : [i]));
    if (stats) {
      stats.hits += texts.length - missing.length;
      stats.misses += missing.length;
    }
    if (missing.length === 0) return cached as Float32Array[];
    const fresh = await embed(missing.map((i) => texts[i] as string));
    if (fresh.length !== missing.length) throw new Error(`embed returned ${fresh.length} vectors for ${missing.length} texts`);
    await cache.setMany(modelChecksum, missing.map((i, j) => [texts[i] as string, fresh[j] as Float32Array] as const));
    const out = [...cached];
    missing.forEach((i, j) => (out[i] = fresh[j]));
    return out as Float32Array[];
  };
}
