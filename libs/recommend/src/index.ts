// Public API of @tuneline/recommend: the transport-free logic of the recommender
// (catalog and interaction data, offline evaluation, baselines). apps/recommender adds
// HTTP, gRPC, Redis and Kafka around it.

export { INTERACTION_TYPES, type CatalogItem, type Interaction, type InteractionType } from './data/catalog-item';
export { RecommendDataError } from './data/data-error';
export { IdIndex } from './data/id-index';
export {
  loadMovieLens,
  parseMovieLensMovies,
  parseMovieLensRatings,
  parseMovieLensTags,
  releaseDateOfTitle,
  type MovieLensData,
  type MovieLensFiles,
  type MovieLensTagOptions,
  type TagRow,
} from './data/movielens';
export { splitByUserTime, DEFAULT_TEST_FRACTION, type TemporalSplit, type TemporalSplitOptions } from './data/temporal-split';
export {
  buildUserItemMatrix,
  itemUserColumns,
  itemCounts,
  rowItems,
  type UserItemMatrix,
  type ItemUserColumns,
  type BuildMatrixOptions,
  type BuiltMatrix,
} from './data/user-item-matrix';
export { RECOMMEND_SAMPLES_DIR, sampleMovieLensFiles } from './samples';

export type { Scorer } from './eval/scorer';
export { topK } from './eval/top-k';
export { hitRateAtK, ndcgAtK, recallAtK, hitsAtK, sortedHas } from './eval/metrics';
export {
  buildEvalTask,
  DEFAULT_RELEVANT_MIN,
  DEFAULT_COLD_BELOW,
  type EvalTask,
  type EvalTaskInput,
  type EvalTaskStats,
  type EvalUser,
} from './eval/eval-task';
export { evaluate, type EvalResult } from './eval/evaluate';

export { PopularityScorer } from './baselines/popularity';
export { ItemKnnScorer, DEFAULT_KNN_NEIGHBOURS, type ItemKnnOptions } from './baselines/item-knn';
export { EaseScorer, type EaseOptions, type EaseSolver } from './baselines/ease';
export { tuneEaseLambda, DEFAULT_EASE_LAMBDAS, type LambdaPoint, type LambdaSearch } from './baselines/tune-ease';
