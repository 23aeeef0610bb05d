import type { z } from 'zod';
import type { AnyTopicDefinition, TopicDefinition } from './topic-definition';

/** What every consumed event carries besides its topic and value. */
export interface ConsumedEventMeta {
  readonly partition: number;
  readonly offset: string;
  /** The record key as UTF-8 (the topic's ordering key), or null. */
  readonly key: string | null;
  /** Record headers as strings (first value of a repeated header). */
  readonly headers: Readonly<Record<string, string>>;
  /** Broker/producer timestamp in ms since the epoch, as KafkaJS gives it. */
  readonly timestamp: string;
  /** 1 on the first try, 2 on the first retry, ... */
  readonly attempt: number;
  /** Aborted when a stop gives up waiting for this handler; pass it to cancellable calls. */
  readonly signal: AbortSignal;
}

/**
 * A consumed, validated event. For a runner over several topics this is a union
 * discriminated by `topic`, so `if (e.topic === 'user.events')` narrows `e.value`.
 */
export type ConsumedEvent<T extends AnyTopicDefinition> =
  T extends TopicDefinition<infer N extends string, infer S extends z.ZodType>
    ? ConsumedEventMeta & { readonly topic: N; readonly value: z.output<S> }
    : never;

/** The untyped form the batch processor works with. */
export type RawConsumedEvent = ConsumedEventMeta & { readonly topic: string; readonly value: unknown };

export interface RecordRef {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

/** Why a batch stops dispatching records before its end. */
export type HaltReason = 'stopping' | 'paused' | 'stale' | 'rebalance' | 'error';

export type PauseReason = 'user' | 'backpressure';

/**
 * What the runner does with a record whose value cannot be decoded at all (DecodeError:
 * null/tombstone, invalid UTF-8, not JSON). `dead-letter` (default): to the group's DLQ like
 * any failed record. `skip`: logged, reported through `onFailed` and `onSkipped`, committed and
 * passed, with no DLQ write; for consumers without a DLQ topic (e.g. a broadcast follower with
 * a group per replica). A value that decodes but fails the schema is dead-lettered either way.
 */
export type UndecodablePolicy = 'dead-letter' | 'skip';

/** Callbacks for metrics (e.g. prom-client counters). They must be cheap and must not throw. */
export interface ConsumerMetrics {
  onProcessed?(info: RecordRef & { attempts: number; durationMs: number }): void;
  onFailed?(info: RecordRef & { attempt: number; code: string; retriable: boolean; willRetry: boolean; error: unknown }): void;
  onDeadLettered?(info: RecordRef & { attempts: number; code: string; dlqTopic: string }): void;
  /** An undecodable record was committed without reaching the handler or the DLQ (`undecodable: 'skip'`). */
  onSkipped?(info: RecordRef & { code: string; reason: string }): void;
  /** Records between the consumer's position and the partition's high watermark. */
  onLag?(info: { topic: string; partition: number; lag: number }): void;
  onPaused?(info: { reason: PauseReason }): void;
  onResumed?(info: { reason: PauseReason }): void;
}
