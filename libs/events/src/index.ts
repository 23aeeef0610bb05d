// Public API of @tuneline/events: the Kafka layer every service uses.

export {
  EventsError,
  SchemaValidationError,
  DecodeError,
  MessageTooLargeError,
  TransientProcessingError,
  PermanentProcessingError,
  DeadLetterPublishError,
  TopicSetupError,
  StageStateError,
  KafkaConfigError,
  KafkaAuthError,
  asKafkaAuthError,
  isRetriable,
  errorCode,
  errorMessage,
  type EventsErrorCode,
  type SchemaIssue,
} from './errors';

export { silentLogger, kafkaLogCreator, type EventsLogger } from './logger';
export {
  createKafka,
  parseBrokers,
  DEFAULT_BROKERS,
  type KafkaClientOptions,
  type KafkaLogLevel,
} from './kafka-client';
export {
  kafkaSecurityFromConfig,
  kafkaSecurityIssues,
  KAFKA_SECURITY_PROTOCOLS,
  KAFKA_SASL_MECHANISMS,
  type KafkaSecurityConfig,
  type KafkaSecurityIssue,
  type KafkaSecurityOptions,
  type KafkaSecurityProtocol,
  type KafkaSaslMechanism,
  type KafkaSaslOptions,
  type KafkaSslOptions,
} from './kafka-security';

export {
  defineTopic,
  dlqTopicName,
  DLQ_TOPIC_PREFIX,
  type TopicDefinition,
  type AnyTopicDefinition,
  type TopicInput,
  type TopicValue,
  type TopicSpec,
} from './topic-definition';
export { TOPICS, ALL_TOPICS, findTopic, dlqTopic, type RegisteredTopic, type RegisteredTopicName } from './topics';
export * from './schemas';

export { validateValue, encodeValue, decodeValue, decodeHeaders } from './codec';
export { DEFAULT_MAX_MESSAGE_BYTES, estimateRecordBytes } from './record-size';

export {
  createEventProducer,
  buildMessages,
  PRODUCER_CONFIG,
  REQUEST_ID_HEADER,
  type EventProducer,
  type EventProducerOptions,
  type SendOptions,
} from './producer';

export {
  buildDlqRecord,
  buildDlqMessage,
  dlqReason,
  DLQ_REASON_HEADER,
  DLQ_VALUE_SHA256_HEADER,
  DLQ_KEY_SHA256_HEADER,
  DLQ_TRUNCATED_HEADER,
  MIN_DLQ_MESSAGE_BYTES,
  type DeadLetterInput,
  type DlqTruncation,
} from './dlq';
export { computeBackoffMs, resolveRetryPolicy, DEFAULT_RETRY_POLICY, type RetryPolicy } from './backoff';
export { keepStarting, retriedStart, type KeepStartingOptions, type RetriedStart, type Startable } from './keep-starting';

export {
  createBufferedPublisher,
  DEFAULT_BUFFER_CAPACITY,
  DEFAULT_BUFFER_MAX_BYTES,
  DEFAULT_BUFFER_MAX_BATCH,
  DEFAULT_BUFFER_FLUSH_INTERVAL_MS,
  DEFAULT_BUFFER_CLOSE_TIMEOUT_MS,
  DEFAULT_BUFFER_RETRY,
  type BufferedPublisher,
  type BufferedPublisherOptions,
  type BufferedPublisherMetrics,
  type BufferedPublisherStats,
  type BufferDropReason,
} from './buffered-publisher';

export {
  createConsumerRunner,
  DEFAULT_CONCURRENCY,
  DEFAULT_PARTITIONS_CONSUMED_CONCURRENTLY,
  DEFAULT_MAX_IN_FLIGHT,
  DEFAULT_COMMIT_EVERY_RECORDS,
  DEFAULT_COMMIT_INTERVAL_MS,
  DEFAULT_STOP_TIMEOUT_MS,
  DEFAULT_CONSUMER_TIMING,
  type ConsumerRunner,
  type ConsumerRunnerState,
  type ConsumerRunnerOptions,
  type ConsumerTuning,
  type StopOptions,
} from './consumer-runner';
export type { ConsumedEvent, ConsumedEventMeta, ConsumerMetrics, PauseReason, RecordRef, UndecodablePolicy } from './consumer-types';

export {
  createTransactionalStage,
  DEFAULT_STAGE_MAX_BATCH_RECORDS,
  DEFAULT_TRANSACTION_TIMEOUT_MS,
  DEFAULT_RESTORE_TIMEOUT_MS,
} from './transactional/stage';
export { transactionalIdOf } from './transactional/batch-chunks';
export { DEFAULT_SNAPSHOT_CHUNK_BYTES } from './transactional/snapshot-chunks';
export type {
  StageRecord,
  StageBatch,
  StageResult,
  StageDeadLetter,
  StageStateOptions,
  StageChangelogTopic,
  StageMetrics,
  TransactionalStage,
  TransactionalStageOptions,
} from './transactional/types';

export { ensureTopics, DEFAULT_REPLICATION_FACTOR, type EnsureTopicsOptions, type EnsureTopicsResult } from './admin';
