import { CompressionTypes, type Consumer, type ConsumerConfig, type Kafka, type Message, type Producer } from 'kafkajs';
import { resolveRetryPolicy, type RetryPolicy } from './backoff';
import { processBatch, type BatchContext } from './batch-processor';
import type { ConsumedEvent, ConsumerMetrics, HaltReason, UndecodablePolicy } from './consumer-types';
import { MIN_DLQ_MESSAGE_BYTES } from './dlq';
import { assertTopicsExist } from './admin';
import { asKafkaAuthError, isRetriable as defaultIsRetriable } from './errors';
import { silentLogger, type EventsLogger } from './logger';
import { guardHooks } from './metrics-hooks';
import { ACKS_ALL, PRODUCER_CONFIG } from './producer';
import { DEFAULT_MAX_MESSAGE_BYTES } from './record-size';
import { Semaphore } from './semaphore';
import { dlqTopicName, type AnyTopicDefinition } from './topic-definition';

export const DEFAULT_CONCURRENCY = 16;
export const DEFAULT_PARTITIONS_CONSUMED_CONCURRENTLY = 4;
export const DEFAULT_MAX_IN_FLIGHT = 2_000;
export const DEFAULT_COMMIT_EVERY_RECORDS = 100;
export const DEFAULT_COMMIT_INTERVAL_MS = 1_000;
export const DEFAULT_STOP_TIMEOUT_MS = 30_000;

/** Consumer group timing. KafkaJS's 5 s fetch wait would make every stop() take up to 5 s. */
export const DEFAULT_CONSUMER_TIMING = Object.freeze({
  sessionTimeout: 30_000,
  rebalanceTimeout: 60_000,
  heartbeatInterval: 3_000,
  maxWaitTimeInMs: 1_000,
});

export type ConsumerTuning = Partial<
  Pick<
    ConsumerConfig,
    | 'sessionTimeout'
    | 'rebalanceTimeout'
    | 'heartbeatInterval'
    | 'maxWaitTimeInMs'
    | 'minBytes'
    | 'maxBytes'
    | 'maxBytesPerPartition'
    | 'retry'
    | 'readUncommitted'
  >
>;

export interface ConsumerRunnerOptions<T extends AnyTopicDefinition> {
  kafka: Kafka;
  groupId: string;
  topics: readonly T[];
  /** Called once per record (again on retries); resolve when the record's work is done. */
  handler: (event: ConsumedEvent<T>) => Promise<void>;
  /** Where a group without committed offsets starts. Default false (only new records). */
  fromBeginning?: boolean;
  /** `key` (default): same key in order, different keys concurrently. `partition`: strict partition order. */
  ordering?: 'key' | 'partition';
  /** Handler calls running at once, across all partitions. */
  concurrency?: number;
  /** Partition batches processed at once (KafkaJS partitionsConsumedConcurrently). */
  partitionsConsumedConcurrently?: number;
  /** Fetched-but-unfinished records above which fetching pauses (resumes at half). */
  maxInFlight?: number;
  retry?: Partial<RetryPolicy>;
  /** `dead-letter` (default) or `skip` a record whose value cannot be decoded; see UndecodablePolicy. */
  undecodable?: UndecodablePolicy;
  /** Decides retry vs dead letter; default `isRetriable`. */
  isRetriable?: (err: unknown) => boolean;
  /** Commit after this many finished records, or ... */
  commitEveryRecords?: number;
  /** ... after this long; always at the end of a batch and on stop. */
  commitIntervalMs?: number;
  consumer?: ConsumerTuning;
  /** Size limit of a dead letter (default DEFAULT_MAX_MESSAGE_BYTES, at least MIN_DLQ_MESSAGE_BYTES); larger ones are cut down. */
  maxDlqMessageBytes?: number;
  /** Check at start that the topics and the DLQ topic exist (default true). */
  verifyTopics?: boolean;
  logger?: EventsLogger;
  metrics?: ConsumerMetrics;
  /** KafkaJS gave up on the consumer (`willRestart` false) or is restarting it. */
  onCrash?: (error: Error, willRestart: boolean) => void;
}

export interface StopOptions {
  /** How long to wait for in-flight handlers before abandoning them (uncommitted). */
  timeoutMs?: number;
}

