import * as ort from 'onnxruntime-node';
import { cosineSimilarity, poolEmbeddings } from '../pooling';
import { TextTokenizer } from '../tokenizer/text-tokenizer';
import { Encoder } from './encoder';
import { resolveModelDir } from '../model-store/resolve-model';

// Paraphrase pairs vs. unrelated pairs: random weights cannot separate these.
const PARAPHRASES: [string, string][] = [
  ['How do I reset my PIN?', 'I want to change my card PIN number.'],
  ['My card has not arrived yet.', 'I am still waiting for my new card to be delivered.'],
  ['The stock price fell sharply after the earnings report.', 'Shares dropped steeply following the quarterly results.'],
  ['Can I get a refund for this purchase?', 'I would like my money back for what I bought.'],
  ['The weather is lovely today.', 'It is a beautiful sunny day.'],
  ['Where is the nearest train station?', 'How do I get to the closest railway station?'],
  ['The company reported record profits.', 'The firm announced its highest earnings ever.'],
  ['I lost my wallet.', 'My wallet is missing.'],
  ['Please cancel my subscription.', 'I want to stop my membership.'],
  ['The movie was very boring.', 'The film was extremely dull.'],
  ['How much does shipping cost?', 'What are the delivery fees?'],
  ['He is learning to play the guitar.', 'He is taking guitar lessons.'],
  ['The meeting has been postponed.', 'The meeting was moved to a later date.'],
  ['Why was my transfer declined?', 'My bank transfer was rejected, why?'],
  ['The cat is sleeping on the sofa.', 'A cat naps on the couch.'],
  ['Inflation rose faster than expected.', 'Prices increased more quickly than forecast.'],
  ['I forgot my password.', 'I cannot remember my login password.'],
  ['The restaurant serves excellent food.', 'The meals at this restaurant are great.'],
  ['What time does the store open?', 'When does the shop open in the morning?'],
  ['The child is reading a book.', 'A kid reads a book.'],
  ['Exchange rates changed my payment amount.', 'The currency conversion altered how much I paid.'],
];
const UNRELATED: [string, string][] = PARAPHRASES.map(([a], i) => [a, (PARAPHRASES[(i + 7) % PARAPHRASES.length] as [string, string])[1]]);

const ZH_PARAPHRASES: [string, string][] = [
  ['我的银行卡丢了', '我把银行卡弄丢了'],
  ['如何修改密码？', '怎么更改我的密码？'],
  ['今天天气很好', '今天是个晴朗的好天气'],
  ['这家餐厅的菜很好吃', '这个饭馆的饭菜味道很棒'],
  ['公司利润大幅增长', '企业盈利显著上升'],
  ['我想取消订单', '请帮我把订单取消'],
];
const ZH_UNRELATED: [string, string][] = ZH_PARAPHRASES.map(([a], i) => [a, (ZH_PARAPHRASES[(i + 3) % ZH_PARAPHRASES.length] as [string, string])[1]]);

async function pairScores(enc: Encoder, pairs: [string, string][]): Promise<number[]> {
  const a = await enc.embed(pairs.map((p) => p[0]));
  const b = await enc.embed(pairs.map((p) => p[1]));
  return a.map((v, i) => cosineSimilarity(v, b[i] as Float32Array));
}
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

