/**
 * The sample knowledge base on the real pretrained encoders (bge-small-en-v1.5 and
 * bge-small-zh-v1.5 from .cache/models; `npm run models:fetch` puts them there):
 * retrieval finds the right article, the default retrieval minimum separates on-topic
 * from off-topic questions, and the embedding cache is keyed by the weights' sha256.
 */
import { Encoder, resolveModelDir, sha256File } from '@tuneline/inference';
import { join } from 'node:path';
import {
  AnswerTemplates,
  DEFAULT_RETRIEVAL_MIN_SCORE,
  InMemoryEmbeddingCache,
  InMemorySessionStore,
  KnowledgeBase,
  SupportChatHandler,
  loadArticlesFromDir,
  sampleContentPaths,
} from '../src';
import { FakeIntentClassifier } from '../src/testing';

const unsure = new FakeIntentClassifier(['card_arrival', 'refund_request'], [], { label: 'card_arrival', confidence: 0.2 });

describe('sample knowledge base on bge-small-en-v1.5', () => {
  let enc: Encoder;
  let kb: KnowledgeBase;
  let checksum: string;
  const cache = new InMemoryEmbeddingCache();
  const articles = loadArticlesFromDir(sampleContentPaths('en').articlesDir);

  beforeAll(async () => {
    const dir = resolveModelDir('default', process.env);
    enc = await Encoder.load(dir);
    checksum = await sha256File(join(dir, 'model.onnx'));
    kb = await KnowledgeBase.build(articles, { embed: (t) => enc.embed(t), modelChecksum: checksum, cache });
  }, 120_000);
  afterAll(() => enc?.dispose());

  it.each([
    ['How can I add money to my account with Apple Pay?', 'top-ups'],
    ['my wire transfer was declined, where does the money go', 'failed-transfers'],
    ["I can't get into the app after entering the wrong passcode", 'account-access'],
    ['someone stole my card, what should I do first', 'lost-or-stolen-card'],
  ])('"%s" finds %s first, above the default retrieval minimum', async (query, articleId) => {
    const [best] = await kb.search(query, { k: 3 });
    expect(best?.passage.articleId).toBe(articleId);
    expect(best?.score).toBeGreaterThanOrEqual(DEFAULT_RETRIEVAL_MIN_SCORE);
  });

  it.each(['what is the weather in Paris tomorrow', 'do you sell car insurance'])('off-topic "%s" stays below the default minimum', async (query) => {
    expect(await kb.search(query, { k: 1, minScore: DEFAULT_RETRIEVAL_MIN_SCORE })).toEqual([]);
  });

  it('rebuilds from the cache without running the encoder, with identical results', async () => {
    expect(kb.buildStats).toEqual({ hits: 0, misses: kb.size });
    expect(cache.size(checksum)).toBe(kb.size);
    const failing = async (): Promise<Float32Array[]> => Promise.reject(new Error('encoder must not run'));
    const again = await KnowledgeBase.build(articles, { embed: failing, modelChecksum: checksum, cache });
    expect(again.buildStats).toEqual({ hits: kb.size, misses: 0 });
    const [q] = await enc.embed(['top up with Google Pay']);
    const ids = (k: KnowledgeBase) => k.searchVector(q as Float32Array, { k: 5 }).map((h) => h.passage.id);
    expect(ids(again)).toEqual(ids(kb));
  });

  it('the handler answers an unclassified question from retrieval and hands off an off-topic one', async () => {
    const handler = new SupportChatHandler({
      languages: { en: { classifier: unsure, knowledge: kb, templates: AnswerTemplates.fromFile(sampleContentPaths('en').templates) } },
      store: new InMemorySessionStore(),
    });
    const topUp = await handler.handleTurn({ sessionId: 'int-1', text: 'Can I top up using Google Pay?' });
    expect(topUp.record.answerKind).toBe('retrieval');
    expect(topUp.response.citations[0]?.passageId).toMatch(/^top-ups#/);
    const offTopic = await handler.handleTurn({ sessionId: 'int-2', text: 'do you sell car insurance' });
    expect(offTopic.record).toMatchObject({ answerKind: 'handoff', handoffReason: 'no_answer' });
  });
});

describe('Chinese sample knowledge base on bge-small-zh-v1.5', () => {
  it('finds the top-up and lost-card articles', async () => {
    const enc = await Encoder.load(resolveModelDir('zh', process.env));
    try {
      const kb = await KnowledgeBase.build(loadArticlesFromDir(sampleContentPaths('zh').articlesDir), { embed: (t) => enc.embed(t), modelChecksum: 'zh' });
      expect((await kb.search('怎么用手机支付充值', { k: 1 }))[0]?.passage.articleId).toBe('zh-top-up');
      expect((await kb.search('我的卡被偷了', { k: 1 }))[0]?.passage.articleId).toBe('zh-lost-card');
    } finally {
      await enc.dispose();
    }
  }, 120_000);
});
