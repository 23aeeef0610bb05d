/**
 * A bounded, non-blocking publish buffer for request paths: a reply must not wait on
 * Kafka, and Kafka being down must not take replies down with it.
 *
 * Contract:
 * - `enqueue` is synchronous and never touches the network. It validates the value
 *   (schema and size) and throws SchemaValidationError / MessageTooLargeError on a bad
 *   value: that is the caller's bug, and such a record could never be sent. Otherwise it
 *   returns true (accepted) or false (buffer full or closed), and a refusal is counted
 *   through `onOverflow` / `onDropped`, never silent.
 * - One background loop sends the oldest records, topic by topic, in batches through the
 *   typed idempotent producer, one send at a time: records of one key keep their order.
 * - A retriable failure keeps the batch at the head of its topic's lane and retries it with
 *   backoff for as long as it takes; meanwhile the buffer fills and refuses the newest (see
 *   PublishBuffer). The backoff is per topic: while one topic's lane waits, the others send.
 * - The loop never dies: an iteration that throws (a logger or hook that throws, a hostile
 *   error object) is counted in `loopErrors`, logged when the logger allows, and followed
 *   by a backoff.
 *   A non-retriable failure (e.g. the topic is refused) drops that batch, counted.
 * - `close` stops accepting, sends what it can within its timeout, and counts and logs
 *   what is left. It does not disconnect the producer: whoever created it does.
 */
import type { z } from 'zod';
import { computeBackoffMs, resolveRetryPolicy, sleep, type RetryPolicy } from './backoff';
import { errorCode, errorMessage, isRetriable } from './errors';
import { silentLogger, type EventsLogger } from './logger';
import { encodeValue } from './codec';
import type { EventProducer } from './producer';
import { PublishBuffer, type BufferBatch } from './publish-buffer';
import { assertRecordSize, DEFAULT_MAX_MESSAGE_BYTES, estimateRecordBytes } from './record-size';
import type { AnyTopicDefinition, TopicDefinition } from './topic-definition';

export const DEFAULT_BUFFER_CAPACITY = 10_000;
export const DEFAULT_BUFFER_MAX_BYTES = 32 * 1024 * 1024;
export const DEFAULT_BUFFER_MAX_BATCH = 500;
export const DEFAULT_BUFFER_FLUSH_INTERVAL_MS = 100;
export const DEFAULT_BUFFER_CLOSE_TIMEOUT_MS = 5_000;
/** Backoff between retries of a failed send; attempts are unbounded (the buffer bounds them). */
export const DEFAULT_BUFFER_RETRY: Readonly<Omit<RetryPolicy, 'maxAttempts'>> = Object.freeze({
  baseDelayMs: 200,
  maxDelayMs: 10_000,
  multiplier: 2,
  jitter: 0.2,
});

/** Why accepted (or offered) records were lost other than by overflow. */
export type BufferDropReason = 'non_retriable' | 'closed' | 'unsent_at_close';

/** Hooks for Prometheus counters; all optional. Counts are records, not sends. */
export interface BufferedPublisherMetrics {
  /** enqueue refused records because the buffer was full. */
  onOverflow?(topic: string, count: number): void;
  /** The broker acknowledged records. */
  onPublished?(topic: string, count: number): void;
  /** A send failed; `willRetry` false means the records were dropped (see onDropped). */
  onPublishError?(topic: string, count: number, error: unknown, willRetry: boolean): void;
  /** Records lost: a non-retriable send error, an enqueue after close, or left at close. */
  onDropped?(topic: string, count: number, reason: BufferDropReason): void;
}

