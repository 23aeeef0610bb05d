import { Writable } from 'node:stream';
import { Metadata } from '@grpc/grpc-js';
import { createLogger, requestLogger } from './create-logger';
import { currentRequestId, runWithRequestId } from './request-context';
import {
  ensureRequestId,
  injectKafkaRequestId,
  injectMetadataRequestId,
  requestIdFromHeaders,
  requestIdFromKafkaHeaders,
  requestIdFromMetadata,
} from './request-id';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const raw: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        raw.push(line);
        lines.push(JSON.parse(line));
      }
      done();
    },
  });
  return { lines, raw, logger: createLogger({ service: 'test-svc', level: 'debug', destination }) };
}

describe('createLogger', () => {
  it('writes JSON lines with service, level label and time', () => {
    const { lines, logger } = capture();
    logger.info({ items: 3 }, 'ranked');
    expect(lines[0]).toMatchObject({ service: 'test-svc', level: 'info', msg: 'ranked', items: 3 });
    expect(typeof lines[0]?.['time']).toBe('string');
  });

  it('redacts authorization and x-api-key wherever they appear', () => {
    const { lines, logger } = capture();
    logger.info({ headers: { authorization: 'Bearer s3cret', 'x-api-key': 'k3y', accept: 'json' } }, 'incoming');
    logger.info({ req: { headers: { authorization: 'Bearer s3cret' } } }, 'nested');
    const text = JSON.stringify(lines);
    expect(text).not.toContain('s3cret');
    expect(text).not.toContain('k3y');
    expect(lines[0]?.['headers']).toEqual({ authorization: '[redacted]', 'x-api-key': '[redacted]', accept: 'json' });
  });

  it('adds the request id of the async context to every line, once', async () => {
    const { lines, raw, logger } = capture();
    await runWithRequestId('req-42', async () => {
      await new Promise((r) => setImmediate(r));
      logger.info('inside');
      requestLogger(logger).info('child');
    });
    logger.info('outside');
    expect(lines[0]?.['requestId']).toBe('req-42');
    expect(lines[1]?.['requestId']).toBe('req-42');
    expect(raw[1]?.match(/"requestId"/g)).toHaveLength(1);
    expect(lines[2]).not.toHaveProperty('requestId');
  });

  it('requestLogger binds an explicit id for work outside the context', () => {
    const { lines, logger } = capture();
    requestLogger(logger, 'job-7').warn('late');
    expect(lines[0]).toMatchObject({ requestId: 'job-7', level: 'warn' });
    expect(currentRequestId()).toBeUndefined();
  });
});

describe('request id propagation', () => {
  it('reads x-request-id from HTTP headers case-insensitively, including arrays', () => {
    expect(requestIdFromHeaders({ 'X-Request-Id': 'abc-1' })).toBe('abc-1');
    expect(requestIdFromHeaders({ 'x-request-id': ['first', 'second'] })).toBe('first');
    expect(requestIdFromHeaders({})).toBeUndefined();
  });

  it('rejects ids that could forge log lines or are too long', () => {
    expect(requestIdFromHeaders({ 'x-request-id': 'a\nfake line' })).toBeUndefined();
    expect(requestIdFromHeaders({ 'x-request-id': 'x'.repeat(129) })).toBeUndefined();
    expect(ensureRequestId(undefined)).toMatch(/^[0-9a-f-]{36}$/);
    expect(ensureRequestId('mine')).toBe('mine');
  });

  it('reads and writes gRPC metadata', () => {
    const md = injectMetadataRequestId(new Metadata(), 'grpc-9');
    expect(md.get('x-request-id')).toEqual(['grpc-9']);
    expect(requestIdFromMetadata(md)).toBe('grpc-9');
    expect(requestIdFromMetadata(new Metadata())).toBeUndefined();
  });

  it('round-trips through Kafka headers (Buffer values) without mutating the input', () => {
    const original = { 'content-type': Buffer.from('application/json') };
    const headers = injectKafkaRequestId(original, 'kafka-3');
    expect(Buffer.isBuffer(headers['x-request-id'])).toBe(true);
    expect(requestIdFromKafkaHeaders(headers)).toBe('kafka-3');
    expect(original).not.toHaveProperty('x-request-id');
    expect(requestIdFromKafkaHeaders({ 'x-request-id': undefined })).toBeUndefined();
    expect(requestIdFromKafkaHeaders(undefined)).toBeUndefined();
  });
});
