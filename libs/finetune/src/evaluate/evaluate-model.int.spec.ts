import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelFormatError, resolveModelDir } from '@tuneline/inference';
import { DatasetError } from '../data/dataset-error';
import { finetune, type FinetuneResult } from '../pipeline/finetune';
import { evaluateModelOnFile, TaskMismatchError } from './evaluate-model';
import { resolveTrainedModelDir } from './model-path';
import { openPredictor, predictTexts } from './predict-texts';

const DATA = join(__dirname, '../../samples/financial-sentiment.jsonl');

describe('evaluate and predict with a trained model directory (real encoder)', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'evaluate-'));
  let model: FinetuneResult;

  beforeAll(async () => {
    model = await finetune({ task: 'classify', dataFile: DATA, baseModelDir: resolveModelDir('default', process.env), repo: join(tmp, 'repo'), name: 'fin',
      train: { head: 'linear', epochs: 10, minSteps: 0, seed: 7 } });
  }, 90_000);

  it('scores the model on a labelled file and returns per-row predictions', async () => {
    const progress: number[] = [];
    const res = await evaluateModelOnFile(model.dir, DATA, 'classify', { includePredictions: true, onProgress: (done) => progress.push(done) });
    expect(res.count).toBe(48);
    expect(res.labels).toEqual(['negative', 'neutral', 'positive']);
    expect(res.confusion.flat().reduce((a, b) => a + b, 0)).toBe(48);
    expect(res.accuracy).toBeGreaterThan(0.6);
    expect(res.predictions).toHaveLength(48);
    const first = res.predictions?.[0];
    expect(first).toMatchObject({ line: 1, id: 'fin-neu-06', expected: ['neutral'] });
    expect(Object.values(first?.scores ?? {}).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(res.predictions?.filter((p) => p.correct).length).toBe(Math.round(res.accuracy * 48));
    expect(progress).toEqual([48]);
  }, 60_000);

  it('names the line of a label the model does not know', async () => {
    const file = join(tmp, 'unknown-label.jsonl');
    const lines = readFileSync(DATA, 'utf8').split('\n').slice(0, 3);
    lines.splice(1, 0, JSON.stringify({ text: 'Sales were flat.', label: 'bullish' }));
    writeFileSync(file, lines.join('\n') + '\n');
    const err = await evaluateModelOnFile(model.dir, file, 'classify').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatasetError);
    expect((err as DatasetError).message).toBe(`${file}:2: unknown label "bullish"; the model knows negative, neutral, positive`);
  }, 60_000);

  it('refuses a task that does not fit the model and a missing model directory', async () => {
    await expect(evaluateModelOnFile(model.dir, DATA, 'multilabel')).rejects.toThrow(TaskMismatchError);
    await expect(evaluateModelOnFile(join(tmp, 'nope'), DATA, 'classify')).rejects.toThrow(ModelFormatError);
  }, 60_000);

  it('predicts more texts than one inference call accepts, in chunks, keeping order', async () => {
    const base = Array.from({ length: 150 }, (_, i) => (i % 2 ? `Net profit rose ${i} % on record sales .` : `The company will hold its meeting on day ${i} .`));
    const texts = Array.from({ length: 300 }, (_, i) => base[i % 150] as string);
    const out = await predictTexts(model.dir, texts);
    expect(out).toHaveLength(300);
    for (const p of out) expect(Object.keys(p.scores)).toEqual(['negative', 'neutral', 'positive']);
    // texts[256 + k] (second chunk) repeats texts[106 + k] (first chunk): same answers, in order.
    for (let k = 0; k < 44; k++) {
      expect(out[256 + k]?.label).toBe(out[106 + k]?.label);
      expect(out[256 + k]?.scores['positive']).toBeCloseTo(out[106 + k]?.scores['positive'] as number, 4);
    }
    expect(out.filter((p, i) => i % 2 === 1 && p.label === 'positive').length).toBeGreaterThan(100);
    await expect(predictTexts(model.dir, ['x'], { chunkSize: 1000 })).rejects.toThrow(RangeError);
  }, 60_000);

  it('keeps one loaded model for many calls through openPredictor', async () => {
    const p = await openPredictor(model.dir);
    try {
      expect(p.task).toBe('classification');
      const [a] = await p.predict(['Operating profit more than doubled .']);
      const [b] = await p.predict(['Operating profit more than doubled .']);
      expect(a?.label).toBe(b?.label);
      expect(await p.predict([])).toEqual([]);
    } finally {
      await p.dispose();
    }
  }, 60_000);
});

describe('resolveTrainedModelDir', () => {
  it('takes a version directory as is and a model root to its latest version', () => {
    const root = mkdtempSync(join(tmpdir(), 'model-root-'));
    for (const v of ['1', '2', '10', '.11.tmp-5']) {
      mkdirSync(join(root, v));
      writeFileSync(join(root, v, 'model.onnx'), '');
    }
    mkdirSync(join(root, '12'));
    expect(resolveTrainedModelDir(root)).toBe(join(root, '10'));
    expect(resolveTrainedModelDir(join(root, '2'))).toBe(join(root, '2'));
    expect(resolveTrainedModelDir(join(root, 'missing'))).toBe(join(root, 'missing'));
    expect(resolveTrainedModelDir(join(root, '12'))).toBe(join(root, '12'));
  });
});