export interface BufferedPublisherOptions {
  producer: EventProducer;
  /** Most records held (being sent included). Default DEFAULT_BUFFER_CAPACITY. */
  capacity?: number;
  /** Most encoded bytes held. Default DEFAULT_BUFFER_MAX_BYTES. */
  maxBytes?: number;
  /** Most records per send. Default DEFAULT_BUFFER_MAX_BATCH. */
  maxBatch?: number;
  /** How long a partial batch waits for company before it is sent. */
  flushIntervalMs?: number;
  /** Per-record limit checked at enqueue; keep it equal to the producer's. Default 1 MiB. */
  maxMessageBytes?: number;
  retry?: Partial<Omit<RetryPolicy, 'maxAttempts'>>;
  metrics?: BufferedPublisherMetrics;
  logger?: EventsLogger;
}

export interface BufferedPublisherStats {
  readonly depth: number;
  readonly bytes: number;
  readonly accepted: number;
  readonly published: number;
  readonly overflowed: number;
  readonly dropped: number;
  readonly failedSends: number;
  /**
   * Iterations of the send loop that threw (and were survived). Always set by
   * createBufferedPublisher; optional so hand-written stand-ins need not.
   */
  readonly loopErrors?: number;
}

export interface BufferedPublisher {
  /** Accepts a record without waiting; false = refused and counted. Throws on an invalid value. */
  enqueue<N extends string, S extends z.ZodType>(topic: TopicDefinition<N, S>, value: z.input<S>): boolean;
  /** Sends what is buffered now; resolves with the records still buffered (0 = all sent). */
  flush(timeoutMs?: number): Promise<number>;
  /** Stops accepting, flushes within the timeout; resolves with the records left unsent (counted, logged). */
  close(timeoutMs?: number): Promise<number>;
  /** Records held, those being sent included. */
  depth(): number;
  stats(): BufferedPublisherStats;
}