/**
 * Where a runner is in its life. `restarting`: KafkaJS is recovering from a crash and
 * the runner is back to `running` once the consumer rejoins its group; `failed`: KafkaJS
 * gave up (a crash it does not restart) and nothing is consumed until a new runner starts.
 */
export type ConsumerRunnerState = 'idle' | 'starting' | 'running' | 'restarting' | 'failed' | 'stopping' | 'stopped';

export interface ConsumerRunner {
  readonly groupId: string;
  readonly dlqTopic: string;
  readonly state: ConsumerRunnerState;
  /** The crash KafkaJS gave up on (state `failed`, and still after stop()); undefined otherwise. */
  readonly error: Error | undefined;
  /** For readiness probes: true only while consuming (state `running`). */
  isHealthy(): boolean;
  /** Connects, subscribes and joins the group; resolves once consuming has started. */
  start(): Promise<void>;
  /** Stops fetching and starting records; in-flight ones finish and are committed. */
  pause(): void;
  resume(): void;
  isPaused(): boolean;
  /** Graceful shutdown: stop fetching, finish in-flight work, commit, leave the group, disconnect. */
  stop(options?: StopOptions): Promise<void>;
}

function positiveInt(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name}: expected an integer >= 1, got ${v}`);
  return v;
}

// Under MIN_DLQ_MESSAGE_BYTES a dead letter may not fit even cut down; refuse it up front.
function dlqMessageLimit(value: number | undefined): number {
  const v = positiveInt('maxDlqMessageBytes', value, DEFAULT_MAX_MESSAGE_BYTES);
  if (v < MIN_DLQ_MESSAGE_BYTES) throw new RangeError(`maxDlqMessageBytes: expected at least ${MIN_DLQ_MESSAGE_BYTES}, got ${v}`);
  return v;
}

const CONSUMER_HOOKS = ['onProcessed', 'onFailed', 'onDeadLettered', 'onSkipped', 'onLag', 'onPaused', 'onResumed'] as const satisfies readonly (keyof ConsumerMetrics)[];

class KafkaConsumerRunner<T extends AnyTopicDefinition> implements ConsumerRunner {
  readonly groupId: string;
  readonly dlqTopic: string;
  private readonly topicNames: string[];
  private readonly consumer: Consumer;
  private readonly dlqProducer: Producer;
  private readonly logger: EventsLogger;
  private readonly metrics: Required<ConsumerMetrics>;
  private readonly maxInFlight: number;
  private readonly partitionsConsumedConcurrently: number;
  private readonly context: BatchContext;
  private currentState: ConsumerRunnerState = 'idle';
  private crashError?: Error;
  private starting?: Promise<void>;
  private stopping?: Promise<void>;
  private userPaused = false;
  private backpressurePaused = false;
  private consumerPaused = false;
  private inFlight = 0;
  private halt = new AbortController();
  private readonly abandon = new AbortController();

  constructor(private readonly options: ConsumerRunnerOptions<T>) {
    if (!options.kafka) throw new TypeError('kafka: expected a KafkaJS client (createKafka)');
    if (!Array.isArray(options.topics) || options.topics.length === 0) throw new TypeError('topics: expected at least one topic');
    if (typeof options.handler !== 'function') throw new TypeError('handler: expected a function');
    this.groupId = options.groupId;
    this.dlqTopic = dlqTopicName(options.groupId);
    this.topicNames = options.topics.map((t) => t.name);
    this.logger = options.logger ?? silentLogger;
    this.metrics = guardHooks<ConsumerMetrics>(options.metrics ?? {}, CONSUMER_HOOKS, this.logger);
    this.maxInFlight = positiveInt('maxInFlight', options.maxInFlight, DEFAULT_MAX_IN_FLIGHT);
    this.partitionsConsumedConcurrently = positiveInt(
      'partitionsConsumedConcurrently',
      options.partitionsConsumedConcurrently,
      DEFAULT_PARTITIONS_CONSUMED_CONCURRENTLY,
    );
    const timing = { ...DEFAULT_CONSUMER_TIMING, ...options.consumer };
    this.consumer = options.kafka.consumer({ ...timing, groupId: options.groupId, allowAutoTopicCreation: false });
    this.dlqProducer = options.kafka.producer({ ...PRODUCER_CONFIG });
    const ordering = options.ordering ?? 'key';
    if (ordering !== 'key' && ordering !== 'partition') throw new TypeError(`ordering: expected "key" or "partition", got ${String(ordering)}`);
    const undecodable = options.undecodable ?? 'dead-letter';
    if (undecodable !== 'dead-letter' && undecodable !== 'skip') {
      throw new TypeError(`undecodable: expected "dead-letter" or "skip", got ${String(undecodable)}`);
    }

    this.context = {
      groupId: options.groupId,
      dlqTopic: this.dlqTopic,
      topics: new Map(options.topics.map((t) => [t.name, t] as const)),
      // The processor validated `value` against the event's own topic schema, which is
      // exactly what ConsumedEvent<T> promises for that topic.
      handler: (event) => options.handler(event as ConsumedEvent<T>),
      retry: resolveRetryPolicy(options.retry),
      isRetriable: options.isRetriable ?? defaultIsRetriable,
      ordering,
      undecodable,
      semaphore: new Semaphore(positiveInt('concurrency', options.concurrency, DEFAULT_CONCURRENCY)),
      commitEveryRecords: positiveInt('commitEveryRecords', options.commitEveryRecords, DEFAULT_COMMIT_EVERY_RECORDS),
      commitIntervalMs: positiveInt('commitIntervalMs', options.commitIntervalMs, DEFAULT_COMMIT_INTERVAL_MS),
      heartbeatIntervalMs: positiveInt('consumer.heartbeatInterval', timing.heartbeatInterval, DEFAULT_CONSUMER_TIMING.heartbeatInterval),
      maxDlqMessageBytes: dlqMessageLimit(options.maxDlqMessageBytes),
      logger: this.logger,
      metrics: this.metrics,
      publishDeadLetter: (message) => this.publishDeadLetter(message),
      haltReason: () => this.haltReason(),
      haltSignal: () => this.halt.signal,
      abandonSignal: this.abandon.signal,
      trackInFlight: (delta) => this.trackInFlight(delta),
    };

    // KafkaJS disconnects a crashed consumer (STOP, DISCONNECT), then emits CRASH saying
    // whether it will restart it; only CRASH tells a crash from our own stop().
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => this.onConsumerCrash(payload.error, payload.restart));
    this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) => {
      this.logger.info({ groupId: this.groupId, memberId: payload.memberId, assignment: payload.memberAssignment }, 'joined consumer group');
      if (this.currentState === 'restarting') this.onConsumerRestarted();
    });
  }

  get state(): ConsumerRunnerState {
    return this.currentState;
  }

  get error(): Error | undefined {
    return this.crashError;
  }

  isHealthy(): boolean {
    return this.currentState === 'running';
  }

  private onConsumerCrash(error: Error, willRestart: boolean): void {
    this.logger.error({ err: error, groupId: this.groupId, restart: willRestart }, 'consumer crashed');
    if (this.currentState === 'starting' || this.currentState === 'running' || this.currentState === 'restarting') {
      this.currentState = willRestart ? 'restarting' : 'failed';
      if (!willRestart) this.crashError = error;
    }
    this.options.onCrash?.(error, willRestart);
  }

  // A restarted KafkaJS consumer has a new consumer group that forgot any pause.
  private onConsumerRestarted(): void {
    this.currentState = 'running';
    this.consumerPaused = false;
    this.applyPause();
    this.logger.info({ groupId: this.groupId }, 'consumer restarted after a crash');
  }

  start(): Promise<void> {
    if (this.currentState !== 'idle') return Promise.reject(new Error(`start: runner for ${this.groupId} is ${this.currentState}`));
    this.currentState = 'starting';
    this.starting = this.doStart();
    return this.starting;
  }

  private async doStart(): Promise<void> {
    try {
      if (this.options.verifyTopics ?? true) await assertTopicsExist(this.options.kafka, [...this.topicNames, this.dlqTopic], this.groupId);
      await this.dlqProducer.connect();
      await this.consumer.connect();
      await this.consumer.subscribe({ topics: this.topicNames, fromBeginning: this.options.fromBeginning ?? false });
      await this.consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: this.partitionsConsumedConcurrently,
        eachBatch: (payload) => processBatch(payload, this.context),
      });
      // A crash while starting may already have moved the state on.
      if (this.currentState === 'failed') throw this.crashError;
      if (this.currentState === 'starting') this.currentState = 'running';
      this.applyPause();
      this.logger.info({ groupId: this.groupId, topics: this.topicNames }, 'consumer runner started');
    } catch (err) {
      this.currentState = 'stopped';
      await Promise.allSettled([this.consumer.disconnect(), this.dlqProducer.disconnect()]);
      throw asKafkaAuthError(err);
    }
  }

  private async publishDeadLetter(message: Message): Promise<void> {
    await this.dlqProducer.send({ topic: this.dlqTopic, messages: [message], acks: ACKS_ALL, compression: CompressionTypes.GZIP });
  }

  private haltReason(): HaltReason | undefined {
    if (this.currentState === 'stopping' || this.currentState === 'stopped') return 'stopping';
    if (this.userPaused) return 'paused';
    return undefined;
  }

  private trackInFlight(delta: number): void {
    this.inFlight += delta;
    if (!this.backpressurePaused && this.inFlight > this.maxInFlight) {
      this.backpressurePaused = true;
      this.logger.info({ groupId: this.groupId, inFlight: this.inFlight, maxInFlight: this.maxInFlight }, 'in-flight limit exceeded; pausing fetch');
      this.applyPause();
      this.metrics.onPaused({ reason: 'backpressure' });
    } else if (this.backpressurePaused && this.inFlight <= this.maxInFlight / 2) {
      this.backpressurePaused = false;
      this.applyPause();
      this.metrics.onResumed({ reason: 'backpressure' });
    }
  }

  // KafkaJS can only pause a running consumer; the wanted state is applied once it runs.
  private applyPause(): void {
    if (this.currentState !== 'running') return;
    const wanted = this.userPaused || this.backpressurePaused;
    if (wanted === this.consumerPaused) return;
    const topics = this.topicNames.map((topic) => ({ topic }));
    if (wanted) this.consumer.pause(topics);
    else this.consumer.resume(topics);
    this.consumerPaused = wanted;
  }

  pause(): void {
    if (this.userPaused) return;
    this.userPaused = true;
    this.halt.abort();
    this.applyPause();
    this.metrics.onPaused({ reason: 'user' });
  }

  resume(): void {
    if (!this.userPaused) return;
    this.userPaused = false;
    this.halt = new AbortController();
    this.applyPause();
    this.metrics.onResumed({ reason: 'user' });
  }

  isPaused(): boolean {
    return this.userPaused;
  }

  stop(options: StopOptions = {}): Promise<void> {
    this.stopping ??= this.doStop(options.timeoutMs ?? DEFAULT_STOP_TIMEOUT_MS);
    return this.stopping;
  }

  private async doStop(timeoutMs: number): Promise<void> {
    if (this.currentState === 'starting') await this.starting?.catch(() => undefined);
    if (this.currentState === 'idle' || this.currentState === 'stopped') {
      this.currentState = 'stopped';
      return;
    }
    this.currentState = 'stopping';
    this.halt.abort();
    const timer = setTimeout(() => {
      this.logger.warn({ groupId: this.groupId, timeoutMs }, 'stop timeout; abandoning in-flight handlers');
      this.abandon.abort();
    }, timeoutMs);
    try {
      // KafkaJS stops fetching, waits for the running batches (which commit their done
      // prefix before returning), leaves the group and closes its connections.
      await this.consumer.disconnect();
    } finally {
      clearTimeout(timer);
      await this.dlqProducer.disconnect().catch((err: unknown) => this.logger.warn({ err }, 'DLQ producer disconnect failed'));
      this.currentState = 'stopped';
      this.logger.info({ groupId: this.groupId }, 'consumer runner stopped');
    }
  }
}

/**
 * Creates a consumer-group runner: typed, validated events in; at-least-once processing
 * with bounded concurrency, retries with backoff, a DLQ per group and graceful stop.
 */
export function createConsumerRunner<T extends AnyTopicDefinition>(options: ConsumerRunnerOptions<T>): ConsumerRunner {
  return new KafkaConsumerRunner(options);
}
