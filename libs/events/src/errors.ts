/**
 * All event-layer errors in one place. Each carries a stable `code` (it ends up in
 * dead-letter records and metrics labels) and a `retriable` flag: the consumer runner
 * retries retriable failures with backoff and dead-letters everything else.
 */
export type EventsErrorCode =
  | 'SCHEMA_VALIDATION'
  | 'DECODE_ERROR'
  | 'MESSAGE_TOO_LARGE'
  | 'TRANSIENT_PROCESSING'
  | 'PERMANENT_PROCESSING'
  | 'DLQ_PUBLISH_FAILED'
  | 'TOPIC_SETUP'
  | 'STAGE_STATE'
  | 'KAFKA_CONFIG'
  | 'KAFKA_AUTH';

export class EventsError extends Error {
  constructor(
    message: string,
    readonly code: EventsErrorCode,
    readonly retriable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export interface SchemaIssue {
  /** Dotted path into the value, e.g. `scores.negative`; empty for the root. */
  readonly path: string;
  readonly message: string;
}

/** A value does not match its topic's schema (on produce or on consume). Never retriable. */
export class SchemaValidationError extends EventsError {
  constructor(
    readonly topic: string,
    readonly issues: readonly SchemaIssue[],
    context = '',
  ) {
    const detail = issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ');
    super(`invalid ${topic} value${context}: ${detail}`, 'SCHEMA_VALIDATION', false);
  }
}

/** The record bytes are not a JSON document (or are a null/tombstone value). Never retriable. */
export class DecodeError extends EventsError {
  constructor(
    readonly topic: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`cannot decode ${topic} record: ${reason}`, 'DECODE_ERROR', false, options);
  }
}

/** A record exceeds the producer's size limit; sending it would fail at the broker anyway. */
export class MessageTooLargeError extends EventsError {
  constructor(
    readonly topic: string,
    readonly sizeBytes: number,
    readonly limitBytes: number,
    readonly index: number,
  ) {
    super(
      `${topic} record #${index} is ${sizeBytes} bytes, over the ${limitBytes}-byte limit ` +
        '(split the payload or raise maxMessageBytes together with the broker message.max.bytes)',
      'MESSAGE_TOO_LARGE',
      false,
    );
  }
}

/** Thrown by handlers to ask for a retry with backoff (a dependency is briefly unavailable). */
export class TransientProcessingError extends EventsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'TRANSIENT_PROCESSING', true, options);
  }
}

/** Thrown by handlers to dead-letter a record at once (retrying cannot help). */
export class PermanentProcessingError extends EventsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'PERMANENT_PROCESSING', false, options);
  }
}

/** The dead-letter record could not be written; the source record stays uncommitted. */
export class DeadLetterPublishError extends EventsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'DLQ_PUBLISH_FAILED', true, options);
  }
}

/** Topics are missing or could not be created/seen in metadata in time. */
export class TopicSetupError extends EventsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'TOPIC_SETUP', false, options);
  }
}

/**
 * A transactional stage cannot rebuild a partition's state: the snapshot its committed
 * offset points at is missing or does not belong to it (changelog deleted, recreated or
 * written by someone else). Not retriable: the partition stops rather than continue
 * from a wrong state.
 */
export class StageStateError extends EventsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'STAGE_STATE', false, options);
  }
}

/** The Kafka security settings are wrong or a file they name cannot be read. Never retriable. */
export class KafkaConfigError extends EventsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'KAFKA_CONFIG', false, options);
  }
}

/**
 * The broker refused the SASL credentials. Never retriable: the same password fails the
 * same way, so the caller stops (a service fails its start) instead of looping.
 */
export class KafkaAuthError extends EventsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'KAFKA_AUTH', false, options);
  }
}

const SASL_FAILURE = 'KafkaJSSASLAuthenticationError';

