import { createHash } from 'node:crypto';
import type { IHeaders } from 'kafkajs';
// KafkaJS's record encoder (v0, what its producer writes with): no typings, a plain function.
const encodeRecord = require('kafkajs/src/protocol/recordBatch/record/v0') as (r: { key?: unknown; value?: unknown; headers?: unknown }) => unknown;
import {
  buildDlqMessage,
  buildDlqRecord,
  DLQ_KEY_SHA256_HEADER,
  DLQ_REASON_HEADER,
  DLQ_TRUNCATED_HEADER,
  DLQ_VALUE_SHA256_HEADER,
  dlqReason,
  MIN_DLQ_MESSAGE_BYTES,
  type DeadLetterInput,
} from './dlq';
import { DecodeError, TransientProcessingError } from './errors';
import { estimateRecordBytes } from './record-size';
import { dlqRecordSchema } from './schemas';

const base: DeadLetterInput = {
  groupId: 'sentiment-monitor',
  topic: 'news.raw',
  partition: 2,
  offset: '41',
  timestamp: '1764324000000',
  key: Buffer.from('news-9'),
  value: Buffer.from('not json{'),
  headers: { 'x-request-id': Buffer.from('req-7'), trace: ['a', 'b'] },
  error: new DecodeError('news.raw', 'value is not JSON'),
  attempts: 1,
  failedAt: new Date('2026-11-28T10:00:00.000Z'),
};

describe('buildDlqRecord', () => {
  it('carries the original record, the error and the attempts', () => {
    expect(buildDlqRecord(base)).toEqual({
      groupId: 'sentiment-monitor',
      originalTopic: 'news.raw',
      originalPartition: 2,
      originalOffset: '41',
      originalTimestamp: '1764324000000',
      originalKey: { encoding: 'utf8', data: 'news-9' },
      originalValue: { encoding: 'utf8', data: 'not json{' },
      originalValueBytes: 9,
      originalValueOmitted: false,
      error: { code: 'DECODE_ERROR', message: 'cannot decode news.raw record: value is not JSON', name: 'DecodeError' },
      attempts: 1,
      failedAt: '2026-11-28T10:00:00.000Z',
    });
  });

  it('uses base64 for bytes that are not UTF-8 and null for null', () => {
    const binary = Buffer.from([0xff, 0x00, 0xfe]);
    const record = buildDlqRecord({ ...base, key: null, value: binary });
    expect(record.originalKey).toBeNull();
    expect(record.originalValue).toEqual({ encoding: 'base64', data: binary.toString('base64') });
    expect(Buffer.from(record.originalValue?.data ?? '', 'base64')).toEqual(binary);
    expect(buildDlqRecord({ ...base, value: null }).originalValue).toBeNull();
  });

  it('records exhausted retries with the last error', () => {
    const record = buildDlqRecord({ ...base, error: new TransientProcessingError('inference down'), attempts: 5 });
    expect(record.error.code).toBe('TRANSIENT_PROCESSING');
    expect(record.attempts).toBe(5);
  });
});

describe('buildDlqMessage', () => {
  it('leaves out header values that are null (valid on the wire), so KafkaJS can encode the dead letter', () => {
    // What KafkaJS's consumer hands over for a header without a value; IHeaders has no null.
    const headers = { 'x-request-id': 'req-7', empty: null, multi: [null, 'm'], allNull: [null] } as unknown as IHeaders;
    const message = buildDlqMessage({ ...base, headers });
    expect(message.headers).toEqual({ 'x-request-id': 'req-7', multi: ['m'], [DLQ_REASON_HEADER]: expect.any(String) });
    // The producer's own record encoder: a null header value made it throw.
    expect(() => encodeRecord({ key: message.key, value: message.value, headers: message.headers })).not.toThrow();
    expect(() => encodeRecord({ key: message.key, value: message.value, headers })).toThrow();
  });

  it('keeps the original headers and adds the reason', () => {
    const message = buildDlqMessage(base);
    expect(message.key).toBe('news.raw/2/41');
    expect(message.headers).toEqual({
      'x-request-id': Buffer.from('req-7'),
      trace: ['a', 'b'],
      [DLQ_REASON_HEADER]: 'DECODE_ERROR: cannot decode news.raw record: value is not JSON',
    });
    expect(dlqRecordSchema.parse(JSON.parse(String(message.value)))).toEqual(buildDlqRecord(base));
  });

  it('overrides a reason header inherited from an earlier dead-lettering', () => {
    const message = buildDlqMessage({ ...base, headers: { [DLQ_REASON_HEADER]: 'old' } });
    expect(message.headers?.[DLQ_REASON_HEADER]).toMatch(/^DECODE_ERROR/);
  });

  it('leaves out a value too large to embed, keeping its size and hash', () => {
    const value = Buffer.from('x'.repeat(5_000));
    const message = buildDlqMessage({ ...base, value, maxMessageBytes: 2_000 });
    const record = dlqRecordSchema.parse(JSON.parse(String(message.value)));
    expect(record.originalValue).toBeNull();
    expect(record.originalValueOmitted).toBe(true);
    expect(record.originalValueBytes).toBe(5_000);
    expect(message.headers?.[DLQ_VALUE_SHA256_HEADER]).toBe(createHash('sha256').update(value).digest('hex'));
  });

  it('bounds the reason header', () => {
    expect(dlqReason(new Error('e'.repeat(5_000))).length).toBe(1_000);
  });
});

