import { setMaxListeners } from 'node:events';
import { CompressionTypes, type Admin, type Consumer, type EachBatchPayload, type KafkaMessage } from 'kafkajs';
import { assertTopicsExist } from '../admin';
import { computeBackoffMs, resolveRetryPolicy, sleep, type RetryPolicy } from '../backoff';
import { isRebalanceError, partitionLag } from '../batch-processor';
import { DEFAULT_CONSUMER_TIMING, DEFAULT_STOP_TIMEOUT_MS, type ConsumerRunnerState, type StopOptions } from '../consumer-runner';
import { MIN_DLQ_MESSAGE_BYTES } from '../dlq';
import { asKafkaAuthError, errorCode, isRetriable as defaultIsRetriable, StageStateError, TopicSetupError } from '../errors';
import { silentLogger, type EventsLogger } from '../logger';
import { guardHooks } from '../metrics-hooks';
import { ACKS_ALL } from '../producer';
import { DEFAULT_MAX_MESSAGE_BYTES } from '../record-size';
import { dlqTopicName, type AnyTopicDefinition } from '../topic-definition';
import { chunkRecords, commitOffsetAfter, notYetCommitted, transactionalIdOf } from './batch-chunks';
import { fetchCommitted, readSnapshots } from './changelog-reader';
import { chunkFailureAction } from './chunk-failure';
import { PartitionSlot } from './partition-slot';
import { DEFAULT_SNAPSHOT_CHUNK_BYTES } from './snapshot-chunks';
import { formatSnapshotPointer, samePointer, type SnapshotPointer } from './snapshot-pointer';
import { stuckReason } from './stage-health';
import { deadLetterMessages, decodeChunk, encodeStageRecord, groupSends, snapshotMessages, type DeadLetterSource, type OutgoingMessage } from './stage-messages';
import { abandonAfterMs, settlesWithin } from './stop-budget';
import { isFencedError, openFencedProducer } from './transactional-producer';
import type { StageMetrics, StageResult, TransactionalStage, TransactionalStageOptions } from './types';

export const DEFAULT_STAGE_MAX_BATCH_RECORDS = 500;
export const DEFAULT_TRANSACTION_TIMEOUT_MS = 60_000;
export const DEFAULT_RESTORE_TIMEOUT_MS = 60_000;

const STAGE_HOOKS = ['onCommitted', 'onAborted', 'onDeadLettered', 'onRestored', 'onFenced', 'onLag', 'onReleased'] as const satisfies readonly (keyof StageMetrics)[];

/** A failure of the stage's user code (process, output schema, serialize): the chunk's records are at fault, not Kafka. */
class ProcessFailure extends Error {
  constructor(readonly error: unknown) {
    super('process failed', { cause: error });
  }
}

/** The partition was revoked or the stop gave up waiting: leave the chunk uncommitted. */
class Halted extends Error {}

type ChunkOutcome = 'committed' | 'halted';

/** How a chunk is attempted: processed, or (after its records failed for good) only dead-lettered. */
type ChunkMode = { kind: 'process' } | { kind: 'dead-letter'; error: unknown; attempts: number };

/** One fetched batch's work on its partition: the epoch it started under, and when to stop retrying. */
interface BatchRun<S> {
  readonly slot: PartitionSlot<S>;
  readonly epoch: number;
  /** Aborted on a rebalance, a stop or an abandon: a backoff ends early. */
  readonly retrySignal: AbortSignal;
  /** The batch should hand back rather than retry again (rebalance, stop, seek). */
  yielding(): boolean;
}

/** Abort listeners one partition in flight may hold on the stage's signals (see the constructor). */
const LISTENERS_PER_PARTITION = 8;

/** How long an abandoned transaction's abort is awaited before its producer is closed. */
const ABANDONED_ABORT_WAIT_MS = 500;

/** Backoff exponent cap: the delay reached retry.maxDelayMs long before; avoids Infinity * 0. */
const MAX_BACKOFF_STEP = 30;