describe('Encoder on the real pretrained bge-small-en-v1.5 (fp32)', () => {
  let enc: Encoder;
  const dir = resolveModelDir('default', process.env);
  beforeAll(async () => { enc = await Encoder.load(dir); });
  afterAll(() => enc?.dispose());

  it('is pretrained: every paraphrase pair scores higher than unrelated pairs on average, by a clear margin', async () => {
    const para = await pairScores(enc, PARAPHRASES);
    const unrel = await pairScores(enc, UNRELATED);
    expect(PARAPHRASES.length).toBeGreaterThanOrEqual(20);
    expect(mean(para) - mean(unrel)).toBeGreaterThan(0.2);
    // Pairwise: each paraphrase beats its own unrelated counterpart.
    para.forEach((p, i) => expect(p).toBeGreaterThan(unrel[i] as number));
  });

  it('returns L2-normalised 384-d vectors', async () => {
    const [v] = await enc.embed(['hello world']);
    expect(v).toHaveLength(384);
    expect(Math.sqrt([...(v as Float32Array)].reduce((s, x) => s + x * x, 0))).toBeCloseTo(1, 5);
  });

  it('equals a direct onnxruntime run with CLS pooling', async () => {
    const texts = ['Where is my money?', 'A much longer sentence about a delayed international transfer to my savings account.'];
    const tok = await TextTokenizer.fromFile(`${dir}/tokenizer.json`, 512);
    const session = await ort.InferenceSession.create(`${dir}/model.onnx`);
    const direct: Float32Array[] = [];
    for (const t of texts) {
      const e = tok.encode(t);
      const shape = [1, e.ids.length];
      const toTensor = (xs: readonly number[]) => new ort.Tensor('int64', BigInt64Array.from(xs.map(BigInt)), shape);
      const out = await session.run({ input_ids: toTensor(e.ids), attention_mask: toTensor(e.ids.map(() => 1)), token_type_ids: toTensor(e.typeIds) });
      const h = out['last_hidden_state'] as ort.Tensor;
      direct.push(...poolEmbeddings(h.data as Float32Array, h.dims, [e.ids.map(() => 1)], 'cls', true));
    }
    await session.release();
    const ours = await enc.embed(texts); // batched together, so the short one is padded
    ours.forEach((v, i) => {
      const d = direct[i] as Float32Array;
      let maxDiff = 0;
      v.forEach((x, j) => { maxDiff = Math.max(maxDiff, Math.abs(x - (d[j] as number))); });
      expect(maxDiff).toBeLessThan(1e-4);
    });
  });

  it('gives each concurrent caller its own result', async () => {
    const texts = Array.from({ length: 48 }, (_, i) => `request number ${i} about ${['cards', 'loans', 'fees', 'transfers'][i % 4]} ${'x '.repeat(i % 9)}`);
    const alone = await Promise.all(texts.slice(0, 6).map(async (t) => (await enc.embed([t]))[0] as Float32Array));
    const together = await Promise.all(texts.map(async (t) => (await enc.embed([t]))[0] as Float32Array));
    alone.forEach((v, i) => expect(cosineSimilarity(v, together[i] as Float32Array)).toBeGreaterThan(0.9999));
    // Different texts must not receive each other's vectors.
    expect(cosineSimilarity(together[0] as Float32Array, together[1] as Float32Array)).toBeLessThan(0.999);
  });

  it('rejects bad input with INVALID_ARGUMENT', async () => {
    await expect(enc.embed([])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(enc.embed(['ok', '  '])).rejects.toThrow('texts[1] is empty');
    await expect(enc.embed(['x'.repeat(20_001)])).rejects.toThrow(/limit is 20000/);
    await expect(enc.embed(Array.from({ length: 257 }, () => 'a'))).rejects.toThrow(/too many texts/);
  });
});

describe('Encoder on the int8 variant', () => {
  // Dynamic int8 quantisation scales activations per tensor, i.e. over the whole batch,
  // so a text's vector moves slightly with its batch-mates; it must stay close.
  it('keeps batched results within cosine 0.99 of unbatched ones and stays pretrained', async () => {
    const enc = await Encoder.load(resolveModelDir('int8', process.env));
    try {
      const texts = PARAPHRASES.map((p) => p[0]);
      const alone = await Promise.all(texts.slice(0, 5).map(async (t) => (await enc.embed([t]))[0] as Float32Array));
      const batched = await enc.embed(texts);
      alone.forEach((v, i) => expect(cosineSimilarity(v, batched[i] as Float32Array)).toBeGreaterThan(0.99));
      expect(mean(await pairScores(enc, PARAPHRASES)) - mean(await pairScores(enc, UNRELATED))).toBeGreaterThan(0.2);
    } finally {
      await enc.dispose();
    }
  });
});

describe('batch size defaults per execution provider', () => {
  it('uses 8 on CPU, 64 when a GPU provider is selected, and an explicit setting over both', async () => {
    const dir = resolveModelDir('int8', process.env);
    // The injected factory runs on CPU but reports success for CUDA, as a GPU host would.
    const onCpu = (path: string, opts: ort.InferenceSession.SessionOptions) => ort.InferenceSession.create(path, { ...opts, executionProviders: ['cpu'] });
    const cpu = await Encoder.load(dir, { executionProviders: ['cpu'] });
    const cuda = await Encoder.load(dir, { executionProviders: ['cuda'], createSession: onCpu });
    const pinned = await Encoder.load(dir, { executionProviders: ['cuda'], createSession: onCpu, batching: { maxBatchSize: 3 } });
    try {
      expect([cpu.model.provider, cpu.model.batching.maxBatchSize]).toEqual(['cpu', 8]);
      expect([cuda.model.provider, cuda.model.batching.maxBatchSize]).toEqual(['cuda', 64]);
      expect(pinned.model.batching.maxBatchSize).toBe(3);
    } finally {
      await Promise.all([cpu.dispose(), cuda.dispose(), pinned.dispose()]);
    }
  });
});

describe('Encoder on the real pretrained bge-small-zh-v1.5', () => {
  it('is pretrained for Chinese: paraphrases score clearly higher than unrelated pairs', async () => {
    const enc = await Encoder.load(resolveModelDir('zh', process.env));
    try {
      const para = await pairScores(enc, ZH_PARAPHRASES);
      const unrel = await pairScores(enc, ZH_UNRELATED);
      expect(mean(para) - mean(unrel)).toBeGreaterThan(0.15);
      para.forEach((p, i) => expect(p).toBeGreaterThan(unrel[i] as number));
    } finally {
      await enc.dispose();
    }
  });
});