describe('buildDlqMessage size limit', () => {
  const LIMIT = 20_000;
  const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
  const parse = (message: ReturnType<typeof buildDlqMessage>) => dlqRecordSchema.parse(JSON.parse(String(message.value)));

  it('drops oversized original headers, keeping the reason and the value hash, and says what it left out', () => {
    for (const value of [Buffer.from('not json{'), null]) {
      const input = { ...base, value, headers: { 'x-request-id': 'req-7', big: 'h'.repeat(3 * LIMIT) }, maxMessageBytes: LIMIT };
      const message = buildDlqMessage(input);
      expect(estimateRecordBytes(message)).toBeLessThanOrEqual(LIMIT);
      expect(message.headers).not.toHaveProperty('big');
      expect(message.headers).not.toHaveProperty('x-request-id');
      expect(message.headers?.[DLQ_REASON_HEADER]).toBe(dlqReason(base.error));
      expect(message.headers?.[DLQ_VALUE_SHA256_HEADER]).toBe(value === null ? undefined : sha256(value));
      expect(message.headers?.[DLQ_TRUNCATED_HEADER]).toBe(value === null ? 'headers' : 'value,headers');
      expect(parse(message).originalKey).toEqual({ encoding: 'utf8', data: 'news-9' });
    }
  });

  it('cuts an oversized key to a prefix and hashes it', () => {
    const key = Buffer.from('k'.repeat(3 * LIMIT));
    const message = buildDlqMessage({ ...base, key, maxMessageBytes: LIMIT });
    expect(estimateRecordBytes(message)).toBeLessThanOrEqual(LIMIT);
    const record = parse(message);
    expect(record.originalKeyTruncated).toBe(true);
    expect(record.originalKeyBytes).toBe(key.length);
    expect(record.originalKey?.data.length).toBeGreaterThan(0);
    expect(key.toString('utf8').startsWith(record.originalKey?.data ?? '-')).toBe(true);
    expect(message.headers?.[DLQ_KEY_SHA256_HEADER]).toBe(sha256(key));
    expect(String(message.headers?.[DLQ_TRUNCATED_HEADER]).split(',')).toContain('key');
  });

  it('keeps a dead letter exactly at the limit whole and shrinks it one byte over', () => {
    const input = { ...base, headers: { big: 'h'.repeat(LIMIT) } };
    const whole = buildDlqMessage({ ...input, maxMessageBytes: 10 * LIMIT });
    const atLimit = estimateRecordBytes(whole);
    expect(buildDlqMessage({ ...input, maxMessageBytes: atLimit })).toEqual(whole);
    const shrunk = buildDlqMessage({ ...input, maxMessageBytes: atLimit - 1 });
    expect(estimateRecordBytes(shrunk)).toBeLessThanOrEqual(atLimit - 1);
    expect(parse(shrunk).originalValueOmitted).toBe(true);
  });

  it('fits the worst case (every field at its bound, text that JSON escapes) in MIN_DLQ_MESSAGE_BYTES', () => {
    const control = '\u0001'.repeat(100_000);
    const error = Object.assign(new Error(control), { name: control, code: 'E'.repeat(100_000) });
    const message = buildDlqMessage({
      ...base,
      groupId: 'g'.repeat(245),
      topic: 't'.repeat(249),
      offset: '9'.repeat(19),
      key: Buffer.from(control),
      value: Buffer.from(control),
      headers: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`h${i}`, control])),
      error,
      maxMessageBytes: MIN_DLQ_MESSAGE_BYTES,
    });
    expect(estimateRecordBytes(message)).toBeLessThanOrEqual(MIN_DLQ_MESSAGE_BYTES);
    expect(String(message.headers?.[DLQ_TRUNCATED_HEADER])).toBe('value,headers,key,error');
    expect(parse(message).error.code.startsWith('EEE')).toBe(true);
  });
});
