import type { IHeaders, Message, Offsets, OffsetsByTopicPartition } from 'kafkajs';
import type { RetryPolicy } from './backoff';
import type { ConsumerMetrics, HaltReason, RawConsumedEvent, UndecodablePolicy } from './consumer-types';
import type { EventsLogger } from './logger';
import type { Semaphore } from './semaphore';
import type { AnyTopicDefinition } from './topic-definition';

// What the batch processor works with: the slice of KafkaJS it reads and what the runner gives it.

/** The fields of a KafkaJS message the processor reads. */
export interface BatchRecord {
  key: Buffer | null;
  value: Buffer | null;
  timestamp: string;
  offset: string;
  headers?: IHeaders;
}

/** The slice of KafkaJS's EachBatchPayload the processor uses (small enough to fake in unit tests). */
export interface BatchPayload {
  batch: { topic: string; partition: number; highWatermark: string; messages: readonly BatchRecord[] };
  resolveOffset(offset: string): void;
  heartbeat(): Promise<void>;
  commitOffsetsIfNecessary(offsets?: Offsets): Promise<void>;
  uncommittedOffsets(): OffsetsByTopicPartition;
  isRunning(): boolean;
  isStale(): boolean;
}

/** Everything a batch needs from the runner that owns it. */
export interface BatchContext {
  groupId: string;
  dlqTopic: string;
  topics: ReadonlyMap<string, AnyTopicDefinition>;
  handler: (event: RawConsumedEvent) => Promise<void>;
  retry: RetryPolicy;
  isRetriable: (err: unknown) => boolean;
  /** `key`: records with the same key run in order, different keys concurrently; `partition`: strictly one at a time. */
  ordering: 'key' | 'partition';
  /** Dead-letter (default) or skip a record whose value cannot be decoded (see UndecodablePolicy). */
  undecodable: UndecodablePolicy;
  semaphore: Semaphore;
  commitEveryRecords: number;
  commitIntervalMs: number;
  heartbeatIntervalMs: number;
  maxDlqMessageBytes: number;
  logger: EventsLogger;
  metrics: Required<ConsumerMetrics>;
  publishDeadLetter(message: Message): Promise<void>;
  /** Runner-wide reason to stop dispatching (stop requested, paused by the user), if any. */
  haltReason(): HaltReason | undefined;
  /** Aborted when the runner halts; wakes records sleeping in backoff. */
  haltSignal(): AbortSignal;
  /** Aborted when stop() stops waiting: in-flight handlers are abandoned, uncommitted. */
  abandonSignal: AbortSignal;
  trackInFlight(delta: number): void;
  random?: () => number;
}
