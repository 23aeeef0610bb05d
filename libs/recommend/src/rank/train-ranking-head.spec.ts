import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMovieLens } from '../data/movielens';
import { FEATURE_NAMES } from '../features/feature-names';
import { sampleMovieLensFiles } from '../samples';
import { sampleItemCatalog } from '../testing/hashing-embed';
import { nextRankerVersion, trainRankingHead } from './train-ranking-head';

describe('trainRankingHead', () => {
  const repo = mkdtempSync(join(tmpdir(), 'train-ranking-head-'));
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  it('numbers versions after every numbered one', () => {
    expect(nextRankerVersion(['1', '10', '2', 'x-7'])).toBe('11');
    expect(nextRankerVersion([])).toBe('1');
  });

  it('writes the next version of the repository: graph, tuneline.json over FEATURE_NAMES, and a ranking card with the report', async () => {
    const { catalog } = await sampleItemCatalog();
    const interactions = loadMovieLens(sampleMovieLensFiles()).ratings;
    mkdirSync(join(repo, 'ranker', '3'), { recursive: true });
    const trained = await trainRankingHead({ repoRoot: repo, name: 'ranker', catalog, interactions, source: 'sample' });
    expect(trained.version).toBe('4');
    expect(trained.dir).toBe(join(repo, 'ranker', '4'));
    expect(existsSync(join(trained.dir, 'model.onnx'))).toBe(true);
    expect(JSON.parse(readFileSync(join(trained.dir, 'tuneline.json'), 'utf8'))).toMatchObject({ task: 'ranking', featureNames: [...FEATURE_NAMES] });
    const card = JSON.parse(readFileSync(join(trained.dir, 'model-card.json'), 'utf8')) as Record<string, unknown>;
    expect(card).toMatchObject({ name: 'ranker', version: '4', task: 'ranking', trainedOn: 'sample', interactions: interactions.length });
    expect((card['report'] as { members: unknown[] }).members).toHaveLength(trained.fit.report.members.length);
  }, 60_000);

  it('refuses an empty interaction log before training', async () => {
    const { catalog } = await sampleItemCatalog();
    await expect(trainRankingHead({ repoRoot: repo, name: 'empty', catalog, interactions: [], source: 'nothing' })).rejects.toThrow('nothing: no interactions');
    expect(existsSync(join(repo, 'empty'))).toBe(false);
  });
});
