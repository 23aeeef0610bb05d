import {
  CompressionTypes,
  Partitioners,
  type IHeaders,
  type Kafka,
  type Message,
  type Producer,
  type ProducerConfig,
  type RecordMetadata,
} from 'kafkajs';
import type { z } from 'zod';
import { encodeValue } from './codec';
import { asKafkaAuthError } from './errors';
import { silentLogger, type EventsLogger } from './logger';
import { assertRecordSize, chunkBySize, DEFAULT_MAX_MESSAGE_BYTES, estimateRecordBytes } from './record-size';
import type { TopicDefinition } from './topic-definition';

export const REQUEST_ID_HEADER = 'x-request-id';

/** acks=-1: wait for all in-sync replicas; required by the idempotent producer. */
export const ACKS_ALL = -1;

/**
 * Producer settings every Tuneline producer uses (the DLQ producer too). KafkaJS's
 * idempotent producer tracks sequence numbers for one request at a time, so it must
 * run with maxInFlightRequests 1; it also defaults to unlimited retries bounded by time.
 */
export const PRODUCER_CONFIG: Readonly<ProducerConfig> = Object.freeze({
  idempotent: true,
  maxInFlightRequests: 1,
  // Topics come from ensureTopics/Strimzi with the right partition counts; never auto-create.
  allowAutoTopicCreation: false,
  // Java-compatible murmur2 on the key, so Java/Go clients place keys identically.
  createPartitioner: Partitioners.DefaultPartitioner,
});

export interface EventProducerOptions {
  logger?: EventsLogger;
  /** Largest record accepted (value + key + headers + framing). Default 1 MiB. */
  maxMessageBytes?: number;
  /** Records are sent in requests of at most this many bytes. Default: maxMessageBytes. */
  maxRequestBytes?: number;
  /** Returns the current request id (e.g. from AsyncLocalStorage); sent as `x-request-id`. */
  requestId?: () => string | undefined;
  /** GZIP by default: built into KafkaJS, JSON compresses well. */
  compression?: CompressionTypes;
  /** Broker-side timeout of a produce request in ms. */
  timeoutMs?: number;
}

export interface SendOptions {
  /** Headers added to every record of this call; they win over the injected request id. */
  headers?: Readonly<Record<string, string>>;
}

export interface EventProducer {
  /** Idempotent; `send` connects on first use too. */
  connect(): Promise<void>;
  /** Validates, encodes and sends the values as one request per size-bounded chunk. */
  send<N extends string, S extends z.ZodType>(
    topic: TopicDefinition<N, S>,
    values: readonly z.input<S>[],
    options?: SendOptions,
  ): Promise<RecordMetadata[]>;
  disconnect(): Promise<void>;
}

export interface BuildMessagesOptions extends SendOptions {
  requestId?: () => string | undefined;
  maxMessageBytes?: number;
}

/**
 * Validates every value first (all or nothing: one bad value rejects the whole call),
 * then builds the Kafka messages with key, JSON value and headers, enforcing the size limit.
 */
export function buildMessages<N extends string, S extends z.ZodType>(
  topic: TopicDefinition<N, S>,
  values: readonly z.input<S>[],
  options: BuildMessagesOptions = {},
): { messages: Message[]; sizes: number[] } {
  const limit = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const requestId = options.requestId?.();
  const headers: IHeaders = {
    ...(requestId ? { [REQUEST_ID_HEADER]: requestId } : {}),
    ...options.headers,
  };
  const messages: Message[] = [];
  const sizes: number[] = [];
  values.forEach((value, index) => {
    const { parsed, bytes } = encodeValue(topic, value, ` (record #${index})`);
    const message: Message = { key: topic.key(parsed), value: bytes, headers };
    const size = estimateRecordBytes(message);
    assertRecordSize(topic.name, index, size, limit);
    messages.push(message);
    sizes.push(size);
  });
  return { messages, sizes };
}

function positive(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name}: expected a positive integer, got ${v}`);
  return v;
}

class KafkaEventProducer implements EventProducer {
  private readonly producer: Producer;
  private connecting?: Promise<void>;
  private readonly maxMessageBytes: number;
  private readonly maxRequestBytes: number;
  private readonly logger: EventsLogger;

  constructor(
    kafka: Kafka,
    private readonly options: EventProducerOptions,
  ) {
    this.maxMessageBytes = positive('maxMessageBytes', options.maxMessageBytes, DEFAULT_MAX_MESSAGE_BYTES);
    this.maxRequestBytes = positive('maxRequestBytes', options.maxRequestBytes, this.maxMessageBytes);
    this.logger = options.logger ?? silentLogger;
    this.producer = kafka.producer({ ...PRODUCER_CONFIG });
  }

  connect(): Promise<void> {
    this.connecting ??= this.producer.connect().catch((err: unknown) => {
      this.connecting = undefined;
      throw asKafkaAuthError(err);
    });
    return this.connecting;
  }

  async send<N extends string, S extends z.ZodType>(
    topic: TopicDefinition<N, S>,
    values: readonly z.input<S>[],
    options: SendOptions = {},
  ): Promise<RecordMetadata[]> {
    const { messages, sizes } = buildMessages(topic, values, {
      ...options,
      requestId: this.options.requestId,
      maxMessageBytes: this.maxMessageBytes,
    });
    if (messages.length === 0) return [];
    await this.connect();
    const results: RecordMetadata[] = [];
    // Chunks go one after another: with one request in flight, order per partition holds.
    for (const chunk of chunkBySize(messages, sizes, this.maxRequestBytes)) {
      const metadata = await this.producer.send({
        topic: topic.name,
        messages: chunk,
        acks: ACKS_ALL,
        compression: this.options.compression ?? CompressionTypes.GZIP,
        ...(this.options.timeoutMs ? { timeout: this.options.timeoutMs } : {}),
      });
      results.push(...metadata);
    }
    this.logger.debug({ topic: topic.name, records: messages.length }, 'events sent');
    return results;
  }

  async disconnect(): Promise<void> {
    this.connecting = undefined;
    await this.producer.disconnect();
  }
}

/** Creates the typed, idempotent, GZIP-compressing producer. */
export function createEventProducer(kafka: Kafka, options: EventProducerOptions = {}): EventProducer {
  return new KafkaEventProducer(kafka, options);
}