function positiveInt(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name}: expected a positive integer, got ${v}`);
  return v;
}

/** Resolves waiters on `notify`; `wait(ms)` also resolves after ms. Timers never hold the process. */
class Wakeup {
  private waiter?: () => void;

  wait(ms?: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(() => done(), ms);
      timer?.unref();
      const done = (): void => {
        clearTimeout(timer);
        this.waiter = undefined;
        resolve();
      };
      this.waiter = done;
    });
  }

  notify(): void {
    this.waiter?.();
  }
}

class BufferedPublisherImpl implements BufferedPublisher {
  private readonly buffer: PublishBuffer;
  private readonly maxBatch: number;
  private readonly flushIntervalMs: number;
  private readonly maxMessageBytes: number;
  private readonly retry: RetryPolicy;
  private readonly metrics: BufferedPublisherMetrics;
  private readonly logger: EventsLogger;
  private readonly wakeup = new Wakeup();
  private readonly stop = new AbortController();
  private readonly drained = new Set<() => void>();
  private counters = { accepted: 0, published: 0, overflowed: 0, dropped: 0, failedSends: 0, loopErrors: 0 };
  private closing?: Promise<number>;
  private urgent = 0;
  /** Per topic: consecutive failed sends and when its lane may send again (epoch ms). */
  private readonly backoff = new Map<string, { failures: number; until: number }>();
  /** The loop waits for a lane's backoff: any new record should wake it (it may be on another topic). */
  private waitingOnBackoff = false;

  constructor(private readonly options: BufferedPublisherOptions) {
    if (typeof options.producer?.send !== 'function') throw new TypeError('producer: expected an EventProducer');
    this.buffer = new PublishBuffer(
      positiveInt('capacity', options.capacity, DEFAULT_BUFFER_CAPACITY),
      positiveInt('maxBytes', options.maxBytes, DEFAULT_BUFFER_MAX_BYTES),
    );
    this.maxBatch = positiveInt('maxBatch', options.maxBatch, DEFAULT_BUFFER_MAX_BATCH);
    const interval = options.flushIntervalMs ?? DEFAULT_BUFFER_FLUSH_INTERVAL_MS;
    if (!Number.isFinite(interval) || interval < 0) throw new RangeError(`flushIntervalMs: expected a number >= 0, got ${interval}`);
    this.flushIntervalMs = interval;
    this.maxMessageBytes = positiveInt('maxMessageBytes', options.maxMessageBytes, DEFAULT_MAX_MESSAGE_BYTES);
    this.retry = resolveRetryPolicy({ ...DEFAULT_BUFFER_RETRY, ...options.retry, maxAttempts: 1 });
    this.metrics = options.metrics ?? {};
    this.logger = options.logger ?? silentLogger;
    // Started here, not on the first enqueue, so the loop does not run inside (and carry the
    // AsyncLocalStorage context of) whichever request happened to enqueue first.
    void this.run();
  }

  enqueue<N extends string, S extends z.ZodType>(topic: TopicDefinition<N, S>, value: z.input<S>): boolean {
    // Throws on a bad value before anything is counted; the parsed copy is what gets sent,
    // so a caller mutating its object later changes nothing.
    const { parsed, bytes } = encodeValue(topic, value);
    const size = estimateRecordBytes({ key: topic.key(parsed), value: bytes });
    assertRecordSize(topic.name, 0, size, this.maxMessageBytes);
    if (this.closing) {
      this.drop(topic.name, 1, 'closed');
      return false;
    }
    if (!this.buffer.push(topic as AnyTopicDefinition, parsed, size)) {
      this.counters.overflowed++;
      this.hook('onOverflow', () => this.metrics.onOverflow?.(topic.name, 1));
      return false;
    }
    this.counters.accepted++;
    // Wakes an idle loop, or one waiting out a lane's backoff; a lingering one is only cut short by a full batch.
    if (this.buffer.depth === 1 || this.buffer.depth >= this.maxBatch || this.waitingOnBackoff) this.wakeup.notify();
    return true;
  }

  async flush(timeoutMs = DEFAULT_BUFFER_CLOSE_TIMEOUT_MS): Promise<number> {
    if (this.buffer.depth === 0) return 0;
    this.urgent++;
    this.wakeup.notify();
    let onDrained: (() => void) | undefined;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        new Promise<void>((resolve) => this.drained.add((onDrained = resolve))),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)).unref()),
      ]);
    } finally {
      this.urgent--;
      clearTimeout(timer);
      if (onDrained) this.drained.delete(onDrained);
    }
    return this.buffer.depth;
  }

  close(timeoutMs = DEFAULT_BUFFER_CLOSE_TIMEOUT_MS): Promise<number> {
    this.closing ??= this.shutDown(timeoutMs);
    return this.closing;
  }

  depth(): number {
    return this.buffer.depth;
  }

  stats(): BufferedPublisherStats {
    return { depth: this.buffer.depth, bytes: this.buffer.bytes, ...this.counters };
  }

  private async shutDown(timeoutMs: number): Promise<number> {
    const started = Date.now();
    const left = await this.flush(timeoutMs);
    this.stop.abort();
    this.wakeup.notify();
    if (left === 0) {
      this.logQuietly('info', { ...this.counters }, 'buffered publisher closed, nothing left unsent');
      return 0;
    }
    // A send still in flight may yet succeed: those records are counted lost all the same,
    // erring on the side of reporting a loss that did not happen over hiding one that did.
    const lost = this.buffer.clear();
    for (const [topic, count] of lost) this.drop(topic, count, 'unsent_at_close');
    this.logQuietly(
      'error',
      { unsent: left, byTopic: Object.fromEntries(lost), waitedMs: Date.now() - started },
      'buffered publisher closed with records unsent; they are lost',
    );
    return left;
  }

  private drop(topic: string, count: number, reason: BufferDropReason): void {
    this.counters.dropped += count;
    this.hook('onDropped', () => this.metrics.onDropped?.(topic, count, reason));
  }

  /** A throwing metrics hook must neither fail the caller's request nor kill the send loop. */
  private hook(name: keyof BufferedPublisherMetrics, call: () => void): void {
    try {
      call();
    } catch (err) {
      this.logQuietly('error', { hook: name, error: errorMessage(err) }, 'buffered publisher metrics hook threw');
    }
  }

  /** For reports about failures: a logger that throws here must not add a failure of its own. */
  private logQuietly(level: 'info' | 'warn' | 'error', fields: object, message: string): void {
    try {
      this.logger[level](fields, message);
    } catch {
      // Nothing left to report it to; the counters still have it.
    }
  }

  /** The send loop: one iteration at a time, each guarded, so nothing can end it but close(). */
  private async run(): Promise<void> {
    let loopFailures = 0;
    while (!this.stop.signal.aborted) {
      try {
        await this.iterate();
        loopFailures = 0;
      } catch (err) {
        this.waitingOnBackoff = false;
        loopFailures++;
        this.counters.loopErrors++;
        this.logQuietly('error', { error: errorMessage(err), consecutive: loopFailures, depth: this.buffer.depth }, 'buffered publisher send loop iteration failed; continuing');
        await sleep(computeBackoffMs(loopFailures, this.retry), this.stop.signal);
      }
    }
  }

  private async iterate(): Promise<void> {
    if (this.buffer.depth === 0) {
      await this.wakeup.wait();
      return;
    }
    if (this.urgent === 0 && !this.closing && this.buffer.depth < this.maxBatch) {
      await this.wakeup.wait(this.flushIntervalMs);
      if (this.stop.signal.aborted) return;
    }
    const now = Date.now();
    const batch = this.buffer.peek(this.maxBatch, (topic) => (this.backoff.get(topic)?.until ?? 0) <= now);
    if (!batch) {
      // Every topic with records is backing off: wait for the first to be due, or a new record.
      const due = Math.min(...this.buffer.topics().map((topic) => this.backoff.get(topic)?.until ?? now));
      this.waitingOnBackoff = true;
      try {
        await this.wakeup.wait(Math.max(0, due - now));
      } finally {
        this.waitingOnBackoff = false;
      }
      return;
    }
    const topic = batch.topic.name;
    const failures = this.backoff.get(topic)?.failures ?? 0;
    const ok = await this.send(batch, failures + 1);
    if (this.stop.signal.aborted) return; // closed while sending: close() has accounted for everything
    if (ok === false) {
      this.backoff.set(topic, { failures: failures + 1, until: Date.now() + computeBackoffMs(failures + 1, this.retry) });
    } else {
      this.backoff.delete(topic);
    }
    if (this.buffer.depth === 0) for (const resolve of this.drained) resolve();
  }

  /** true: sent; false: failed, keep and retry; undefined: failed for good, dropped. */
  private async send(batch: BufferBatch, attempt: number): Promise<boolean | undefined> {
    const { topic, records } = batch;
    try {
      await this.options.producer.send(topic, records.map((r) => r.value));
    } catch (err) {
      if (this.stop.signal.aborted) return false;
      this.counters.failedSends++;
      const retry = isRetriable(err);
      this.hook('onPublishError', () => this.metrics.onPublishError?.(topic.name, records.length, err, retry));
      const fields = { topic: topic.name, records: records.length, attempt, code: errorCode(err), error: errorMessage(err), depth: this.buffer.depth };
      if (retry) {
        this.logger.warn(fields, 'buffered publish failed; keeping the records and retrying');
        return false;
      }
      this.buffer.remove(topic.name, records.length);
      this.drop(topic.name, records.length, 'non_retriable');
      this.logger.error(fields, 'buffered publish failed for good; records dropped');
      return undefined;
    }
    if (this.stop.signal.aborted) return true;
    this.buffer.remove(topic.name, records.length);
    this.counters.published += records.length;
    this.hook('onPublished', () => this.metrics.onPublished?.(topic.name, records.length));
    return true;
  }
}

/** Creates the buffer and starts its send loop; call `close` on shutdown. */
export function createBufferedPublisher(options: BufferedPublisherOptions): BufferedPublisher {
  return new BufferedPublisherImpl(options);
}
