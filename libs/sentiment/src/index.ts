// types
export type {
  SentimentLabel,
  WindowKind,
  AlertSeverity,
  AlertRule,
  LabelScore,
  WindowEvent,
  Headline,
  SentimentAlert,
} from './types';

// alerting
export { windowKeyOf, parseWindowKey, isWindowKind } from './alerting/window-key';
export type { ParsedWindowKey } from './alerting/window-key';
export { AlertEngine } from './alerting/alert-engine';
export type { AlertEngineStats } from './alerting/alert-engine';
export {
  DEFAULT_ALERTING_OPTIONS,
  validateAlertingOptions,
  alertingOptions,
  MAX_WINDOWS_PER_EVENT,
  MAX_TOP_HEADLINES,
} from './alerting/options';
export type { AlertingOptions } from './alerting/options';
export {
  ALERT_ENGINE_SNAPSHOT_VERSION,
  validateAlertEngineSnapshot,
  parseAlertEngineSnapshot,
} from './alerting/snapshot';
export type { AlertEngineSnapshot, BaselinesSnapshot, KeySnapshot, WindowSnapshot } from './alerting/snapshot';
export {
  AlertSnapshotVersionError,
  AlertSnapshotShapeError,
  AlertSnapshotInvalidError,
  alertSnapshotErrorCode,
} from './alerting/snapshot-errors';
export type { AlertSnapshotErrorCode } from './alerting/snapshot-errors';
export { MAX_SOURCES } from './alerting/source-clocks';
export type { SourceClock } from './alerting/source-clocks';
export { MAX_SOURCE_CHARS } from './alerting/window-event';
export { alertIdOf } from './alerting/alert-id';
export { windowStartsContaining, lastWindowStart } from './alerting/windows';
export { phaseOf } from './alerting/key-state';
export { scoreWindow } from './alerting/rules';
export type { WindowScore } from './alerting/rules';
export type { WindowShape } from './alerting/windows';
export type { Ewma } from './alerting/ewma';

// enrich
export { newsItemFromRecord, modelText, truncateAtWord, DEFAULT_MAX_TEXT_CHARS } from './enrich/news-item';
export type { NewsItem } from './enrich/news-item';
export { EntityMatcher, ENTITY_PLACEHOLDER, entitiesOf, parseWatchList } from './enrich/entity-matcher';
export type { WatchEntity, EntityMatcherOptions, EntityMention } from './enrich/entity-matcher';
export { OTHER_TOPIC, parseTopicDefinitions } from './enrich/topic-scorer';
export type { TopicDefinition, TopicMethod, TopicProbabilities, TopicScorer } from './enrich/topic-scorer';
export { createSimilarityTopicScorer, DEFAULT_TOPIC_TEMPERATURE, DEFAULT_OTHER_THRESHOLD } from './enrich/topic-similarity';
export type { SimilarityTopicOptions, EmbedTexts } from './enrich/topic-similarity';
export { createClassifierTopicScorer, DEFAULT_TOPIC_PROBABILITY_THRESHOLD } from './enrich/topic-classifier';
export type { ClassifierTopicOptions } from './enrich/topic-classifier';
export { scoreItems, sentimentColumns, MAX_TOPIC_SCORES, HEADLINE_MAX_CHARS } from './enrich/score-items';
export type { ScoredItem, SentimentScores, SentimentModelOutput, TopicModelOutput, ScoreItemsDeps } from './enrich/score-items';
export { windowEventsOf } from './enrich/window-events';

// samples
export { SENTIMENT_SAMPLES_DIR, SENTIMENT_SAMPLE_FILES, sentimentSamplePath, loadWatchListFile, loadTopicsFile } from './samples';
export type { SentimentSampleFile } from './samples';

// serving
export { ServingError, InvalidResumeTokenError, InvalidAlertFilterError, UnknownWindowError, TooManySubscribersError, HubClosedError } from './serving/errors';
export type { ServingErrorCode } from './serving/errors';
export { parseAlertFilter, alertMatches, MATCH_ALL_ALERTS, ALERT_FILTER_LIMITS } from './serving/alert-filter';
export type { AlertFilter, AlertFilterInput, FilterableAlert } from './serving/alert-filter';
export { encodeResumeToken, decodeResumeToken, MAX_RESUME_TOKEN_CHARS } from './serving/resume-token';
export type { OffsetVector } from './serving/resume-token';
export { AlertHub, DEFAULT_ALERT_HUB_OPTIONS, validateAlertHubOptions } from './serving/alert-hub';
export type {
  AlertHubOptions,
  AlertHubStats,
  AlertPosition,
  AlertDelivery,
  AlertSink,
  AlertSubscription,
  SubscribeOptions,
  SubscriptionCloseReason,
  PublishOutcome,
} from './serving/alert-hub';
export { EntitySentimentView, DEFAULT_ENTITY_SENTIMENT_OPTIONS, validateEntitySentimentOptions, BUCKET_MS, MAX_WINDOW_SECONDS } from './serving/entity-sentiment-view';
export type { EntitySentimentOptions, EntityObservation, EntitySentiment, EntitySentimentStats, RecordOutcome } from './serving/entity-sentiment-view';
