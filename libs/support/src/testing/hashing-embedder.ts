import { createHash } from 'node:crypto';
import type { EmbedFn } from '../knowledge/embed-fn';

/**
 * Deterministic bag-of-words embedder for unit tests: each lower-cased word (or CJK
 * character) adds 1 to a dimension picked by its hash, so cosine tracks word overlap.
 * Counts its calls and texts, to test caching.
 */
export function hashingEmbedder(dims = 256): EmbedFn & { calls: number; texts: number } {
  const stop = new Set(['the', 'a', 'an', 'my', 'i', 'is', 'to', 'of', 'and', 'in', 'for', 'do', 'how', 'it', 'you', 'your', 'on', 'can', 'what', 'be']);
  const fn = async (texts: readonly string[]) => {
    fn.calls++;
    fn.texts += texts.length;
    return texts.map((text) => {
      const v = new Float32Array(dims);
      const tokens = text.toLowerCase().match(/[a-z0-9]+|[\u3400-\u9fff]/g) ?? [];
      for (const tok of tokens) {
        if (stop.has(tok)) continue;
        const h = createHash('md5').update(tok).digest().readUInt32LE(0);
        v[h % dims] = (v[h % dims] as number) + 1;
      }
      return v;
    });
  };
  fn.calls = 0;
  fn.texts = 0;
  return fn;
}
