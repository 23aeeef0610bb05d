import type { IHeaders, Message, Offsets, OffsetsByTopicPartition } from 'kafkajs';
import { computeBackoffMs, sleep, type RetryPolicy } from './backoff';
import { decodeHeaders, decodeValue } from './codec';
import type { ConsumerMetrics, HaltReason, RawConsumedEvent } from './consumer-types';
import { buildDlqMessage } from './dlq';
import { DeadLetterPublishError, errorCode, errorMessage } from './errors';
import type { EventsLogger } from './logger';
import { OffsetTracker } from './offset-tracker';
import type { Semaphore } from './semaphore';
import type { AnyTopicDefinition } from './topic-definition';

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

type Outcome = 'done' | 'dead-lettered' | 'abandoned';

// Errors KafkaJS raises from heartbeat/commit when the group is rebalancing or has moved on.
const REBALANCE_ERROR_TYPES = new Set(['REBALANCE_IN_PROGRESS', 'NOT_COORDINATOR_FOR_GROUP', 'ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID']);

export function isRebalanceError(err: unknown): boolean {
  const type = typeof err === 'object' && err !== null ? (err as { type?: unknown }).type : undefined;
  return typeof type === 'string' && REBALANCE_ERROR_TYPES.has(type);
}

function lag(highWatermark: string, nextOffset: string): number {
  try {
    const diff = BigInt(highWatermark) - BigInt(nextOffset);
    return diff > 0n ? Number(diff) : 0;
  } catch {
    return 0;
  }
}

function whenAborted(signal: AbortSignal): { promise: Promise<void>; dispose(): void } {
  let dispose = (): void => undefined;
  const promise = new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const onAbort = (): void => resolve();
    signal.addEventListener('abort', onAbort, { once: true });
    dispose = () => signal.removeEventListener('abort', onAbort);
  });
  return { promise, dispose: () => dispose() };
}

/**
 * Processes one partition's batch with at-least-once semantics:
 * - records are dispatched in offset order into lanes (per key, or one lane per
 *   partition); a lane runs its records one after another, lanes run concurrently,
 *   bounded by the runner-wide semaphore;
 * - a record counts as done when its handler succeeded or it was dead-lettered;
 *   only the contiguous done prefix is resolved and committed;
 * - retriable failures are retried with exponential backoff; the rest, and
 *   exhausted retries, go to the DLQ; a DLQ write failure leaves the record
 *   uncommitted and fails the batch so KafkaJS re-fetches it;
 * - on stop, user pause, rebalance or seek no new record starts; in-flight ones
 *   finish, the done prefix is committed, the rest is fetched again later.
 */
