import type { ConnectionOptions } from 'node:tls';
import { Kafka, logLevel, type SASLOptions } from 'kafkajs';
import { KAFKA_SASL_MECHANISMS, readSecurityFile, type KafkaSaslOptions, type KafkaSecurityOptions, type KafkaSslOptions } from './kafka-security';
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

export interface KafkaClientOptions extends KafkaSecurityOptions {
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

/** TLS options with the PEM files read now, so a bad path fails at start, naming the file. */
function tlsOptions(ssl: KafkaSslOptions): ConnectionOptions {
  if (Boolean(ssl.certFile) !== Boolean(ssl.keyFile)) throw new TypeError('ssl: certFile and keyFile go together');
  return {
    ...(ssl.caFile ? { ca: [readSecurityFile(ssl.caFile, 'ssl.caFile')] } : {}),
    ...(ssl.certFile ? { cert: readSecurityFile(ssl.certFile, 'ssl.certFile') } : {}),
    ...(ssl.keyFile ? { key: readSecurityFile(ssl.keyFile, 'ssl.keyFile') } : {}),
  };
}

function saslOptions(sasl: KafkaSaslOptions): SASLOptions {
  if (!(KAFKA_SASL_MECHANISMS as readonly string[]).includes(sasl.mechanism)) {
    throw new TypeError(`sasl.mechanism: expected one of ${KAFKA_SASL_MECHANISMS.join(', ')}, got "${sasl.mechanism}"`);
  }
  if (!sasl.username) throw new TypeError('sasl.username: expected a non-empty string');
  if (!sasl.password) throw new TypeError('sasl.password: expected a non-empty string');
  return { mechanism: sasl.mechanism, username: sasl.username, password: sasl.password } as SASLOptions;
}

/**
 * One KafkaJS client per process; producers, consumers and admins are made from it.
 * `ssl` and `sasl` (kafkaSecurityFromConfig builds both from the KAFKA_* variables) select
 * the security protocol: none = PLAINTEXT, ssl = SSL, sasl = SASL_PLAINTEXT, both = SASL_SSL.
 */
export function createKafka(options: KafkaClientOptions): Kafka {
  if (!options.clientId) throw new TypeError('clientId: expected a non-empty string');
  return new Kafka({
    clientId: options.clientId,
    brokers: parseBrokers(options.brokers),
    ...(options.ssl ? { ssl: tlsOptions(options.ssl) } : {}),
    ...(options.sasl ? { sasl: saslOptions(options.sasl) } : {}),
    connectionTimeout: options.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS,
    requestTimeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    logLevel: LOG_LEVELS[options.logLevel ?? 'warn'],
    logCreator: kafkaLogCreator(options.logger ?? silentLogger),
  });
}
