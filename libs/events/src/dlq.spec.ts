import { createHash } from 'node:crypto';
import { buildDlqMessage, buildDlqRecord, DLQ_REASON_HEADER, DLQ_VALUE_SHA256_HEADER, dlqReason, type DeadLetterInput } from './dlq';
import { DecodeError, TransientProcessingError } from './errors';
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
