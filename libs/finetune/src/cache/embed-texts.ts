import type { Encoder } from '@tuneline/inference';
import { EmbeddingCache } from './embedding-cache';

export interface EmbedStats {
  readonly texts: number;
  readonly unique: number;
  readonly cacheHits: number;
  readonly encoded: number;
  readonly seconds: number;
}

/**
 * Embeds texts into a row-major Float64Array [n×dim], reading the cache first and
 * sending only misses to the encoder, several chunks at a time so the dynamic batcher
 * can keep the model busy.
 */
export async function embedTexts(
  encoder: Encoder, texts: readonly string[], dim: number, cache?: EmbeddingCache,
  onProgress?: (done: number, total: number) => void,
): Promise<{ X: Float64Array; stats: EmbedStats }> {
  const started = performance.now();
  const unique = [...new Set(texts)];
  const vectors = new Map<string, Float32Array>();
  const misses: string[] = [];
  for (const t of unique) {
    const hit = cache?.get(t);
    if (hit) vectors.set(t, hit);
    else misses.push(t);
  }
  const chunk = 64;
  const inFlight = 4;
  let done = 0;
  for (let s = 0; s < misses.length; s += chunk * inFlight) {
    const groups = Array.from({ length: inFlight }, (_, g) => misses.slice(s + g * chunk, s + (g + 1) * chunk)).filter((g) => g.length);
    const results = await Promise.all(groups.map((g) => encoder.embed(g)));
    groups.forEach((g, gi) => g.forEach((t, i) => {
      const v = (results[gi] as Float32Array[])[i] as Float32Array;
      vectors.set(t, v);
      cache?.put(t, v);
    }));
    done += groups.reduce((a, g) => a + g.length, 0);
    onProgress?.(done, misses.length);
  }
  await cache?.flush();
  const X = new Float64Array(texts.length * dim);
  texts.forEach((t, i) => X.set(vectors.get(t) as Float32Array, i * dim));
  return { X, stats: { texts: texts.length, unique: unique.length, cacheHits: unique.length - misses.length, encoded: misses.length, seconds: (performance.now() - started) / 1000 } };
}
