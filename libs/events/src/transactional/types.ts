import type { Kafka } from 'kafkajs';
import type { RetryPolicy } from '../backoff';
import type { ConsumerRunnerState, ConsumerTuning, StopOptions } from '../consumer-runner';
import type { ConsumedEvent } from '../consumer-types';
import type { EventsLogger } from '../logger';
import type { stageSnapshotSchema } from '../schemas';
import type { AnyTopicDefinition, TopicDefinition } from '../topic-definition';

/** One record a stage writes. Validated and encoded with its topic's schema; a value that fails it is a bug (see `process`). */
export interface StageRecord {
  readonly topic: AnyTopicDefinition;
  readonly value: unknown;
  /** Default: the topic's key of the value. */
  readonly key?: string;
  /** Default: murmur2 of the key (the partitioner every producer here uses). */
  readonly partition?: number;
}

/** The valid records of one chunk of one input partition, with that partition's state. */
export interface StageBatch<T extends AnyTopicDefinition, S> {
  readonly partition: number;
  /** Decoded and schema-valid, in offset order (invalid ones are already on their way to the DLQ). */
  readonly events: readonly ConsumedEvent<T>[];
  /** The partition's state: mutate it in place; it is snapshotted after `process` resolves. */
  readonly state: S;
  /** Aborted when a stop gives up waiting for this call (near its timeout); the chunk then stays uncommitted. */
  readonly signal: AbortSignal;
}

export interface StageDeadLetter<T extends AnyTopicDefinition> {
  readonly event: ConsumedEvent<T>;
  readonly error: unknown;
}

export interface StageResult<T extends AnyTopicDefinition> {
  readonly records: readonly StageRecord[];
  /** Events of this batch that go to the DLQ instead (same transaction); the rest of the batch goes on. */
  readonly deadLetters?: readonly StageDeadLetter<T>[];
}

/** The changelog's record schema: the stage writes its own envelope (see stageSnapshotSchema). */
export type StageChangelogTopic = TopicDefinition<string, typeof stageSnapshotSchema>;

export interface StageStateOptions<S> {
  /** Compacted topic with at least the input's partition count; partition p holds input partition p's snapshots. */
  readonly changelog: StageChangelogTopic;
  /** The state of a partition that has no snapshot yet. */
  init(partition: number): S;
  serialize(state: S): string;
  deserialize(text: string, partition: number): S;
}

/** Callbacks for metrics (e.g. prom-client). They must be cheap; a throwing one is logged and ignored. */
export interface StageMetrics {
  /** One transaction committed: its input records, outputs, dead letters and timing. */
  onCommitted?(info: {
    topic: string;
    partition: number;
    records: number;
    outputs: number;
    deadLetters: number;
    /** Bytes of the snapshot written (0: unchanged, pointer kept). */
    snapshotBytes: number;
    nextOffset: string;
    /** process() through commit. */
    durationMs: number;
    /** sendOffsets + commit, the transaction's own cost. */
    commitMs: number;
  }): void;
  /** A chunk's attempt failed; its transaction (if begun) was aborted and the partition's state reset. */
  onAborted?(info: { topic: string; partition: number; attempt: number; code: string; retriable: boolean; willRetry: boolean; error: unknown }): void;
  onDeadLettered?(info: { topic: string; partition: number; offset: string; code: string; dlqTopic: string }): void;
  /** A partition's state was (re)built: `changelog` snapshot, `init` (none yet) or `memory` (the committed snapshot is the one held). */
  onRestored?(info: { topic: string; partition: number; source: 'changelog' | 'init' | 'memory'; bytes: number; durationMs: number }): void;
  /** Another owner took the partition's transactional id; the partition's work stops until it is assigned again. */
  onFenced?(info: { topic: string; partition: number; error: unknown }): void;
  /** Reported only for partitions this member owns (never after their onReleased). */
  onLag?(info: { topic: string; partition: number; lag: number }): void;
  /** This member no longer owns the partition (revoked at a rebalance, or the stage stopped): drop its per-partition gauges. */
  onReleased?(info: { topic: string; partition: number; reason: 'revoked' | 'stopped' }): void;
}

