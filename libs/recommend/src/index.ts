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

// Catalog: items with cached, re-embedded-on-change text embeddings.
export { ItemCatalog, type EmbedTexts, type EmbeddingStore, type ItemCatalogOptions, type UpsertOutcome, type UpsertCounts, type EmbeddingMatrix } from './catalog/item-catalog';
export { itemText, MAX_TEXT_TAGS } from './catalog/item-text';
export { checkCatalogItem } from './catalog/check-item';

// Profiles built online from events, and where they are stored.
export { emptyProfile, isColdProfile, type UserProfile, type SeenItem } from './profile/user-profile';
export {
  applyEvent,
  eventWeight,
  checkInteraction,
  validateProfileOptions,
  EVENT_WEIGHTS,
  RATING_MIDPOINT,
  DEFAULT_PROFILE_OPTIONS,
  type ItemLookup,
  type ProfileOptions,
} from './profile/apply-event';
export { ProfileConflictError, type ProfileStore } from './profile/profile-store';
export { InMemoryProfileStore } from './profile/in-memory-profile-store';
export {
  RedisProfileStore,
  DEFAULT_PROFILE_KEY_PREFIX,
  DEFAULT_PROFILE_UPDATE_ATTEMPTS,
  SAVE_PROFILE_SCRIPT,
  type RedisProfileClient,
  type RedisProfileStoreOptions,
} from './profile/redis-profile-store';
export { encodeProfile, decodeProfile } from './profile/profile-codec';