function positiveInt(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name}: expected an integer >= 1, got ${v}`);
  return v;
}

function nonEmpty(name: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) throw new TypeError(`${name}: expected a non-empty string`);
  return value;
}

function raceAbort<R>(work: Promise<R>, signal: AbortSignal): Promise<R> {
  if (signal.aborted) return Promise.reject(new Halted());
  return new Promise<R>((resolve, reject) => {
    const onAbort = (): void => reject(new Halted());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

class KafkaTransactionalStage<T extends AnyTopicDefinition, S> implements TransactionalStage {
  readonly groupId: string;
  readonly dlqTopic: string;
  private readonly topic: string;
  private readonly consumer: Consumer;
  private readonly logger: EventsLogger;
  private readonly metrics: Required<StageMetrics>;
  private readonly retry: RetryPolicy;
  private readonly isRetriable: (err: unknown) => boolean;
  private readonly maxBatchRecords: number;
  private readonly maxMessageBytes: number;
  private readonly transactionTimeoutMs: number;
  private readonly restoreTimeoutMs: number;
  private readonly heartbeatIntervalMs: number;
  private readonly maxSnapshotChunkBytes: number;
  private readonly slots = new Map<number, PartitionSlot<S>>();
  private admin: Admin | undefined;
  private currentState: ConsumerRunnerState = 'idle';
  private crashError: Error | undefined;
  private starting?: Promise<void>;
  private stopping?: Promise<void>;
  /** Aborted when stop() stops waiting: in-flight work is abandoned, uncommitted. */
  private readonly abandon = new AbortController();
  /** Aborted when stop() begins (before any abandon): no new chunk, no further retry. */
  private readonly stopRequested = new AbortController();

  constructor(private readonly options: TransactionalStageOptions<T, S>) {
    if (!options.kafka) throw new TypeError('kafka: expected a KafkaJS client (createKafka)');
    if (typeof options.input?.schema?.safeParse !== 'function') throw new TypeError('input: expected a topic definition');
    if (typeof options.process !== 'function') throw new TypeError('process: expected a function');
    this.groupId = nonEmpty('groupId', options.groupId);
    nonEmpty('transactionalIdPrefix', options.transactionalIdPrefix);
    this.dlqTopic = dlqTopicName(options.groupId);
    this.topic = options.input.name;
    const state = options.state;
    if (state !== undefined) {
      if (typeof state.changelog?.schema?.safeParse !== 'function') throw new TypeError('state.changelog: expected a topic definition');
      for (const fn of ['init', 'serialize', 'deserialize'] as const) {
        if (typeof state[fn] !== 'function') throw new TypeError(`state.${fn}: expected a function`);
      }
    }
    this.logger = options.logger ?? silentLogger;
    this.metrics = guardHooks<StageMetrics>(options.metrics ?? {}, STAGE_HOOKS, this.logger);
    this.retry = resolveRetryPolicy(options.retry);
    this.isRetriable = options.isRetriable ?? defaultIsRetriable;
    this.maxBatchRecords = positiveInt('maxBatchRecords', options.maxBatchRecords, DEFAULT_STAGE_MAX_BATCH_RECORDS);
    this.maxMessageBytes = positiveInt('maxMessageBytes', options.maxMessageBytes, DEFAULT_MAX_MESSAGE_BYTES);
    if (this.maxMessageBytes < MIN_DLQ_MESSAGE_BYTES) throw new RangeError(`maxMessageBytes: expected at least ${MIN_DLQ_MESSAGE_BYTES}, got ${this.maxMessageBytes}`);
    this.transactionTimeoutMs = positiveInt('transactionTimeoutMs', options.transactionTimeoutMs, DEFAULT_TRANSACTION_TIMEOUT_MS);
    this.maxSnapshotChunkBytes = positiveInt('maxSnapshotChunkBytes', options.maxSnapshotChunkBytes, DEFAULT_SNAPSHOT_CHUNK_BYTES);
    if (this.maxSnapshotChunkBytes < 6 || this.maxSnapshotChunkBytes > this.maxMessageBytes / 2) {
      throw new RangeError(`maxSnapshotChunkBytes: expected 6 to half of maxMessageBytes (${this.maxMessageBytes / 2}), got ${this.maxSnapshotChunkBytes}`);
    }
    this.restoreTimeoutMs = positiveInt('restoreTimeoutMs', options.restoreTimeoutMs, DEFAULT_RESTORE_TIMEOUT_MS);
    const timing = { ...DEFAULT_CONSUMER_TIMING, ...options.consumer };
    this.heartbeatIntervalMs = positiveInt('consumer.heartbeatInterval', timing.heartbeatInterval, DEFAULT_CONSUMER_TIMING.heartbeatInterval);
    const concurrency = positiveInt('partitionsConsumedConcurrently', options.partitionsConsumedConcurrently, options.input.partitions);
    // Per partition in flight: the stage's race on process or a Kafka call, a backoff, and
    // whatever process itself listens with (an inference request): Node warns past 10.
    setMaxListeners(Math.max(10, LISTENERS_PER_PARTITION * concurrency), this.abandon.signal, this.stopRequested.signal);
    // read_committed: the input may itself be the output of a transactional stage.
    this.consumer = options.kafka.consumer({ ...timing, readUncommitted: false, groupId: this.groupId, allowAutoTopicCreation: false });
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => this.onCrash(payload.error, payload.restart));
    this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) => this.onGroupJoin(payload.memberAssignment));
  }

  get state(): ConsumerRunnerState {
    return this.currentState;
  }

  get error(): Error | undefined {
    return this.crashError;
  }

  isHealthy(): boolean {
    if (this.currentState !== 'running') return false;
    const now = Date.now();
    const limits = { maxAttempts: this.retry.maxAttempts, transactionTimeoutMs: this.transactionTimeoutMs };
    for (const slot of this.slots.values()) if (stuckReason(slot, now, limits) !== undefined) return false;
    return true;
  }

  assignedPartitions(): number[] {
    return [...this.slots.keys()].sort((a, b) => a - b);
  }

  start(): Promise<void> {
    if (this.currentState !== 'idle') return Promise.reject(new Error(`start: stage ${this.groupId} is ${this.currentState}`));
    this.currentState = 'starting';
    this.starting = this.doStart();
    return this.starting;
  }

  private async doStart(): Promise<void> {
    try {
      if (this.options.verifyTopics ?? true) await this.verifyTopics();
      this.admin = this.options.kafka.admin();
      await this.admin.connect();
      await this.consumer.connect();
      await this.consumer.subscribe({ topics: [this.topic], fromBeginning: this.options.fromBeginning ?? false });
      await this.consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? this.options.input.partitions,
        eachBatch: (payload) => this.onBatch(payload),
      });
      if (this.currentState === 'failed') throw this.crashError;
      // A stop that began meanwhile owns the state (and disconnects once this resolves).
      if (this.currentState === 'starting') this.currentState = 'running';
      this.logger.info({ groupId: this.groupId, topic: this.topic }, 'transactional stage started');
    } catch (err) {
      this.currentState = 'stopped';
      await Promise.allSettled([this.consumer.disconnect(), this.admin?.disconnect()]);
      throw asKafkaAuthError(err);
    }
  }

  private async verifyTopics(): Promise<void> {
    const changelog = this.options.state?.changelog.name;
    const names = [this.topic, this.dlqTopic, ...(changelog ? [changelog] : [])];
    const partitions = await assertTopicsExist(this.options.kafka, names, this.groupId);
    const inputCount = partitions.get(this.topic) ?? 0;
    if (changelog && (partitions.get(changelog) ?? 0) < inputCount) {
      throw new TopicSetupError(`changelog ${changelog} has ${partitions.get(changelog)} partitions, fewer than ${this.topic}'s ${inputCount}`);
    }
  }

  private onCrash(error: Error, willRestart: boolean): void {
    this.logger.error({ err: error, groupId: this.groupId, restart: willRestart }, 'transactional stage consumer crashed');
    if (this.currentState === 'starting' || this.currentState === 'running' || this.currentState === 'restarting') {
      this.currentState = willRestart ? 'restarting' : 'failed';
      if (!willRestart) this.crashError = error;
    }
    this.options.onCrash?.(error, willRestart);
  }

  /** New assignment: revoked partitions close; kept ones re-fence and re-check their state before the next batch. */
  private onGroupJoin(assignment: Record<string, number[] | undefined>): void {
    const assigned = new Set(assignment[this.topic] ?? []);
    this.logger.info({ groupId: this.groupId, partitions: [...assigned] }, 'transactional stage joined its group');
    for (const [partition, slot] of this.slots) {
      if (assigned.has(partition)) {
        slot.prepared = false;
        continue;
      }
      slot.epoch++;
      slot.revoked = true;
      this.slots.delete(partition);
      void slot.exclusive(() => this.closeSlot(slot));
      this.metrics.onReleased({ topic: this.topic, partition, reason: 'revoked' });
    }
    for (const partition of assigned) this.slotOf(partition);
    if (this.currentState === 'restarting') this.currentState = 'running';
  }

  private async closeSlot(slot: PartitionSlot<S>): Promise<void> {
    const producer = slot.producer;
    slot.producer = undefined;
    slot.prepared = false;
    await producer?.disconnect().catch((err: unknown) => this.logger.warn({ err, partition: slot.partition }, 'transactional producer disconnect failed'));
  }

  private slotOf(partition: number): PartitionSlot<S> {
    let slot = this.slots.get(partition);
    if (!slot) {
      slot = new PartitionSlot<S>(partition);
      this.slots.set(partition, slot);
    }
    return slot;
  }

  private halted(slot: PartitionSlot<S>, epoch: number): boolean {
    return this.abandon.signal.aborted || slot.epoch !== epoch;
  }

  private onBatch(payload: EachBatchPayload): Promise<void> {
    const slot = this.slotOf(payload.batch.partition);
    return slot.exclusive(async () => {
      const epoch = slot.epoch;
      if (slot.revoked) return;
      // Ends a backoff early: a rebalance (seen by the heartbeat below), a stop or an abandon.
      const interrupt = new AbortController();
      const onStop = (): void => interrupt.abort();
      if (this.stopRequested.signal.aborted) interrupt.abort();
      this.stopRequested.signal.addEventListener('abort', onStop, { once: true });
      let rebalancing = false;
      // KafkaJS only heartbeats between batches; restores and long chunks need it too.
      const heartbeat = setInterval(() => {
        payload.heartbeat().catch((err: unknown) => {
          if (!isRebalanceError(err)) return this.logger.warn({ err, partition: slot.partition }, 'heartbeat failed');
          rebalancing = true;
          interrupt.abort();
        });
      }, this.heartbeatIntervalMs);
      const run: BatchRun<S> = {
        slot,
        epoch,
        retrySignal: interrupt.signal,
        yielding: () => rebalancing || this.stopRequested.signal.aborted || !payload.isRunning() || payload.isStale(),
      };
      try {
        if (!slot.prepared) await this.prepareWithRetry(slot, epoch);
        if (this.halted(slot, epoch) || !slot.prepared) return;
        await this.runBatch(run, payload);
      } finally {
        clearInterval(heartbeat);
        this.stopRequested.signal.removeEventListener('abort', onStop);
      }
    });
  }

  private async prepareWithRetry(slot: PartitionSlot<S>, epoch: number): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.prepare(slot);
        return;
      } catch (err) {
        const willRetry = this.isRetriable(err) && !(err instanceof StageStateError) && attempt < this.retry.maxAttempts;
        this.logger.warn({ err, partition: slot.partition, attempt, willRetry }, 'preparing a partition failed');
        if (!willRetry) throw err;
        if (!(await sleep(computeBackoffMs(attempt, this.retry), this.abandon.signal)) || this.halted(slot, epoch)) return;
      }
    }
  }

  /** Fences older owners, reads the committed position, then makes the state match it. */
  private async prepare(slot: PartitionSlot<S>): Promise<void> {
    const { partition } = slot;
    const started = Date.now();
    await this.closeSlot(slot);
    slot.producer = await openFencedProducer(this.options.kafka, transactionalIdOf(this.options.transactionalIdPrefix, this.topic, partition), this.transactionTimeoutMs);
    if (!this.admin) throw new Error('transactional stage: admin client not connected');
    const position = (await fetchCommitted(this.admin, this.groupId, this.topic, [partition])).get(partition) ?? { nextOffset: undefined, pointer: undefined };
    const stateOptions = this.options.state;
    if (stateOptions) {
      const keep = slot.committedText !== undefined && slot.nextOffset === position.nextOffset && samePointer(slot.pointer, position.pointer);
      if (keep && slot.committedText !== undefined) {
        slot.state = this.deserialize(slot.committedText, partition);
        this.metrics.onRestored({ topic: this.topic, partition, source: 'memory', bytes: slot.committedText.length, durationMs: Date.now() - started });
      } else if (position.pointer) {
        const texts = await readSnapshots(new Map([[partition, position.pointer]]), {
          kafka: this.options.kafka,
          changelog: stateOptions.changelog,
          groupId: this.groupId,
          timeoutMs: this.restoreTimeoutMs,
          consumer: this.options.consumer,
          logger: this.logger,
        });
        const text = texts.get(partition) ?? '';
        slot.state = this.deserialize(text, partition);
        slot.committedText = text;
        this.metrics.onRestored({ topic: this.topic, partition, source: 'changelog', bytes: text.length, durationMs: Date.now() - started });
      } else {
        slot.state = stateOptions.init(partition);
        slot.committedText = stateOptions.serialize(slot.state);
        this.metrics.onRestored({ topic: this.topic, partition, source: 'init', bytes: 0, durationMs: Date.now() - started });
      }
    }
    slot.nextOffset = position.nextOffset;
    slot.pointer = position.pointer;
    slot.prepared = true;
    this.logger.info({ groupId: this.groupId, partition, nextOffset: position.nextOffset, pointer: position.pointer }, 'partition prepared');
  }

  private deserialize(text: string, partition: number): S {
    const stateOptions = this.options.state;
    if (!stateOptions) throw new Error('transactional stage: no state options');
    try {
      return stateOptions.deserialize(text, partition);
    } catch (err) {
      throw new StageStateError(`state of ${this.topic}/${partition} does not deserialize: ${(err as Error).message}`, { cause: err });
    }
  }

  /** The state as committed, after a failed attempt may have changed it. */
  private resetState(slot: PartitionSlot<S>): void {
    const stateOptions = this.options.state;
    if (!stateOptions) return;
    slot.state = slot.committedText === undefined ? stateOptions.init(slot.partition) : this.deserialize(slot.committedText, slot.partition);
  }

  private async runBatch(run: BatchRun<S>, payload: EachBatchPayload): Promise<void> {
    const { slot, epoch } = run;
    const { batch } = payload;
    const pending = notYetCommitted(batch.messages, slot.nextOffset);
    const last = batch.messages[batch.messages.length - 1];
    if (pending.length === 0) {
      // All committed already (a newer owner's or an ambiguous commit of ours): move on.
      if (last) payload.resolveOffset(last.offset);
      return;
    }
    this.reportLag(run, batch.highWatermark, pending[0].offset);
    const chunks = chunkRecords(pending, this.maxBatchRecords);
    for (const [i, chunk] of chunks.entries()) {
      // Stop, rebalance or seek: the chunk in flight commits, no new one starts.
      if (this.halted(slot, epoch) || !payload.isRunning() || payload.isStale() || (i > 0 && run.yielding())) return;
      const chunkLast = chunk[chunk.length - 1].offset;
      const next = commitOffsetAfter(chunkLast, batch.lastOffset(), i === chunks.length - 1);
      if ((await this.runChunk(run, chunk, next, { kind: 'process' })) !== 'committed') return;
      payload.resolveOffset(chunkLast);
    }
    this.reportLag(run, batch.highWatermark, slot.nextOffset ?? '0');
  }

  /** Lag of a partition still owned: after onReleased, no gauge of it may come back. */
  private reportLag(run: BatchRun<S>, highWatermark: string, nextOffset: string): void {
    if (this.halted(run.slot, run.epoch) || run.slot.revoked || this.stopRequested.signal.aborted) return;
    this.metrics.onLag({ topic: this.topic, partition: run.slot.partition, lag: partitionLag(highWatermark, nextOffset) });
  }

  /**
   * Attempts a chunk until it commits (see chunk-failure for what each failure leads to):
   * retriable process failures retry with capped backoff for as long as they last (the
   * stage reports unhealthy after retry.maxAttempts of them), a non-retriable one isolates
   * the record at fault, a Kafka-side one re-fences and retries up to retry.maxAttempts.
   * Between retries the batch hands back on a rebalance or stop: the chunk stays
   * uncommitted for whoever owns the partition next.
   */
  private async runChunk(run: BatchRun<S>, records: readonly KafkaMessage[], next: string, mode: ChunkMode): Promise<ChunkOutcome> {
    const { slot, epoch } = run;
    let kafkaFailures = 0;
    for (let attempt = 1; ; attempt++) {
      const todo = notYetCommitted(records, slot.nextOffset);
      if (todo.length === 0) {
        // An ambiguous commit of ours landed after all (prepare read it back).
        slot.failuresInARow = 0;
        return 'committed';
      }
      try {
        await this.attemptChunk(slot, epoch, todo, next, attempt, mode);
        return 'committed';
      } catch (err) {
        if (err instanceof Halted) return 'halted';
        const failure = err instanceof ProcessFailure ? err.error : err;
        const inProcess = err instanceof ProcessFailure;
        const fenced = isFencedError(failure);
        const retriable = !fenced && this.isRetriable(failure);
        if (!inProcess) kafkaFailures++;
        const action = chunkFailureAction({ fenced, inProcess, retriable, kafkaFailures, maxAttempts: this.retry.maxAttempts });
        const where = { topic: this.topic, partition: slot.partition };
        slot.failuresInARow++;
        this.metrics.onAborted({ ...where, attempt, code: errorCode(failure), retriable, willRetry: action === 'retry', error: failure });
        this.logger.warn({ ...where, err: failure, attempt, fenced, action, records: todo.length }, 'transaction aborted');
        if (inProcess) this.resetState(slot);
        else slot.prepared = false; // Kafka side: the commit may or may not have happened; prepare reads what did.
        switch (action) {
          case 'fenced':
            // A newer owner holds the transactional id; prepare again (fencing back) only when a batch comes again.
            slot.failuresInARow = 0;
            this.metrics.onFenced({ ...where, error: failure });
            await this.closeSlot(slot);
            await sleep(computeBackoffMs(Math.min(attempt, MAX_BACKOFF_STEP), this.retry), run.retrySignal);
            return 'halted';
          case 'isolate':
            return this.isolate(run, todo, next, failure, attempt, mode);
          case 'give-up':
            throw failure;
          case 'retry':
            break;
        }
        if (inProcess && slot.failuresInARow === this.retry.maxAttempts) {
          this.logger.error({ ...where, err: failure, attempts: slot.failuresInARow }, 'chunk keeps failing with a retriable error; retrying until it commits (stage unhealthy meanwhile)');
        }
        const delay = computeBackoffMs(Math.min(attempt, MAX_BACKOFF_STEP), this.retry);
        if (!(await sleep(delay, run.retrySignal)) || run.yielding() || this.halted(slot, epoch)) return 'halted';
        if (!slot.prepared) await this.prepareWithRetry(slot, epoch);
        if (this.halted(slot, epoch) || !slot.prepared) return 'halted';
      }
    }
  }

  /** A chunk failed for good: retry its records one by one; a single record that fails for good is dead-lettered. */
  private async isolate(run: BatchRun<S>, records: readonly KafkaMessage[], next: string, error: unknown, attempts: number, mode: ChunkMode): Promise<ChunkOutcome> {
    if (mode.kind === 'dead-letter') throw error; // a dead letter that cannot be built is a bug
    if (records.length === 1) return this.runChunk(run, records, next, { kind: 'dead-letter', error, attempts });
    this.logger.warn({ topic: this.topic, partition: run.slot.partition, records: records.length }, 'chunk failed for good; retrying its records one by one');
    for (const [i, record] of records.entries()) {
      const recordNext = i === records.length - 1 ? next : (BigInt(record.offset) + 1n).toString();
      if ((await this.runChunk(run, [record], recordNext, { kind: 'process' })) !== 'committed') return 'halted';
    }
    return 'committed';
  }

  private async runProcess(slot: PartitionSlot<S>, epoch: number, records: readonly KafkaMessage[], attempt: number) {
    const signal = this.abandon.signal;
    const decoded = decodeChunk(this.options.input, slot.partition, records, attempt, signal);
    const dead: DeadLetterSource[] = decoded.invalid.map(({ record, error }) => ({ record, error, attempts: 1 }));
    let result: StageResult<T> = { records: [] };
    if (decoded.events.length > 0) {
      try {
        result = await raceAbort(this.options.process({ partition: slot.partition, events: decoded.events, state: slot.state as S, signal }), signal);
      } catch (err) {
        if (err instanceof Halted) throw err;
        throw new ProcessFailure(err);
      }
    }
    if (this.halted(slot, epoch)) throw new Halted();
    try {
      if (!Array.isArray(result?.records)) throw new TypeError('process: expected a result with a records array');
      const outputs = result.records.map((r, i) => encodeStageRecord(r, i, this.maxMessageBytes));
      for (const [i, letter] of (result.deadLetters ?? []).entries()) {
        const record = records.find((r) => r.offset === letter?.event?.offset);
        if (!record) throw new TypeError(`deadLetters[${i}].event: not an event of this batch`);
        dead.push({ record, error: letter.error, attempts: attempt });
      }
      const text = this.options.state ? this.options.state.serialize(slot.state as S) : undefined;
      return { outputs, dead, text };
    } catch (err) {
      throw new ProcessFailure(err);
    }
  }

  /** One attempt, timed for stage-health (a hung call makes the stage unhealthy). */
  private async attemptChunk(slot: PartitionSlot<S>, epoch: number, records: readonly KafkaMessage[], next: string, attempt: number, mode: ChunkMode): Promise<void> {
    slot.attemptStartedAt = Date.now();
    try {
      await this.attemptChunkOnce(slot, epoch, records, next, attempt, mode);
    } finally {
      slot.attemptStartedAt = undefined;
    }
  }

  /** Process, then outputs + dead letters + snapshot + offsets in one transaction. */
  private async attemptChunkOnce(slot: PartitionSlot<S>, epoch: number, records: readonly KafkaMessage[], next: string, attempt: number, mode: ChunkMode): Promise<void> {
    const started = Date.now();
    const { partition } = slot;
    const work: { outputs: OutgoingMessage[]; dead: DeadLetterSource[]; text: string | undefined } =
      mode.kind === 'process'
        ? await this.runProcess(slot, epoch, records, attempt)
        : { outputs: [], dead: records.map((record) => ({ record, error: mode.error, attempts: mode.attempts })), text: slot.committedText };
    const target = { groupId: this.groupId, dlqTopic: this.dlqTopic, topic: this.topic, partition, maxMessageBytes: this.maxMessageBytes };
    const letters = deadLetterMessages(target, work.dead);
    const changelog = this.options.state?.changelog;
    const changed = changelog !== undefined && work.text !== undefined && work.text !== slot.committedText;
    const snapshot = changed && work.text !== undefined ? snapshotMessages({ changelog, groupId: this.groupId, partition, nextOffset: next, text: work.text, maxChunkBytes: this.maxSnapshotChunkBytes }) : [];
    const producer = slot.producer;
    if (!producer) throw new Halted();
    // Every Kafka call gives way when a stop abandons the work: a hung broker must not hold the stop.
    const abandon = this.abandon.signal;
    const txn = await raceAbort(producer.transaction(), abandon);
    let pointer: SnapshotPointer | undefined = slot.pointer;
    let commitMs = 0;
    try {
      for (const topicMessages of groupSends([...work.outputs, ...letters], this.maxMessageBytes)) {
        await raceAbort(txn.sendBatch({ topicMessages, acks: ACKS_ALL, compression: CompressionTypes.GZIP }), abandon);
      }
      // One request per chunk: the broker's size limit applies to a whole record batch.
      for (const [i, message] of snapshot.entries()) {
        const [meta] = await raceAbort(txn.send({ topic: changelog?.name ?? '', messages: [message], acks: ACKS_ALL, compression: CompressionTypes.GZIP }), abandon);
        if (i > 0) continue;
        if (meta?.baseOffset === undefined) throw new StageStateError('the broker did not return the offset of the snapshot record');
        pointer = { changelog: changelog?.name ?? '', partition, offset: meta.baseOffset, chunks: snapshot.length };
      }
      if (this.halted(slot, epoch)) throw new Halted();
      const commitStarted = Date.now();
      const offset = { partition, offset: next, metadata: pointer ? formatSnapshotPointer(pointer) : null };
      await raceAbort(txn.sendOffsets({ consumerGroupId: this.groupId, topics: [{ topic: this.topic, partitions: [offset] }] }), abandon);
      await raceAbort(txn.commit(), abandon);
      commitMs = Date.now() - commitStarted;
    } catch (err) {
      if (txn.isActive()) {
        const aborting = txn.abort().catch((abortErr: unknown) => this.logger.warn({ err: abortErr, partition }, 'transaction abort failed'));
        // Abandoned: best effort, briefly (inside the stop's close reserve); the broker's
        // transaction timeout or the next owner's fencing ends the transaction otherwise.
        if (abandon.aborted) await settlesWithin(aborting, ABANDONED_ABORT_WAIT_MS);
        else await aborting;
      }
      throw err;
    }
    slot.failuresInARow = 0;
    slot.nextOffset = next;
    slot.pointer = pointer;
    if (work.text !== undefined) slot.committedText = work.text;
    for (const { record, error } of work.dead) {
      this.metrics.onDeadLettered({ topic: this.topic, partition, offset: record.offset, code: errorCode(error), dlqTopic: this.dlqTopic });
    }
    this.metrics.onCommitted({
      topic: this.topic,
      partition,
      records: records.length,
      outputs: work.outputs.length,
      deadLetters: work.dead.length,
      snapshotBytes: changed ? (work.text?.length ?? 0) : 0,
      nextOffset: next,
      durationMs: Date.now() - started,
      commitMs,
    });
  }

  stop(options: StopOptions = {}): Promise<void> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
    if (!Number.isFinite(timeoutMs) || timeoutMs < 0) return Promise.reject(new RangeError(`timeoutMs: expected a number >= 0, got ${timeoutMs}`));
    this.stopping ??= this.doStop(timeoutMs);
    return this.stopping;
  }

  /** Resolves within `timeoutMs` (stop-budget): what still runs then is left to finish or fail on its own. */
  private async doStop(timeoutMs: number): Promise<void> {
    if (this.currentState === 'idle' || this.currentState === 'stopped') {
      this.currentState = 'stopped';
      return;
    }
    this.currentState = 'stopping';
    this.stopRequested.abort();
    const timer = setTimeout(() => {
      this.logger.warn({ groupId: this.groupId, timeoutMs }, 'stop timeout; abandoning the transactions in flight');
      this.abandon.abort();
    }, abandonAfterMs(timeoutMs));
    const closed = await settlesWithin(
      this.shutDown().catch((err: unknown) => this.logger.warn({ err, groupId: this.groupId }, 'transactional stage shutdown failed')),
      timeoutMs,
    );
    clearTimeout(timer);
    if (!closed) {
      this.abandon.abort();
      this.logger.warn({ groupId: this.groupId, timeoutMs }, 'stop gave up: a Kafka call still hangs; its connections close when it ends');
    }
    this.currentState = 'stopped';
    this.logger.info({ groupId: this.groupId, closed }, 'transactional stage stopped');
  }

  private async shutDown(): Promise<void> {
    // A start in progress finishes (or fails and cleans up) first.
    await this.starting?.catch(() => undefined);
    try {
      // KafkaJS stops fetching and waits for the running batches: each finishes (commits) its current chunk.
      await this.consumer.disconnect();
    } finally {
      const slots = [...this.slots.values()];
      this.slots.clear();
      for (const slot of slots) this.metrics.onReleased({ topic: this.topic, partition: slot.partition, reason: 'stopped' });
      await Promise.all(slots.map((slot) => slot.exclusive(() => this.closeSlot(slot))));
      await this.admin?.disconnect().catch((err: unknown) => this.logger.warn({ err }, 'admin disconnect failed'));
    }
  }
}

/**
 * Creates an exactly-once read-process-write stage over one input topic (ADR 0014): per
 * input partition a transactional producer commits the outputs, dead letters, a state
 * snapshot (compacted changelog) and the input offsets (with a pointer to the snapshot)
 * in one transaction; state is rebuilt from that snapshot whenever a partition is
 * (re)assigned. Readers of the outputs must use read_committed (KafkaJS's default).
 */
export function createTransactionalStage<T extends AnyTopicDefinition, S = undefined>(options: TransactionalStageOptions<T, S>): TransactionalStage {
  return new KafkaTransactionalStage(options);
}
