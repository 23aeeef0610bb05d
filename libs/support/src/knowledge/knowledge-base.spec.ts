import { hashingEmbedder } from '../testing/hashing-embedder';
import { sampleContentPaths } from '../samples';
import type { Article } from './article';
import { InMemoryEmbeddingCache } from './embedding-cache';
import { KnowledgeBase } from './knowledge-base';
import { loadArticlesFromDir } from './load-articles';

const articles: Article[] = [
  { id: 'pin', title: 'PIN', intents: ['pin_reset'], body: 'Unblock your PIN in the app.\n\n## Change\n\nChange the PIN at an ATM.' },
  { id: 'topup', title: 'Top up', intents: [], body: 'Top up with Apple Pay or a debit card.' },
];

describe('KnowledgeBase', () => {
  it('splits, embeds in batches and ranks passages by cosine', async () => {
    const embed = hashingEmbedder(128);
    const kb = await KnowledgeBase.build(articles, { embed, modelChecksum: 'm', embedBatch: 2 });
    expect(kb.passages.map((p) => p.id)).toEqual(['pin#0', 'pin#1', 'topup#0']);
    expect(embed.calls).toBe(2); // 3 passages in batches of 2
    expect(kb.dims).toBe(128);
    const hits = await kb.search('top up apple pay', { k: 3 });
    expect(hits[0]?.passage.id).toBe('topup#0');
    expect(hits[0]?.score).toBeGreaterThan(hits[1]?.score as number);
    expect((await kb.search('change pin atm', { k: 1 }))[0]?.passage.id).toBe('pin#1');
    expect(await kb.search('zebra', { k: 3, minScore: 0.1 })).toEqual([]);
  });

  it('embeds only new passages on a rebuild with the same model, all of them with a new one', async () => {
    const embed = hashingEmbedder(64);
    const cache = new InMemoryEmbeddingCache();
    const first = await KnowledgeBase.build(articles, { embed, modelChecksum: 'v1', cache });
    expect(first.buildStats).toEqual({ hits: 0, misses: 3 });
    const edited = [...articles, { id: 'fees', title: 'Fees', intents: [], body: 'No monthly fee.' }];
    const second = await KnowledgeBase.build(edited, { embed, modelChecksum: 'v1', cache });
    expect(second.buildStats).toEqual({ hits: 3, misses: 1 });
    const third = await KnowledgeBase.build(edited, { embed, modelChecksum: 'v2', cache });
    expect(third.buildStats).toEqual({ hits: 0, misses: 4 });
    expect(embed.texts).toBe(3 + 1 + 4);
  });

  it('finds the right sample article for typical questions (bag-of-words fake)', async () => {
    const kb = await KnowledgeBase.build(loadArticlesFromDir(sampleContentPaths('en').articlesDir), { embed: hashingEmbedder(512), modelChecksum: 'fake' });
    const best = async (q: string) => (await kb.search(q, { k: 1 }))[0]?.passage.articleId;
    expect(await best('top up with Apple Pay')).toBe('top-ups');
    expect(await best('my PIN is blocked after three wrong attempts')).toBe('pin');
    expect(await best('locked out of the app, forgot passcode')).toBe('account-access');
  });

  it('searches with a given query embedding from the same encoder without embedding, and embeds otherwise', async () => {
    const embed = hashingEmbedder(128);
    const kb = await KnowledgeBase.build(articles, { embed, modelChecksum: 'enc' });
    const [vector] = await hashingEmbedder(128)(['top up apple pay']);
    const calls = embed.calls;
    const reused = await kb.search('top up apple pay', { k: 2, queryEmbedding: { vector: vector as Float32Array, encoderChecksum: 'enc' } });
    expect(embed.calls).toBe(calls);
    expect(reused).toEqual(await kb.search('top up apple pay', { k: 2 }));
    expect(embed.calls).toBe(calls + 1);
    await kb.search('top up apple pay', { k: 2, queryEmbedding: { vector: vector as Float32Array, encoderChecksum: 'other' } });
    await kb.search('top up apple pay', { k: 2, queryEmbedding: { vector: new Float32Array(64), encoderChecksum: 'enc' } }); // wrong width
    expect(embed.calls).toBe(calls + 3);
  });

  it('rejects no passages and embedders that return nothing useful', async () => {
    await expect(KnowledgeBase.build([], { embed: hashingEmbedder(), modelChecksum: 'm' })).rejects.toThrow(/no passages/);
    await expect(KnowledgeBase.build(articles, { embed: async (t) => t.map(() => new Float32Array(0)), modelChecksum: 'm' })).rejects.toThrow(/empty vectors/);
    await expect(KnowledgeBase.build(articles, { embed: async () => [], modelChecksum: 'm' })).rejects.toThrow(/returned 0 vectors/);
  });
});