export interface TransactionalStageOptions<T extends AnyTopicDefinition, S> {
  kafka: Kafka;
  groupId: string;
  input: T;
  /** Transactional ids are `<prefix>.<input topic>.<partition>`; keep it stable across restarts of the service. */
  transactionalIdPrefix: string;
  /**
   * Turns one chunk into output records. Retriable errors (isRetriable: model unavailable,
   * queue full) abort, reset the state and retry the chunk after a capped backoff for as long
   * as they last; they never dead-letter (the stage reports unhealthy once a chunk failed
   * `retry.maxAttempts` times in a row, until it commits). Other errors retry the chunk's
   * records one by one and dead-letter the ones that still fail. Output values that fail
   * their schema count as a non-retriable error of the chunk. A record that can never be
   * processed must therefore fail non-retriably (or be returned in `deadLetters`).
   */
  process(batch: StageBatch<T, S>): Promise<StageResult<T>>;
  state?: StageStateOptions<S>;
  /** Where a group without committed offsets starts. Default false (only new records). */
  fromBeginning?: boolean;
  /** Records per transaction at most (a fetched batch is cut into chunks). Default 500. */
  maxBatchRecords?: number;
  /**
   * Backoff between attempts of a chunk (`maxDelayMs` caps it). `maxAttempts` (default 5):
   * retriable `process` failures in a row after which the stage reports unhealthy (it keeps
   * retrying); Kafka-side failures (send, offsets, commit) in a row before the error goes to
   * KafkaJS (consumer restart, state `restarting`).
   */
  retry?: Partial<RetryPolicy>;
  isRetriable?: (err: unknown) => boolean;
  /** Partitions processed at once (each has its own producer). Default: the input's partition count. */
  partitionsConsumedConcurrently?: number;
  /**
   * Broker-side transaction timeout; an owner that died mid-transaction blocks read_committed
   * readers at most this long (unless a new owner fences it first). Also the stage's stuck
   * limit: a chunk attempt in flight longer than this makes isHealthy() false. Default 60 s.
   */
  transactionTimeoutMs?: number;
  /** How long rebuilding state from the changelog may take before it is retried. Default 60 s. */
  restoreTimeoutMs?: number;
  /** Size limit of one output record and of a dead letter. Default DEFAULT_MAX_MESSAGE_BYTES. */
  maxMessageBytes?: number;
  /** JSON-encoded bytes of state per changelog record; a larger state is written as several chunks. Default DEFAULT_SNAPSHOT_CHUNK_BYTES (512 KiB). */
  maxSnapshotChunkBytes?: number;
  /** Check at start that the input, DLQ and changelog topics exist. Default true. */
  verifyTopics?: boolean;
  consumer?: ConsumerTuning;
  logger?: EventsLogger;
  metrics?: StageMetrics;
  /** KafkaJS gave up on the consumer (`willRestart` false) or is restarting it. */
  onCrash?: (error: Error, willRestart: boolean) => void;
}

export interface TransactionalStage {
  readonly groupId: string;
  readonly dlqTopic: string;
  readonly state: ConsumerRunnerState;
  /** The crash KafkaJS gave up on (state `failed`); undefined otherwise. */
  readonly error: Error | undefined;
  /**
   * For readiness probes: true only while consuming (state `running`) and no owned partition
   * is stuck: none has failed `retry.maxAttempts` attempts in a row without a commit since,
   * and no chunk attempt has been in flight longer than `transactionTimeoutMs`.
   */
  isHealthy(): boolean;
  /** Input partitions assigned to this member at its last group join, sorted (state is restored on each one's first batch). */
  assignedPartitions(): number[];
  /** Checks topics, connects, joins the group; resolves once consuming has started. */
  start(): Promise<void>;
  /**
   * Stops fetching; no chunk starts and no failed chunk is retried; the transaction in flight
   * commits; leaves the group; closes producers. Resolves within `timeoutMs` (default 30 s):
   * near its end the work in flight is abandoned (its transaction aborted best effort, left to
   * the broker's transaction timeout or the next owner otherwise) even if a Kafka call hangs.
   * RangeError for a negative or non-finite `timeoutMs`.
   */
  stop(options?: StopOptions): Promise<void>;
}
