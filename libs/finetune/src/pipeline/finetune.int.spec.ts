import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Classifier, ModelRepository, resolveModelDir } from '@tuneline/inference';
import { evaluateModelOnFile } from '../evaluate/evaluate-model';
import { finetune } from './finetune';

const SAMPLES = join(__dirname, '../../samples');

describe('finetune on the real encoder (sample support intents)', () => {
  const repo = mkdtempSync(join(tmpdir(), 'repo-'));
  const cacheRoot = mkdtempSync(join(tmpdir(), 'cache-'));
  const base = resolveModelDir('default', process.env);
  let first: Awaited<ReturnType<typeof finetune>>;

  beforeAll(async () => {
    first = await finetune({ task: 'classify', dataFile: join(SAMPLES, 'support-intents.jsonl'), baseModelDir: base, repo, name: 'support-intent',
      cacheRoot, train: { head: 'mlp', hiddenDim: 64, epochs: 25, minSteps: 0, seed: 3 } });
  }, 120_000);

  it('writes a servable model directory as version 1', () => {
    expect(first.version).toBe('1');
    for (const f of ['model.onnx', 'tokenizer.json', 'tuneline.json', 'labels.json', 'model-card.json']) expect(existsSync(join(first.dir, f))).toBe(true);
    expect(JSON.parse(readFileSync(join(first.dir, 'labels.json'), 'utf8'))).toHaveLength(10);
  });

  it('learns the intents well above chance (10 classes)', () => {
    expect(first.card.metrics.validation.accuracy).toBeGreaterThan(0.7);
    expect(first.card.metrics.validation.macroF1).toBeGreaterThan(0.6);
  });

  it('serves the fused graph: its probabilities matched the trained head on validation texts', async () => {
    // finetune() itself refuses > 0.97; an fp32 base must do far better than that.
    expect(first.card.fusedEmbeddingMinCosine).toBeGreaterThan(0.9999);
    const clf = await Classifier.load(first.dir);
    try {
      const [p] = await clf.predict(['my card never arrived and it has been weeks']);
      expect(p?.label).toBe('card_arrival');
      expect(Object.values(p?.scores ?? {}).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    } finally {
      await clf.dispose();
    }
  });

  it('records a complete model card', () => {
    const card = first.card;
    expect(card.baseModel).toMatchObject({ id: 'BAAI/bge-small-en-v1.5', pooling: 'cls', dimension: 384 });
    expect(card.baseModel.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(card.data.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(card.data.rows).toBe(120);
    expect(card.data.trainRows + card.data.validationRows).toBe(120);
    expect(Object.values(card.data.classCounts).reduce((a, b) => a + b, 0)).toBe(card.data.trainRows);
    expect(card.hyperParameters).toMatchObject({ head: 'mlp', hiddenDim: 64, seed: 3 });
    expect(card.history.length).toBe(card.training.epochsRun);
    expect(card.metrics.validation.confusion).toHaveLength(10);
    expect(Date.parse(card.createdAt)).not.toBeNaN();
  });

  it('a second run on the same data reads every embedding from the cache and becomes version 2', async () => {
    const second = await finetune({ task: 'classify', dataFile: join(SAMPLES, 'support-intents.jsonl'), baseModelDir: base, repo, name: 'support-intent',
      cacheRoot, train: { head: 'linear', epochs: 5, minSteps: 0, seed: 3 } });
    expect(second.version).toBe('2');
    expect(second.card.training.cacheHits).toBe(120);
    const served = new ModelRepository({ root: repo });
    try {
      expect((await served.load('support-intent')).version).toBe('2');
    } finally {
      await served.close();
    }
  }, 120_000);

  it('fuses the exemplar vote: the graph matched the TS blend on validation texts, and the card records it', async () => {
    const third = await finetune({ task: 'classify', dataFile: join(SAMPLES, 'support-intents.jsonl'), baseModelDir: base, repo, name: 'support-intent',
      cacheRoot, train: { head: 'linear', epochs: 5, minSteps: 0, seed: 3, exemplars: { k: 5, temperature: 0.02, weight: 0.5 } } });
    // finetune() refuses a graph further than 1e-4 from the TS reference; the card says how far it was.
    expect(third.card.fusedGraphMaxAbsDiff).toBeLessThan(1e-4);
    // ...on every check text: none was skipped as a k-th/(k+1)-th neighbour tie.
    expect(third.card.fusedGraphExemplarNearTies).toBe(0);
    expect(third.card.exemplars).toMatchObject({ k: 5, temperature: 0.02, weight: 0.5, count: third.card.data.trainRows, bytes: 4 * third.card.data.trainRows * (384 + 10) });
    const headOnly = third.card.metrics.validationHeadOnly;
    expect(headOnly?.count).toBe(third.card.data.validationRows);
    // The blend is what is served: its validation metrics differ from the head's (5 epochs leave the head weak).
    expect(third.card.metrics.validation.nll).not.toBeCloseTo(headOnly?.nll ?? 0, 6);
    const clf = await Classifier.load(third.dir);
    try {
      const [p] = await clf.predict(['my card never arrived and it has been weeks']);
      expect(p?.label).toBe('card_arrival');
      expect(Object.values(p?.scores ?? {}).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    } finally {
      await clf.dispose();
    }
  }, 120_000);
});

describe('finetune on the int8 encoder (sample financial sentiment)', () => {
  it('fuses exactly although int8 embeddings move with batch-mates', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'repo-int8-'));
    const r = await finetune({ task: 'classify', dataFile: join(SAMPLES, 'financial-sentiment.jsonl'), baseModelDir: resolveModelDir('int8', process.env), repo,
      name: 'sentiment', validationFraction: 0.25, train: { head: 'linear', epochs: 40, minSteps: 0, seed: 5 } });
    expect(r.labels).toEqual(['negative', 'neutral', 'positive']);
    // Precondition of this test: int8 embeddings did drift (else it would not exercise the
    // tolerant check), and stayed within the verifier's cosine floor, so the graph was written.
    expect(r.card.fusedEmbeddingMinCosine).toBeLessThan(0.99999);
    expect(r.card.fusedEmbeddingMinCosine).toBeGreaterThan(0.97);
    // The fused graph, served as training's own reader sees the file, agrees with the labels on
    // the data it learned from (a broken fusion, e.g. wrong pooling, falls to chance: ~0.33).
    const served = await evaluateModelOnFile(r.dir, join(SAMPLES, 'financial-sentiment.jsonl'), 'classify');
    expect(served.accuracy).toBeGreaterThan(0.8);
  }, 120_000);
});
