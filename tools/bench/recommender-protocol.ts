import { readFileSync } from 'node:fs';
import {
  buildEvalTask,
  buildUserItemMatrix,
  EaseScorer,
  evaluate,
  IdIndex,
  ItemKnnScorer,
  loadMovieLens,
  parseMovieLensRatings,
  PopularityScorer,
  splitByUserTime,
  tuneEaseLambda,
  type CatalogItem,
  type EaseSolver,
  type EvalResult,
  type EvalTask,
  type Interaction,
  type LambdaSearch,
  type Scorer,
  type UserItemMatrix,
} from '@tuneline/recommend';

/**
 * The recommender quality protocol (issue 13), without the CLI: data preparation and the
 * contenders, so recommender-quality.spec.ts can run it on libs/recommend/samples.
 */

export interface QualityFiles {
  readonly ratings: string;
  readonly movies: string;
  readonly tags?: string;
  /** Score on this file (training on all of `ratings`) instead of the temporal split. */
  readonly test?: string;
}

export interface QualityDataOptions {
  /**
   * The baselines' training matrices keep only ratings >= this (0: every rating). Items the
   * user rated below it still count as seen (left out of the ranking). Default 3.5, the
   * relevance threshold: on MovieLens small's validation split it lifts EASE and ItemKNN (README).
   */
  readonly trainMinRating?: number;
}

export const DEFAULT_TRAIN_MIN_RATING = 3.5;

export interface QualityData {
  readonly catalog: readonly CatalogItem[];
  /** The catalog's numbering: every scorer scores, and every ranking covers, all of it. */
  readonly items: IdIndex;
  readonly train: readonly Interaction[];
  readonly test: readonly Interaction[];
  /** The validation protocol: `validation` is the last 20% of each user's `train`, `fit` the rest. */
  readonly fit: readonly Interaction[];
  readonly validation: readonly Interaction[];
  readonly task: EvalTask;
  readonly validationTask: EvalTask;
  /** `train` and `fit` as binary matrices of the ratings >= trainMinRating. */
  readonly trainMatrix: UserItemMatrix;
  readonly fitMatrix: UserItemMatrix;
  readonly trainMinRating: number;
  /** Tags left out because their user rates the item in the test split. */
  readonly droppedTags: number;
}

const pairKey = (userId: string, itemId: string) => `${userId}\u0000${itemId}`;

/**
 * Reads the files and builds both splits. Tags a user applied to an item they rate in the
 * test split are dropped: the tag would tell a content model about a held-out interaction.
 */
export function prepareQualityData(files: QualityFiles, options: QualityDataOptions = {}): QualityData {
  const trainMinRating = options.trainMinRating ?? DEFAULT_TRAIN_MIN_RATING;
  if (!(Number.isFinite(trainMinRating) && trainMinRating >= 0)) throw new RangeError(`trainMinRating must be a number >= 0, got ${String(trainMinRating)}`);
  const ratings = parseMovieLensRatings(readFileSync(files.ratings, 'utf8'), files.ratings);
  const { train, test } = files.test
    ? { train: ratings, test: parseMovieLensRatings(readFileSync(files.test, 'utf8'), files.test) }
    : splitByUserTime(ratings);
  const heldOut = new Set(test.map((x) => pairKey(x.userId, x.itemId)));
  let droppedTags = 0;
  const { catalog } = loadMovieLens({
    movies: files.movies,
    ...(files.tags ? { tags: files.tags } : {}),
    keepTag: (row) => (heldOut.has(pairKey(row.userId, row.itemId)) ? (droppedTags++, false) : true),
  });
  const items = IdIndex.of(catalog.map((i) => i.id));
  const { train: fit, test: validation } = splitByUserTime(train);
  return {
    catalog, items, train, test, fit, validation,
    task: buildEvalTask({ items, train, test }),
    validationTask: buildEvalTask({ items, train: fit, test: validation }),
    trainMatrix: buildUserItemMatrix(train, items, { minValue: trainMinRating }).matrix,
    fitMatrix: buildUserItemMatrix(fit, items, { minValue: trainMinRating }).matrix,
    trainMinRating,
    droppedTags,
  };
}

