import { Kafka, logLevel } from 'kafkajs';
import { kafkaLogCreator, silentLogger, type EventsLogger } from './logger';

export const DEFAULT_BROKERS: readonly string[] = ['127.0.0.1:9092'];
export const DEFAULT_CONNECTION_TIMEOUT_MS = 3_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

const LOG_LEVELS = {
  nothing: logLevel.NOTHING,
  error: logLevel.ERROR,
  warn: logLevel.WARN,
  info: logLevel.INFO,
  debug: logLevel.DEBUG,
} as const;

export type KafkaLogLevel = keyof typeof LOG_LEVELS;

export interface KafkaClientOptions {
  clientId: string;
  /** `host:port` list, or one comma-separated string such as the value of KAFKA_BROKERS. */
  brokers: readonly string[] | string;
  logger?: EventsLogger;
  /** Lowest KafkaJS level forwarded to the logger (default `warn`: its info lines are chatty). */
  logLevel?: KafkaLogLevel;
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
}

/** Parses `host:port[,host:port...]`; throws TypeError naming the bad entry. */
export function parseBrokers(list: string | readonly string[]): string[] {
  const entries = (typeof list === 'string' ? list.split(',') : [...list]).map((b) => b.trim()).filter(Boolean);
  if (entries.length === 0) throw new TypeError('brokers: expected at least one host:port');
  for (const entry of entries) {
    const match = /^(.+):(\d{1,5})$/.exec(entry);
    const port = match ? Number(match[2]) : NaN;
    if (!match || port < 1 || port > 65_535) {
      throw new TypeError(`brokers: "${entry}" is not host:port`);
    }
  }
  return entries;
}

/** One KafkaJS client per process; producers, consumers and admins are made from it. */
export function createKafka(options: KafkaClientOptions): Kafka {
  if (!options.clientId) throw new TypeError('clientId: expected a non-empty string');
  return new Kafka({
    clientId: options.clientId,
    brokers: parseBrokers(options.brokers),
    connectionTimeout: options.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS,
    requestTimeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    logLevel: LOG_LEVELS[options.logLevel ?? 'warn'],
    logCreator: kafkaLogCreator(options.logger ?? silentLogger),
  });
}
