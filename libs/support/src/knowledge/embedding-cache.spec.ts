import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashingEmbedder } from '../testing/hashing-embedder';
import { InMemoryEmbeddingCache, cachedEmbed, textHash, type CachedEmbedStats } from './embedding-cache';
import { FileEmbeddingCache } from './file-embedding-cache';
import { KnowledgeBase } from './knowledge-base';

// Model checksums are sha256 digests for the file cache (they name its file).
const SHA_1 = textHash('model one');
const SHA_2 = textHash('model two');

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

  it('file cache (finetune EmbeddingCache behind the interface): survives a re-open, one file per model and dim', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'support-emb-'));
    const vec = Float32Array.from([0.25, -1.5, 3]);
    const buffer = Float32Array.from(vec);
    await new FileEmbeddingCache(dir, { dim: 3 }).setMany(SHA_1, [['card fees', buffer]]);
    buffer.fill(9); // the caller reusing its buffer does not change the cache
    const reopened = new FileEmbeddingCache(dir, { dim: 3 });
    expect(await reopened.getMany(SHA_1, ['card fees', 'other'])).toEqual([vec, undefined]);
    expect(await new FileEmbeddingCache(dir, { dim: 3 }).getMany(SHA_2, ['card fees'])).toEqual([undefined]);
    // Same text twice is written once (finetune's format: 32-byte key + dim float32s per record).
    await reopened.setMany(SHA_1, [['card fees', vec], ['pin', vec]]);
    expect(readdirSync(join(dir, 'embeddings'))).toEqual([`${SHA_1}-3.bin`]);
    expect(statSync(join(dir, 'embeddings', `${SHA_1}-3.bin`)).size).toBe(2 * (32 + 3 * 4));
    // The file is finetune's: the trainer's cache reads the service's vectors, keyed by the same text.
    // (imported lazily here too: the Nx boundary rule forbids static imports of a lib loaded lazily.)
    const { EmbeddingCache: FinetuneEmbeddingCache } = await import('@tuneline/finetune');
    const trainer = await FinetuneEmbeddingCache.open(dir, SHA_1, 3);
    expect(trainer.get('pin')).toEqual(vec);
  });

  it('file cache: a knowledge-base rebuild in a new process reads every vector from disk and never calls the embedder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'support-emb-'));
    const articles = [
      { id: 'pin', title: 'PIN', intents: [], body: 'Unblock your PIN in the app.\n\n## Change\n\nChange the PIN at an ATM.' },
      { id: 'topup', title: 'Top up', intents: [], body: 'Top up with Apple Pay or a debit card.' },
    ];
    const embed = hashingEmbedder(16);
    const first = await KnowledgeBase.build(articles, { embed, modelChecksum: SHA_1, cache: new FileEmbeddingCache(dir, { dim: 16 }) });
    expect(first.buildStats).toEqual({ hits: 0, misses: 3 });
    const refuse = jest.fn(async (): Promise<Float32Array[]> => {
      throw new Error('the embedder must not be called on a warm rebuild');
    });
    // Passage embedding goes through the cache; only queries would reach `refuse`.
    const second = await KnowledgeBase.build(articles, { embed: refuse, modelChecksum: SHA_1, cache: new FileEmbeddingCache(dir, { dim: 16 }) });
    expect(second.buildStats).toEqual({ hits: 3, misses: 0 });
    expect(refuse).not.toHaveBeenCalled();
    expect(second.passages.map((p) => p.id)).toEqual(first.passages.map((p) => p.id));
  });

  it('file cache: refuses a checksum that is not a sha256 (it names the file), a bad dim and a vector of another dim', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'support-emb-'));
    const cache = new FileEmbeddingCache(dir, { dim: 3 });
    await expect(cache.getMany('../x', ['h'])).rejects.toThrow(/sha256/);
    await expect(cache.setMany(SHA_1, [['t', Float32Array.from([1, 2])]])).rejects.toThrow(/2 dims, cache holds 3/);
    expect(() => new FileEmbeddingCache(dir, { dim: 0 })).toThrow(RangeError);
    expect(() => new FileEmbeddingCache('', { dim: 3 })).toThrow(TypeError);
  });
});
