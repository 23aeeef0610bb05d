import { computeBackoffMs, sleep } from './backoff';
import type { BatchContext, BatchRecord } from './batch-context';
import { decodeHeaders, decodeValue } from './codec';
import type { HaltReason } from './consumer-types';
import { buildDlqMessage } from './dlq';
import { DeadLetterPublishError, DecodeError, errorCode, errorMessage } from './errors';
import type { AnyTopicDefinition } from './topic-definition';

/** How one record ended: handled, dead-lettered, skipped (all three count as done) or left uncommitted. */
export type RecordOutcome = 'done' | 'dead-lettered' | 'skipped' | 'abandoned';

/** What a record needs from the batch it belongs to. */
export interface RecordScope {
  topic: string;
  partition: number;
  definition: AnyTopicDefinition;
  /** True once the batch stopped waiting for its records: a late failure is then abandoned. */
  isClosed(): boolean;
  /** Aborted when the batch halts; wakes a record sleeping in backoff. */
  haltSignal: AbortSignal;
  currentHalt(): HaltReason | undefined;
}

/** Writes the record to the group's DLQ; a failed write becomes a (retriable) DeadLetterPublishError. */
export async function deadLetter(ctx: BatchContext, scope: RecordScope, message: BatchRecord, err: unknown, attempts: number): Promise<void> {
  const { topic, partition } = scope;
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
    throw new DeadLetterPublishError(`could not dead-letter ${topic}/${partition}@${message.offset} to ${ctx.dlqTopic}: ${errorMessage(publishErr)}`, {
      cause: publishErr,
    });
  }
  const code = errorCode(err);
  ctx.metrics.onDeadLettered({ topic, partition, offset: message.offset, attempts, code, dlqTopic: ctx.dlqTopic });
  ctx.logger.warn(
    { topic, partition, offset: message.offset, code, attempts, dlqTopic: ctx.dlqTopic, reason: errorMessage(err) },
    'record dead-lettered',
  );
}

/**
 * Decodes one record and runs the handler on it: retriable failures again after a
 * backoff, the rest and exhausted retries to the DLQ. Bad bytes never reach the handler:
 * an undecodable value is dead-lettered, or skipped under `undecodable: 'skip'`.
 */
export async function processRecord(ctx: BatchContext, scope: RecordScope, message: BatchRecord): Promise<RecordOutcome> {
  const ref = { topic: scope.topic, partition: scope.partition, offset: message.offset };
  let value: unknown;
  try {
    value = decodeValue(scope.definition, message.value);
  } catch (err) {
    // Nothing to retry.
    const code = errorCode(err);
    ctx.metrics.onFailed({ ...ref, attempt: 1, code, retriable: false, willRetry: false, error: err });
    if (err instanceof DecodeError && ctx.undecodable === 'skip') {
      const reason = errorMessage(err);
      ctx.metrics.onSkipped({ ...ref, code, reason });
      ctx.logger.warn({ ...ref, code, reason }, 'undecodable record skipped');
      return 'skipped';
    }
    await deadLetter(ctx, scope, message, err, 1);
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
      if (scope.isClosed()) return 'abandoned';
      const retriable = ctx.isRetriable(err);
      const willRetry = retriable && attempt < ctx.retry.maxAttempts;
      const code = errorCode(err);
      ctx.metrics.onFailed({ ...ref, attempt, code, retriable, willRetry, error: err });
      if (!willRetry) {
        await deadLetter(ctx, scope, message, err, attempt);
        return 'dead-lettered';
      }
      const delayMs = computeBackoffMs(attempt, ctx.retry, ctx.random);
      ctx.logger.debug({ ...ref, attempt, code, delayMs }, 'retriable failure; backing off');
      const slept = await sleep(delayMs, AbortSignal.any([scope.haltSignal, ctx.haltSignal()]));
      // Halted while waiting: leave the record uncommitted; it is fetched again.
      if (!slept || scope.currentHalt()) return 'abandoned';
    }
  }
}
