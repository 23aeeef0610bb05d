import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@tuneline/platform';
import { FEATURE_NAMES, loadMovieLens, nextRankerVersion, sampleMovieLensFiles } from '@tuneline/recommend';
import { sampleItemCatalog } from '@tuneline/recommend/testing';
import { ensureRanker, featureNamesOf } from './ranker-model';

const logger = createLogger({ service: 'ranker-spec', level: 'silent' });

function head(repo: string, version: string, featureNames: readonly string[]): void {
  const dir = join(repo, 'recommend-ranker', version);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'model.onnx'), 'onnx');
  writeFileSync(join(dir, 'tuneline.json'), JSON.stringify({ format: 'tuneline-model/v1', task: 'ranking', featureNames }));
}

describe('ensureRanker', () => {
  const repos: string[] = [];
  const repo = () => {
    const r = mkdtempSync(join(tmpdir(), 'ranker-spec-'));
    repos.push(r);
    return r;
  };
  afterAll(() => repos.forEach((r) => rmSync(r, { recursive: true, force: true })));

  it('reads a version\'s feature names and numbers the next version', () => {
    const r = repo();
    head(r, '3', ['a', 'b']);
    expect(featureNamesOf(join(r, 'recommend-ranker', '3'))).toEqual(['a', 'b']);
    expect(featureNamesOf(join(r, 'nowhere'))).toBeUndefined();
    expect(nextRankerVersion(['1', '10', '2', 'x-7'])).toBe('11');
    expect(nextRankerVersion([])).toBe('1');
  });

  it('serves a head over this build\'s features without training; refuses an older build\'s head when training is off', async () => {
    const { catalog } = await sampleItemCatalog();
    const interactions = loadMovieLens(sampleMovieLensFiles()).ratings;
    const current = repo();
    head(current, '2', FEATURE_NAMES);
    const found = await ensureRanker({ repoRoot: current, name: 'recommend-ranker', catalog, interactions, trainIfMissing: false, source: 'sample', logger });
    expect(found.trained).toBe(false);
    expect(found.state.profiles.size).toBeGreaterThan(0);

    const older = repo();
    head(older, '4', FEATURE_NAMES.filter((n) => n !== 'cooc'));
    await expect(ensureRanker({ repoRoot: older, name: 'recommend-ranker', catalog, interactions, trainIfMissing: false, source: 'sample', logger }))
      .rejects.toThrow(/v4 reads features \[.*\], this build computes \[.*\], and RECOMMEND_TRAIN_IF_MISSING=false/);
    await expect(ensureRanker({ repoRoot: repo(), name: 'recommend-ranker', catalog, interactions, trainIfMissing: false, source: 'sample', logger }))
      .rejects.toThrow('is not in');
  });

  it('trains the next version over an older build\'s head when training is on (the old one stays, the new one is latest)', async () => {
    const { catalog } = await sampleItemCatalog();
    const interactions = loadMovieLens(sampleMovieLensFiles()).ratings;
    const older = repo();
    head(older, '4', FEATURE_NAMES.filter((n) => n !== 'cooc'));
    const result = await ensureRanker({ repoRoot: older, name: 'recommend-ranker', catalog, interactions, trainIfMissing: true, source: 'sample', logger });
    expect(result.trained).toBe(true);
    expect(featureNamesOf(join(older, 'recommend-ranker', '5'))).toEqual([...FEATURE_NAMES]);
    expect(featureNamesOf(join(older, 'recommend-ranker', '4'))).toHaveLength(FEATURE_NAMES.length - 1);
  }, 120_000);
});
