/**
 * The whole offline protocol on the project's sample (libs/recommend/samples): load, split
 * per user by time, carve validation from train, tune EASE's λ there, refit on train and
 * score the test split. The sample's taste clusters are strong, so every collaborative
 * baseline must beat popularity by a clear margin.
 */
import {
  buildEvalTask,
  buildUserItemMatrix,
  EaseScorer,
  evaluate,
  IdIndex,
  ItemKnnScorer,
  loadMovieLens,
  PopularityScorer,
  sampleMovieLensFiles,
  splitByUserTime,
  tuneEaseLambda,
} from '../src/index';

describe('baselines on the sample catalog', () => {
  const { catalog, ratings } = loadMovieLens(sampleMovieLensFiles());
  const items = IdIndex.of(catalog.map((i) => i.id));
  const { train, test } = splitByUserTime(ratings);
  const task = buildEvalTask({ items, train, test });
  const trainMatrix = buildUserItemMatrix(train, items).matrix;

  it('has a usable split: most users evaluated, some cold items', () => {
    expect(task.users.length).toBeGreaterThan(35);
    expect(task.stats.coldUsers).toBeGreaterThan(0);
    expect(task.stats.unknownItems).toBe(0);
  });

  it('ItemKNN and tuned EASE beat popularity on NDCG@10 and HR@10', () => {
    const fitVal = splitByUserTime(train);
    const validation = buildEvalTask({ items, train: fitVal.train, test: fitVal.test });
    const search = tuneEaseLambda(buildUserItemMatrix(fitVal.train, items).matrix, validation, [1, 5, 20, 100]);
    expect(search.points.map((p) => p.lambda)).toEqual([1, 5, 20, 100]);
    expect(search.points.find((p) => p.lambda === search.best)?.ndcg10).toBe(Math.max(...search.points.map((p) => p.ndcg10)));

    const pop = evaluate(PopularityScorer.fit(trainMatrix), task);
    const knn = evaluate(ItemKnnScorer.fit(trainMatrix), task);
    const ease = evaluate(EaseScorer.fit(trainMatrix, { lambda: search.best }), task);
    for (const r of [knn, ease]) {
      expect(r.ndcg10).toBeGreaterThan(pop.ndcg10 * 1.5);
      expect(r.hr10).toBeGreaterThan(pop.hr10);
      expect(r.recall20).toBeGreaterThanOrEqual(pop.recall20);
    }
  });
});