export interface ContenderResult {
  readonly metrics: EvalResult;
  /** Seconds to fit (for EASE: the λ search, then the refit on all training data). */
  readonly fitS: number;
  /** Seconds to rank every test user. */
  readonly evalS: number;
}

export interface BaselineOptions {
  readonly lambdas: readonly number[];
  readonly knnK: number;
  readonly easeSolver: EaseSolver;
  readonly log?: (message: string) => void;
}

export interface BaselineResults {
  readonly popularity: ContenderResult;
  readonly itemknn: ContenderResult;
  readonly ease: ContenderResult & { readonly search: LambdaSearch; readonly solver: 'items' | 'users'; readonly size: number; readonly searchS: number };
}

const seconds = (t0: number) => (performance.now() - t0) / 1000;

/** Fits `make()` and evaluates it on the test task, timing both. */
export function runContender(data: QualityData, make: () => Scorer): ContenderResult {
  const t0 = performance.now();
  const scorer = make();
  const fitS = seconds(t0);
  const t1 = performance.now();
  const metrics = evaluate(scorer, data.task);
  return { metrics, fitS, evalS: seconds(t1) };
}

export function runBaselines(data: QualityData, o: BaselineOptions): BaselineResults {
  const log = o.log ?? (() => undefined);
  const popularity = runContender(data, () => PopularityScorer.fit(data.trainMatrix));
  log(`popularity NDCG@10 ${popularity.metrics.ndcg10.toFixed(4)}`);
  const itemknn = runContender(data, () => ItemKnnScorer.fit(data.trainMatrix, { k: o.knnK }));
  log(`itemknn NDCG@10 ${itemknn.metrics.ndcg10.toFixed(4)} (fit ${itemknn.fitS.toFixed(2)} s)`);
  const t0 = performance.now();
  const search = tuneEaseLambda(data.fitMatrix, data.validationTask, o.lambdas, o.easeSolver);
  const searchS = seconds(t0);
  log(`ease λ search (${o.lambdas.length} values, ${searchS.toFixed(1)} s): ${search.points.map((p) => `${p.lambda}→${p.ndcg10.toFixed(4)}`).join(' ')}; best ${search.best}`);
  let model: EaseScorer | undefined;
  const refit = runContender(data, () => (model = EaseScorer.fit(data.trainMatrix, { lambda: search.best, solver: o.easeSolver })));
  const fitted = model as EaseScorer;
  log(`ease NDCG@10 ${refit.metrics.ndcg10.toFixed(4)} (${fitted.solver} solver, ${fitted.size} × ${fitted.size}, fit ${refit.fitS.toFixed(2)} s)`);
  return { popularity, itemknn, ease: { ...refit, fitS: searchS + refit.fitS, search, solver: fitted.solver, size: fitted.size, searchS } };
}

const r4 = (x: number) => Math.round(x * 1e4) / 1e4;

/** The baselines' flat keys of recommender.json (rounded to 4 decimals); Tuneline's come from its own contender. */
export function baselineFlatKeys(r: BaselineResults): Record<string, number> {
  return {
    easeNdcg10: r4(r.ease.metrics.ndcg10),
    itemknnNdcg10: r4(r.itemknn.metrics.ndcg10),
    popularityNdcg10: r4(r.popularity.metrics.ndcg10),
    easeHr10: r4(r.ease.metrics.hr10),
    easeRecall20: r4(r.ease.metrics.recall20),
    easeColdNdcg10: r4(r.ease.metrics.coldNdcg10),
  };
}

/** Every metric of a contender, rounded, for the nested details. */
export function metricsDetail(c: ContenderResult): Record<string, number> {
  const m = c.metrics;
  return {
    ndcg10: r4(m.ndcg10), hr10: r4(m.hr10), recall20: r4(m.recall20), coldNdcg10: r4(m.coldNdcg10),
    users: m.users, coldUsers: m.coldUsers, fitS: Math.round(c.fitS * 100) / 100, evalS: Math.round(c.evalS * 100) / 100,
  };
}
