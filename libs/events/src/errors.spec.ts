import { KafkaJSError, KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from 'kafkajs';
import {
  DeadLetterPublishError,
  DecodeError,
  errorCode,
  errorMessage,
  isRetriable,
  MessageTooLargeError,
  PermanentProcessingError,
  SchemaValidationError,
  TransientProcessingError,
} from './errors';

describe('isRetriable', () => {
  it('follows the flag of our own errors', () => {
    expect(isRetriable(new SchemaValidationError('t', [{ path: 'a', message: 'bad' }]))).toBe(false);
    expect(isRetriable(new DecodeError('t', 'not JSON'))).toBe(false);
    expect(isRetriable(new MessageTooLargeError('t', 10, 5, 0))).toBe(false);
    expect(isRetriable(new PermanentProcessingError('no'))).toBe(false);
    expect(isRetriable(new TransientProcessingError('later'))).toBe(true);
    expect(isRetriable(new DeadLetterPublishError('broker down'))).toBe(true);
  });

  it("honours KafkaJS's own retriable flag", () => {
    expect(isRetriable(new KafkaJSError('network blip'))).toBe(true);
    expect(isRetriable(new KafkaJSNonRetriableError('bad config'))).toBe(false);
    const protocol = (type: string, retriable: boolean) =>
      new KafkaJSProtocolError({ message: type, type, code: 1, retriable } as unknown as Error);
    expect(isRetriable(protocol('NOT_LEADER_FOR_PARTITION', true))).toBe(true);
    expect(isRetriable(protocol('MESSAGE_TOO_LARGE', false))).toBe(false);
  });

  it('judges KafkaJSNumberOfRetriesExceeded by its cause, as KafkaJS does', () => {
    const exceeded = (cause: Error) => new KafkaJSNumberOfRetriesExceeded(cause, { retryCount: 5, retryTime: 100 });
    expect(isRetriable(exceeded(new KafkaJSError('blip')))).toBe(true);
    expect(isRetriable(exceeded(new KafkaJSNonRetriableError('fatal')))).toBe(false);
  });

  it('treats transient Node system errors as retriable and bugs as not', () => {
    expect(isRetriable(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isRetriable(Object.assign(new Error('no such file'), { code: 'ENOENT' }))).toBe(false);
    expect(isRetriable(new TypeError('x is undefined'))).toBe(false);
    expect(isRetriable('a string')).toBe(false);
    expect(isRetriable(null)).toBe(false);
    expect(isRetriable({ retriable: true })).toBe(true);
  });
});

describe('errorCode / errorMessage', () => {
  it('gives stable codes for dead letters and metrics', () => {
    expect(errorCode(new DecodeError('t', 'x'))).toBe('DECODE_ERROR');
    expect(errorCode(new SchemaValidationError('t', []))).toBe('SCHEMA_VALIDATION');
    expect(errorCode(new TransientProcessingError('x'))).toBe('TRANSIENT_PROCESSING');
    const protocol = new KafkaJSProtocolError({ message: 'x', type: 'UNKNOWN_TOPIC_OR_PARTITION', code: 3 } as unknown as Error);
    expect(errorCode(protocol)).toBe('KAFKA_UNKNOWN_TOPIC_OR_PARTITION');
    expect(errorCode(new KafkaJSError('x'))).toBe('KafkaJSError');
    expect(errorCode(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBe('ECONNRESET');
    expect(errorCode(new Error('boom'))).toBe('HANDLER_ERROR');
  });

  it('reads messages from anything thrown', () => {
    expect(errorMessage(new Error('boom'))).toBe('boom');
    expect(errorMessage('plain')).toBe('plain');
    expect(errorMessage({ a: 1 })).toBe('{"a":1}');
  });

  it('names the topic, path and size in messages', () => {
    const schema = new SchemaValidationError('user.events', [{ path: 'type', message: 'Invalid option' }], ' (record #2)');
    expect(schema.message).toBe('invalid user.events value (record #2): type: Invalid option');
    expect(schema.name).toBe('SchemaValidationError');
    const big = new MessageTooLargeError('news.raw', 2_000_000, 1_048_576, 3);
    expect(big.message).toContain('news.raw record #3 is 2000000 bytes, over the 1048576-byte limit');
  });
});
