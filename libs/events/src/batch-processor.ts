import { BatchCommits } from './batch-commits';
import type { BatchContext, BatchPayload, BatchRecord } from './batch-context';
import { BatchHalt } from './batch-halt';
import { BatchInFlight } from './batch-in-flight';
import { runInLanes } from './batch-lanes';
import type { HaltReason } from './consumer-types';
import { processRecord, type RecordScope } from './record-processor';

export type { BatchContext, BatchPayload, BatchRecord } from './batch-context';

// Errors KafkaJS raises from heartbeat/commit when the group is rebalancing or has moved on.
const REBALANCE_ERROR_TYPES = new Set(['REBALANCE_IN_PROGRESS', 'NOT_COORDINATOR_FOR_GROUP', 'ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID']);

export function isRebalanceError(err: unknown): boolean {
  const type = typeof err === 'object' && err !== null ? (err as { type?: unknown }).type : undefined;
  return typeof type === 'string' && REBALANCE_ERROR_TYPES.has(type);
}

/** Records between a position and the high watermark (0 when caught up or unknown). */
export function partitionLag(highWatermark: string, nextOffset: string): number {
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

/** Outside reasons to stop dispatching: the runner's (stop, user pause), then KafkaJS's (stopping, seek). */
function externalHalt(payload: BatchPayload, ctx: BatchContext): HaltReason | undefined {
  return ctx.haltReason() ?? (!payload.isRunning() ? 'stopping' : payload.isStale() ? 'stale' : undefined);
}

/** Commits the due prefix; a rebalance halts the batch, any other failure waits for the end-of-batch commit. */
async function commitIfDue(commits: BatchCommits, halt: BatchHalt, ctx: BatchContext, where: { topic: string; partition: number }): Promise<void> {
  try {
    await commits.commit();
  } catch (err) {
    if (isRebalanceError(err)) halt.halt('rebalance', err);
    else ctx.logger.warn({ err, ...where }, 'offset commit failed; retrying at batch end');
  }
}

// KafkaJS only heartbeats between batches; this keeps the membership alive during long ones.
function keepHeartbeating(payload: BatchPayload, halt: BatchHalt, ctx: BatchContext, where: { topic: string; partition: number }): () => void {
  const timer = setInterval(() => {
    payload.heartbeat().catch((err: unknown) => {
      if (isRebalanceError(err)) halt.halt('rebalance', err);
      else ctx.logger.warn({ err, ...where }, 'heartbeat failed');
    });
  }, ctx.heartbeatIntervalMs);
  return () => clearInterval(timer);
}

/**
 * Processes one partition's batch with at-least-once semantics:
 * - records are dispatched in offset order into lanes (per key, or one lane per
 *   partition); a lane runs its records one after another, lanes run concurrently,
 *   bounded by the runner-wide semaphore;
 * - a record counts as done when its handler succeeded, it was dead-lettered or,
 *   being undecodable under `undecodable: 'skip'`, skipped;
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

  const where = { topic, partition };
  const commits = new BatchCommits(payload, messages.map((m) => m.offset), { everyRecords: ctx.commitEveryRecords, intervalMs: ctx.commitIntervalMs });
  const halt = new BatchHalt(() => externalHalt(payload, ctx));
  ctx.metrics.onLag({ topic, partition, lag: partitionLag(highWatermark, messages[0].offset) });
  const inFlight = new BatchInFlight((delta) => ctx.trackInFlight(delta), messages.length);
  const scope: RecordScope = { topic, partition, definition, isClosed: () => inFlight.closed, haltSignal: halt.signal, currentHalt: () => halt.current() };
  const stopped = () => inFlight.closed || halt.current() !== undefined;

  const runOne = async (message: BatchRecord, index: number): Promise<void> => {
    try {
      if (stopped()) return;
      const release = await ctx.semaphore.acquire();
      try {
        if (stopped()) return;
        const outcome = await processRecord(ctx, scope, message);
        if (inFlight.closed || outcome === 'abandoned') return;
        if (commits.markDone(index)) await commitIfDue(commits, halt, ctx, where);
      } finally {
        release();
      }
    } catch (err) {
      halt.halt('error', err);
    } finally {
      inFlight.settle();
    }
  };

  const stopHeartbeat = keepHeartbeating(payload, halt, ctx, where);
  const abandoned = whenAborted(ctx.abandonSignal);
  try {
    const laneOf = (m: BatchRecord) => (ctx.ordering === 'partition' ? '' : m.key?.toString('latin1'));
    await Promise.race([runInLanes(messages, laneOf, runOne), abandoned.promise]);
  } finally {
    abandoned.dispose();
    stopHeartbeat();
    inFlight.close();
  }
  await finishBatch(payload, ctx, commits, halt);
}

/** End of batch: report abandoned records, commit the done prefix, report lag, rethrow the first failure. */
async function finishBatch(payload: BatchPayload, ctx: BatchContext, commits: BatchCommits, halt: BatchHalt): Promise<void> {
  const { topic, partition, highWatermark } = payload.batch;
  if (ctx.abandonSignal.aborted && commits.pending > 0) {
    ctx.logger.warn(
      { topic, partition, committedUpTo: commits.lastResolved, pending: commits.pending },
      'stop timed out; unfinished records stay uncommitted and will be redelivered',
    );
  }
  try {
    await commits.commit();
  } catch (err) {
    halt.recordFailure(err);
  }
  if (commits.lastResolved !== undefined) {
    ctx.metrics.onLag({ topic, partition, lag: partitionLag(highWatermark, (BigInt(commits.lastResolved) + 1n).toString()) });
  }
  // Rethrown to KafkaJS: a rebalance error makes it rejoin; anything else makes it re-fetch
  // from the last resolved offset (and restart the consumer if that keeps failing).
  if (halt.failure !== undefined) throw halt.failure;
}
