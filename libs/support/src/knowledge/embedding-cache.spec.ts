import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashingEmbedder } from '../testing/hashing-embedder';
import { InMemoryEmbeddingCache, cachedEmbed, textHash, type CachedEmbedStats } from './embedding-cache';
import { FileEmbeddingCache } from './file-embedding-cache';

describe('embedding cache', () => {
  it('keys by model checksum and text hash: same text + same model hits, another model misses', async () => {
    const embed = hashingEmbedder(32);
    const cache = new InMemoryEmbeddingCache();
    const stats: CachedEmbedStats = { hits: 0, misses: 0 };
    const modelA = cachedEmbed(embed, cache, 'sha-a', stats);
    const first = await modelA(['card fees', 'transfer limits']);
    expect(embed.texts).toBe(2);
    const again = await modelA(['transfer limits', 'new text', 'card fees']);
    expect(embed.texts).toBe(3); // only "new text" reached the model
    expect(again[0]).toEqual(first[1]);
    expect(again[2]).toEqual(first[0]);
    expect(stats).toEqual({ hits: 2, misses: 3 });
    await cachedEmbed(embed, cache, 'sha-b')(['card fees']);
    expect(embed.texts).toBe(4); // a new model checksum never reuses old vectors
    expect([cache.size('sha-a'), cache.size('sha-b')]).toEqual([3, 1]);
  });

  it('re-embeds an edited text (the hash changes) and does not call the model when all hit', async () => {
    const embed = hashingEmbedder(32);
    const e = cachedEmbed(embed, new InMemoryEmbeddingCache(), 'm');
    await e(['Fees are 1%.']);
    await e(['Fees are 1%.']);
    expect(embed.calls).toBe(1);
    await e(['Fees are 2%.']);
    expect(embed.calls).toBe(2);
    expect(textHash('Fees are 1%.')).not.toBe(textHash('Fees are 2%.'));
    expect(textHash('x')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('rejects an empty checksum and an embedder returning the wrong count', async () => {
    expect(() => cachedEmbed(hashingEmbedder(), new InMemoryEmbeddingCache(), '')).toThrow(/modelChecksum is required/);
    const broken = cachedEmbed(async () => [], new InMemoryEmbeddingCache(), 'm');
    await expect(broken(['a'])).rejects.toThrow(/returned 0 vectors for 1 texts/);
  });

  it('file cache: survives a new process (re-open), one file per model, skips a torn line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'support-emb-'));
    const vec = Float32Array.from([0.25, -1.5, 3]);
    await new FileEmbeddingCache(dir).setMany('model-1', [['h1', vec]]);
    appendFileSync(join(dir, 'model-1.jsonl'), '{"h":"h2","v":"AAAA'); // torn by a crash
    const reopened = new FileEmbeddingCache(dir);
    const [h1, h2] = await reopened.getMany('model-1', ['h1', 'h2']);
    expect(h1).toEqual(vec);
    expect(h2).toBeUndefined();
    expect(await new FileEmbeddingCache(dir).getMany('model-2', ['h1'])).toEqual([undefined]);
    // Appending after a torn line keeps the new record readable.
    await reopened.setMany('model-1', [['h2', vec], ['h1', vec]]);
    expect(readFileSync(join(dir, 'model-1.jsonl'), 'utf8').match(/"h":"h1"/g)).toHaveLength(1); // h1 not written twice
    expect((await new FileEmbeddingCache(dir).getMany('model-1', ['h2']))[0]).toEqual(vec);
  });

  it('file cache: refuses a checksum that could escape its directory', async () => {
    const cache = new FileEmbeddingCache(mkdtempSync(join(tmpdir(), 'support-emb-')));
    await expect(cache.getMany('../x', ['h'])).rejects.toThrow(RangeError);
  });
});
