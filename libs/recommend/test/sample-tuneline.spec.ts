/**
 * Tuneline end to end on the project's sample: fit the ranking head on the training split
 * (temporal split inside it), score every test user through retrieval + head, and compare
 * with popularity under the bench's protocol. The sample's clusters are strong, so the
 * learned ranker must beat popularity clearly; the head must also export to ONNX and be
 * served with the same scores.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileFeatureHead, scoreFeatureRows, writeFeatureModelDir } from '@tuneline/finetune';
import { FeatureModel } from '@tuneline/inference';
import {
  buildEvalTask,
  buildUserItemMatrix,
  CatalogScorer,
  evaluate,
  FEATURE_COUNT,
  FEATURE_NAMES,
  fitTuneline,
  generateCandidates,
  IdIndex,
  NOT_RETRIEVED_SCORE,
  PopularityScorer,
  seenIndices,
  splitByUserTime,
  type FitTunelineResult,
} from '../src/index';
import { sampleItemCatalog } from '../src/testing/hashing-embed';
import { loadMovieLens } from '../src/data/movielens';
import { sampleMovieLensFiles } from '../src/samples';
import type { ItemCatalog } from '../src/catalog/item-catalog';

jest.setTimeout(60_000);

// Small and short: jest's shared typed-array realm makes the MLP loops slow (libs/finetune spec).
const HEAD = { hiddenDim: 8, minSteps: 300, epochs: 20, learningRate: 0.01 };

describe('Tuneline on the sample catalog', () => {
  const { ratings } = loadMovieLens(sampleMovieLensFiles());
  const { train, test } = splitByUserTime(ratings);
  let catalog: ItemCatalog;
  let fit: FitTunelineResult;
  beforeAll(async () => {
    catalog = (await sampleItemCatalog(64)).catalog;
    fit = fitTuneline(catalog, train, { head: HEAD, ensemble: 2, state: { collaborative: { easeLambda: 20 } } });
  });

  it('trains on candidates with positives among them and reports the fit', () => {
    expect(fit.report.labelUsers).toBeGreaterThan(20);
    expect(fit.report.candidateRecall).toBeGreaterThan(0.5);
    expect(fit.report.positives).toBeGreaterThan(0);
    expect(fit.report.rows).toBeGreaterThan(fit.report.positives);
    expect(fit.head.featureNames).toEqual(FEATURE_NAMES);
    expect(fit.report.members).toHaveLength(2);
    for (const m of fit.report.members) expect(m.validationAuc).toBeGreaterThan(0.6);
    // Two MLP members of 8 hidden units merged into one head of 16.
    expect(fit.head.weights.hiddenDim).toBe(16);
  });

  it('ranks the test split better than popularity (NDCG@10, HR@10)', () => {
    const items = IdIndex.of(catalog.ids);
    const task = buildEvalTask({ items, train, test });
    const tuneline = evaluate(new CatalogScorer(fit.state, fit.head, fit.candidates, task.users.map((u) => u.id)), task);
    const popularity = evaluate(PopularityScorer.fit(buildUserItemMatrix(train, items, { minValue: 3.5 }).matrix), task);
    expect(tuneline.ndcg10).toBeGreaterThan(popularity.ndcg10 * 1.5);
    expect(tuneline.hr10).toBeGreaterThan(popularity.hr10);
  });

  it('gives items retrieval did not propose a score below every candidate', () => {
    const userId = [...fit.state.profiles.keys()][0] as string;
    const scores = new CatalogScorer(fit.state, fit.head, fit.candidates, [userId]).scoreUser(userId);
    const candidates = scores.filter((s) => s > NOT_RETRIEVED_SCORE);
    expect(candidates.length).toBeGreaterThan(0);
    expect(Math.min(...candidates)).toBeGreaterThan(NOT_RETRIEVED_SCORE);
    expect(() => new CatalogScorer(fit.state, fit.head, fit.candidates, []).scoreUser(userId)).toThrow(/was not scored/);
  });

  it('exports a head that libs/inference serves with the offline scores (within 1e-4)', async () => {
    const dir = await writeFeatureModelDir({ dir: join(mkdtempSync(join(tmpdir(), 'tl-head-')), '1'), head: fit.head, card: { report: fit.report } });
    const model = await FeatureModel.load(dir);
    try {
      const userId = [...fit.state.profiles.keys()][1] as string;
      let rows: Float32Array = new Float32Array(0);
      let n = 0;
      fit.state.forUsersInTime([userId], (_u, user, extractor) => {
        const { items } = generateCandidates(user, fit.state.popularity, catalog.size, seenIndices(user.profile, catalog), fit.candidates);
        rows = extractor.rows(user, items);
        n = items.length;
      });
      expect(rows.length).toBe(n * FEATURE_COUNT);
      const served = await model.score(rows, n);
      const offline = scoreFeatureRows(compileFeatureHead(fit.head), rows, n);
      expect(Math.max(...Array.from(served, (s, i) => Math.abs(s - (offline[i] as number))))).toBeLessThan(1e-4);
      expect(model.featureNames).toEqual(FEATURE_NAMES);
    } finally {
      await model.dispose();
    }
  });
});