/** Whether `err`, or an error in its cause chain, is KafkaJS's SASL authentication failure. */
function isSaslFailure(err: unknown, depth = 0): boolean {
  if (depth > 5 || typeof err !== 'object' || err === null) return false;
  return field(err, 'name') === SASL_FAILURE || isSaslFailure(field(err, 'cause'), depth + 1);
}

// Node's codes for a broker certificate this client does not trust, or that names another host.
const TLS_TRUST_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Whether `err`, or an error in its cause chain, is a broker certificate the client refused. */
function isTlsTrustFailure(err: unknown, depth = 0): boolean {
  if (depth > 5 || typeof err !== 'object' || err === null) return false;
  const code = field(err, 'code');
  return (typeof code === 'string' && TLS_TRUST_CODES.has(code)) || isTlsTrustFailure(field(err, 'cause'), depth + 1);
}

/**
 * KafkaJS's SASL failure, or a broker certificate the client does not trust, as a
 * KafkaAuthError with a hint on what to check; anything else is returned unchanged. Connect
 * paths rethrow through this so callers see one stable, non-retriable code.
 */
export function asKafkaAuthError(err: unknown): unknown {
  if (err instanceof KafkaAuthError) return err;
  if (isSaslFailure(err)) {
    return new KafkaAuthError(
      `Kafka refused the SASL credentials (${errorMessage(err)}); check KAFKA_SASL_USERNAME, ` +
        'KAFKA_SASL_PASSWORD(_FILE) and KAFKA_SASL_MECHANISM against the broker\'s user',
      { cause: err },
    );
  }
  if (isTlsTrustFailure(err)) {
    return new KafkaAuthError(
      `the Kafka broker's TLS certificate is not trusted (${errorMessage(err)}); check KAFKA_SSL_CA_FILE ` +
        '(Strimzi: secret <cluster>-cluster-ca-cert, key ca.crt) and that KAFKA_BROKERS names a host the certificate covers',
      { cause: err },
    );
  }
  return err;
}

// Node socket/DNS failures that usually heal by themselves.
const TRANSIENT_SYSTEM_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

function field(err: unknown, name: string): unknown {
  return typeof err === 'object' && err !== null ? (err as Record<string, unknown>)[name] : undefined;
}

/**
 * Whether retrying the failed work can help. Rules, in order:
 * 1. our own errors say so themselves;
 * 2. KafkaJS errors carry `retriable`; `KafkaJSNumberOfRetriesExceeded` is judged by its
 *    cause, as KafkaJS itself does when deciding to restart a crashed consumer;
 * 3. any other error with a boolean `retriable` property is taken at its word;
 * 4. transient Node system errors (ECONNRESET, ETIMEDOUT, ...) are retriable;
 * 5. everything else (TypeError, bugs) is not: retrying a bug only delays the dead letter.
 */
export function isRetriable(err: unknown): boolean {
  if (err instanceof EventsError) return err.retriable;
  if (field(err, 'name') === 'KafkaJSNumberOfRetriesExceeded') {
    const cause = field(err, 'cause');
    return cause === undefined ? true : isRetriable(cause);
  }
  const flag = field(err, 'retriable');
  if (typeof flag === 'boolean') return flag;
  const code = field(err, 'code');
  return typeof code === 'string' && TRANSIENT_SYSTEM_CODES.has(code);
}

/** A short stable code for logs, metrics and dead-letter records. */
export function errorCode(err: unknown): string {
  if (err instanceof EventsError) return err.code;
  if (isSaslFailure(err)) return 'KAFKA_AUTH';
  const name = field(err, 'name');
  const type = field(err, 'type');
  if (typeof name === 'string' && name.startsWith('KafkaJS')) {
    return typeof type === 'string' ? `KAFKA_${type}` : name;
  }
  const code = field(err, 'code');
  if (typeof code === 'string' && /^[A-Z][A-Z0-9_]*$/.test(code)) return code;
  return 'HANDLER_ERROR';
}

/** The message of anything thrown, without assuming it is an Error. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'string') return err;
  try {
    return JSON.stringify(err) ?? String(err);
  } catch {
    return String(err);
  }
}
