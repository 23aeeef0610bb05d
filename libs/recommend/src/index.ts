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
export { movieLensFilesIn } from './data/movielens-dir';
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
export { InlineEmbeddings, DEFAULT_INLINE_CACHE_ITEMS } from './catalog/inline-embeddings';

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
export { ProfileConflictError, type ProfileStore, type OnceResult } from './profile/profile-store';
export { checkPosition, isAfter, type EventPosition } from './profile/event-position';
export { checkEventTime, DEFAULT_MAX_FUTURE_MS } from './profile/event-time';
export { InMemoryProfileStore, DEFAULT_MAX_PROFILES, type InMemoryProfileStoreOptions } from './profile/in-memory-profile-store';
export {
  RedisProfileStore,
  DEFAULT_PROFILE_KEY_PREFIX,
  DEFAULT_PROFILE_UPDATE_ATTEMPTS,
  SAVE_PROFILE_SCRIPT,
  offsetField,
  type RedisProfileClient,
  type RedisProfileStoreOptions,
} from './profile/redis-profile-store';
export { encodeProfile, decodeProfile } from './profile/profile-codec';

// Collaborative signals: online co-occurrence and batch EASE.
export { CoOccurrence, DEFAULT_CO_OCCURRENCE_OPTIONS, type CoOccurrenceOptions } from './collab/co-occurrence';
export {
  fitCollaborative,
  isPositive,
  DEFAULT_EASE_LAMBDA,
  type CollaborativeModels,
  type CollaborativeOptions,
} from './collab/collaborative';

// Features of (user, item) pairs.
export { FEATURE_NAMES, FEATURE_COUNT, COLD_BELOW, type FeatureName } from './features/feature-names';
export { WeightedEase } from './collab/weighted-ease';
export { SequenceTransitions, DEFAULT_SEQUENCE_OPTIONS, type SequenceOptions } from './collab/sequence-transitions';
export {
  FeatureExtractor,
  RECENT_LIKED,
  DEFAULT_EASE_HALF_LIFE_DAYS,
  type FeatureCatalog,
  type FeatureSources,
  type HistoryScorer,
  type UserSide,
} from './features/feature-extractor';
export { ItemPopularity, type ItemPopularityOptions } from './features/item-popularity';
export { TimeSweep } from './features/time-sweep';

// Candidate generation.
export { TextNeighbours, type TextNeighboursOptions, type EmbeddingSource } from './candidates/text-neighbours';
export {
  generateCandidates,
  validateCandidateOptions,
  DEFAULT_CANDIDATE_OPTIONS,
  type CandidateOptions,
  type CandidateSource,
  type Candidates,
} from './candidates/candidate-generator';

// The ranking head: training on an interaction log, offline scoring.
export { buildOfflineState, replayProfiles, seenIndices, type OfflineState, type OfflineStateOptions } from './rank/offline-state';
export { rankerRows, type RankerRows, type RankerRowsInput } from './rank/ranker-rows';
export { fitTuneline, TUNELINE_HEAD_OPTIONS, DEFAULT_ENSEMBLE, type FitTunelineOptions, type FitTunelineResult, type FitReport } from './rank/fit-tuneline';
export { CatalogScorer, NOT_RETRIEVED_SCORE } from './rank/catalog-scorer';
export { trainRankingHead, nextRankerVersion, type TrainRankingHeadOptions, type TrainedRankingHead } from './rank/train-ranking-head';

// Serving the head, explanations, business rules and the facade both transports call.
export { LocalRanker, RepositoryRanker, featureHeadFromCard, type Ranker, type RankerScores, type FeatureScoringRepository } from './rank/ranker';
export { topReasons, type Reason } from './rank/explain';
export { DEFAULT_RULES, COLD_ITEM_BOOST, validateRules, type RulesConfig, type BoostRule } from './rules/rules-config';
export { applyRules, boostMatches, type AppliedRule, type ScoredItem, type RuleContext } from './rules/apply-rules';
export { RecommendRequestError, CandidateLimitError } from './recommender/errors';
export {
  Recommender,
  MAX_CANDIDATES,
  MAX_K,
  DEFAULT_K,
  REASONS_PER_ITEM,
  type RankCandidate,
  type RankRequest,
  type RecommendRequest,
  type RankedItem,
  type RankResponse,
  type RecommenderLimits,
  type RecommenderOptions,
} from './recommender/recommender';