export async function processBatch(payload: BatchPayload, ctx: BatchContext): Promise<void> {
  const { topic, partition, messages, highWatermark } = payload.batch;
  if (messages.length === 0) return;
  const definition = ctx.topics.get(topic);
  if (!definition) throw new Error(`received a batch of ${topic}, which this runner does not consume`);

  const tracker = new OffsetTracker(messages.map((m) => m.offset));
  const localHalt = new AbortController();
  let halted: HaltReason | undefined;
  let failure: unknown;
  let closed = false;
  let settled = 0;
  let doneSinceCommit = 0;
  let lastCommitAt = Date.now();
  let lastResolved: string | undefined;
  let commitChain: Promise<void> = Promise.resolve();

  const halt = (reason: HaltReason, err?: unknown): void => {
    if (err !== undefined && failure === undefined) failure = err;
    if (halted) return;
    halted = reason;
    localHalt.abort();
  };
  const currentHalt = (): HaltReason | undefined => {
    if (halted) return halted;
    const reason = ctx.haltReason() ?? (!payload.isRunning() ? 'stopping' : payload.isStale() ? 'stale' : undefined);
    if (reason) halt(reason);
    return reason;
  };

  // Commits are chained so two records finishing together do not race each other.
  const commit = (): Promise<void> => {
    const run = commitChain.then(async () => {
      const offsets = payload.uncommittedOffsets();
      if (offsets.topics.length === 0) return;
      doneSinceCommit = 0;
      lastCommitAt = Date.now();
      await payload.commitOffsetsIfNecessary(offsets);
    });
    commitChain = run.catch(() => undefined);
    return run;
  };

  const markDone = async (index: number): Promise<void> => {
    doneSinceCommit++;
    const offset = tracker.complete(index);
    if (offset === undefined) return;
    payload.resolveOffset(offset);
    lastResolved = offset;
    if (doneSinceCommit < ctx.commitEveryRecords && Date.now() - lastCommitAt < ctx.commitIntervalMs) return;
    try {
      await commit();
    } catch (err) {
      if (isRebalanceError(err)) halt('rebalance', err);
      else ctx.logger.warn({ err, topic, partition }, 'offset commit failed; retrying at batch end');
    }
  };

  const deadLetter = async (message: BatchRecord, err: unknown, attempts: number): Promise<void> => {
    const dlqMessage = buildDlqMessage({
      groupId: ctx.groupId,
      topic,
      partition,
      offset: message.offset,
      timestamp: message.timestamp,
      key: message.key,
      value: message.value,
      headers: message.headers,
      error: err,
      attempts,
      maxMessageBytes: ctx.maxDlqMessageBytes,
    });
    try {
      await ctx.publishDeadLetter(dlqMessage);
    } catch (publishErr) {
      throw new DeadLetterPublishError(
        `could not dead-letter ${topic}/${partition}@${message.offset} to ${ctx.dlqTopic}: ${errorMessage(publishErr)}`,
        { cause: publishErr },
      );
    }
    const code = errorCode(err);
    ctx.metrics.onDeadLettered({ topic, partition, offset: message.offset, attempts, code, dlqTopic: ctx.dlqTopic });
    ctx.logger.warn(
      { topic, partition, offset: message.offset, code, attempts, dlqTopic: ctx.dlqTopic, reason: errorMessage(err) },
      'record dead-lettered',
    );
  };

  const processRecord = async (message: BatchRecord): Promise<Outcome> => {
    const ref = { topic, partition, offset: message.offset };
    let value: unknown;
    try {
      value = decodeValue(definition, message.value);
    } catch (err) {
      // Bad bytes never reach the handler: nothing to retry.
      ctx.metrics.onFailed({ ...ref, attempt: 1, code: errorCode(err), retriable: false, willRetry: false, error: err });
      await deadLetter(message, err, 1);
      return 'dead-lettered';
    }
    const headers = decodeHeaders(message.headers);
    const key = message.key === null ? null : message.key.toString('utf8');
    for (let attempt = 1; ; attempt++) {
      const started = Date.now();
      try {
        await ctx.handler({ ...ref, key, value, headers, timestamp: message.timestamp, attempt, signal: ctx.abandonSignal });
        ctx.metrics.onProcessed({ ...ref, attempts: attempt, durationMs: Date.now() - started });
        return 'done';
      } catch (err) {
        if (closed) return 'abandoned';
        const retriable = ctx.isRetriable(err);
        const willRetry = retriable && attempt < ctx.retry.maxAttempts;
        const code = errorCode(err);
        ctx.metrics.onFailed({ ...ref, attempt, code, retriable, willRetry, error: err });
        if (!willRetry) {
          await deadLetter(message, err, attempt);
          return 'dead-lettered';
        }
        const delayMs = computeBackoffMs(attempt, ctx.retry, ctx.random);
        ctx.logger.debug({ ...ref, attempt, code, delayMs }, 'retriable failure; backing off');
        const slept = await sleep(delayMs, AbortSignal.any([localHalt.signal, ctx.haltSignal()]));
        // Halted while waiting: leave the record uncommitted; it is fetched again.
        if (!slept || currentHalt()) return 'abandoned';
      }
    }
  };

  const settle = (): void => {
    settled++;
    if (!closed) ctx.trackInFlight(-1);
  };

  const runOne = async (message: BatchRecord, index: number): Promise<void> => {
    try {
      if (closed || currentHalt()) return;
      const release = await ctx.semaphore.acquire();
      try {
        if (closed || currentHalt()) return;
        const outcome = await processRecord(message);
        if (closed || outcome === 'abandoned') return;
        await markDone(index);
      } finally {
        release();
      }
    } catch (err) {
      halt('error', err);
    } finally {
      settle();
    }
  };

  const beat = (): void => {
    payload.heartbeat().catch((err: unknown) => {
      if (isRebalanceError(err)) halt('rebalance', err);
      else ctx.logger.warn({ err, topic, partition }, 'heartbeat failed');
    });
  };

  ctx.metrics.onLag({ topic, partition, lag: lag(highWatermark, messages[0].offset) });
  ctx.trackInFlight(messages.length);
  // KafkaJS only heartbeats between batches; keep the membership alive during long ones.
  const heartbeatTimer = setInterval(beat, ctx.heartbeatIntervalMs);
  const abandoned = whenAborted(ctx.abandonSignal);
  try {
    const lanes = new Map<string, Promise<void>>();
    const tasks = messages.map((message, index) => {
      const lane = ctx.ordering === 'partition' ? '' : message.key?.toString('latin1');
      const previous = lane === undefined ? undefined : lanes.get(lane);
      const task = previous ? previous.then(() => runOne(message, index)) : runOne(message, index);
      if (lane !== undefined) lanes.set(lane, task);
      return task;
    });
    await Promise.race([Promise.all(tasks), abandoned.promise]);
  } finally {
    abandoned.dispose();
    clearInterval(heartbeatTimer);
    closed = true;
    ctx.trackInFlight(-(messages.length - settled));
  }

  if (ctx.abandonSignal.aborted && tracker.completedPrefix < tracker.size) {
    ctx.logger.warn(
      { topic, partition, committedUpTo: lastResolved, pending: tracker.size - tracker.completedPrefix },
      'stop timed out; unfinished records stay uncommitted and will be redelivered',
    );
  }
  try {
    await commit();
  } catch (err) {
    if (failure === undefined) failure = err;
  }
  if (lastResolved !== undefined) {
    ctx.metrics.onLag({ topic, partition, lag: lag(highWatermark, (BigInt(lastResolved) + 1n).toString()) });
  }
  // Rethrown to KafkaJS: a rebalance error makes it rejoin; anything else makes it re-fetch
  // from the last resolved offset (and restart the consumer if that keeps failing).
  if (failure !== undefined) throw failure;
}
