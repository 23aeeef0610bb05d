import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FeatureModel } from './feature-model';
import { isFeatureModelDir, loadFeatureModelDir } from './model/feature-model-config';
import { ModelRepository } from './repository/model-repository';
import { writeLinearFeatureModel } from './testing';

const NAMES = ['a', 'b', 'c'];

describe('FeatureModel', () => {
  const dir = writeLinearFeatureModel(join(mkdtempSync(join(tmpdir(), 'feat-')), 'm'), NAMES, [1, -2, 0.5], 0.25);

  it('scores rows: one float per row, in order, for concurrent callers', async () => {
    const model = await FeatureModel.load(dir);
    try {
      expect(model.kind).toBe('features');
      expect(model.featureNames).toEqual(NAMES);
      expect(model.dir.labels).toBeUndefined();
      const rows = Float32Array.from([1, 0, 0, 0, 1, 0, 2, 2, 2]);
      const [one, two] = await Promise.all([model.score(rows, 3), model.score(Float32Array.from([0, 0, 4]), 1)]);
      expect(Array.from(one as Float32Array)).toEqual([1.25, -1.75, -0.75]);
      expect(Array.from(two as Float32Array)).toEqual([2.25]);
    } finally {
      await model.dispose();
    }
  });

  it('refuses bad rows as INVALID_ARGUMENT naming the problem', async () => {
    const model = await FeatureModel.load(dir, { maxRows: 2 });
    try {
      await expect(model.score(Float32Array.from([1, 2]), 1)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/expected n × 3/) });
      await expect(model.score(new Float32Array(9), 3)).rejects.toThrow(/too many rows: 3 > limit 2/);
      await expect(model.score(Float32Array.from([1, NaN, 0]), 1)).rejects.toThrow(/row 0, b\) is not finite/);
      await expect(model.score([1, 2, 3] as unknown as Float32Array, 1)).rejects.toThrow(/Float32Array/);
    } finally {
      await model.dispose();
    }
  });

  it('tells feature-model directories from text ones and rejects bad configs', async () => {
    expect(await isFeatureModelDir(dir)).toBe(true);
    expect(await isFeatureModelDir(tmpdir())).toBe(false);
    const bad = writeLinearFeatureModel(join(mkdtempSync(join(tmpdir(), 'feat-')), 'm'), NAMES, [1, 1, 1]);
    writeFileSync(join(bad, 'tuneline.json'), JSON.stringify({ format: 'tuneline-model/v1', task: 'ranking', featureNames: [] }));
    await expect(loadFeatureModelDir(bad)).rejects.toMatchObject({ code: 'FAILED_PRECONDITION', message: expect.stringMatching(/featureNames/) });
  });
});

describe('ModelRepository with feature models', () => {
  const root = mkdtempSync(join(tmpdir(), 'feat-repo-'));
  writeLinearFeatureModel(join(root, 'ranker', '1'), NAMES, [1, 0, 0]);
  writeLinearFeatureModel(join(root, 'ranker', '2'), NAMES, [0, 1, 0]);
  writeLinearFeatureModel(join(root, 'ranker', '3'), ['a', 'b', 'other'], [0, 0, 1]);

  it('hot-swaps versions under continuous load with zero failed requests; each result names the version that scored it', async () => {
    const repo = new ModelRepository({ root });
    await repo.load('ranker', '1');
    const row = Float32Array.from([10, 20, 30]);
    const seen = new Map<string, number>();
    const failures: unknown[] = [];
    let running = true;
    const client = async () => {
      while (running) {
        try {
          const r = await repo.scoreFeatures('ranker', row, 1, { featureNames: NAMES });
          seen.set(r.version, r.scores[0] as number);
        } catch (err) {
          failures.push(err);
        }
      }
    };
    const clients = Array.from({ length: 8 }, client);
    await new Promise((r) => setTimeout(r, 100));
    await repo.load('ranker', '2');
    await new Promise((r) => setTimeout(r, 100));
    running = false;
    await Promise.all(clients);
    await repo.close();
    expect(failures).toEqual([]);
    expect(Object.fromEntries(seen)).toEqual({ 1: 10, 2: 20 });
  });

  it('refuses rows built for other features, and the wrong call for the model kind', async () => {
    const repo = new ModelRepository({ root });
    try {
      await repo.load('ranker', '3');
      await expect(repo.scoreFeatures('ranker', new Float32Array(3), 1, { featureNames: NAMES })).rejects.toMatchObject({
        code: 'FAILED_PRECONDITION', message: expect.stringMatching(/reads features a, b, other/),
      });
      expect((await repo.scoreFeatures('ranker', Float32Array.from([0, 0, 2]), 1)).scores[0]).toBe(2);
      await expect(repo.infer('ranker', ['text'])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/use scoreFeatures/) });
      expect(repo.get('ranker').textModel.kind).toBe('features');
    } finally {
      await repo.close();
    }
  });
});
