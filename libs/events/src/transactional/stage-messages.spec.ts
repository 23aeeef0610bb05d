import { samples } from '../../test/support/samples';
import { DecodeError, MessageTooLargeError, SchemaValidationError } from '../errors';
import { DLQ_REASON_HEADER } from '../dlq';
import { TOPICS } from '../topics';
import { deadLetterMessages, decodeChunk, encodeStageRecord, groupSends, snapshotMessages, type OutgoingMessage } from './stage-messages';

const record = (offset: string, value: string | Buffer | null) => ({
  offset,
  key: Buffer.from('u-1'),
  value: typeof value === 'string' ? Buffer.from(value) : value,
  timestamp: '1700000000000',
  headers: { 'x-request-id': Buffer.from('req-1') },
});

describe('decodeChunk', () => {
  it('turns valid records into events in offset order and sets the others aside with their error', () => {
    const signal = new AbortController().signal;
    const good = JSON.stringify(samples.userEvent('u-1', 'i-1'));
    const { events, invalid } = decodeChunk(TOPICS.userEvents, 3, [record('10', good), record('11', '{'), record('12', null), record('13', '{"userId":"u"}'), record('14', good)], 2, signal);
    expect(events.map((e) => e.offset)).toEqual(['10', '14']);
    expect(events[0]).toEqual({
      topic: 'user.events',
      partition: 3,
      offset: '10',
      key: 'u-1',
      headers: { 'x-request-id': 'req-1' },
      timestamp: '1700000000000',
      attempt: 2,
      signal,
      value: samples.userEvent('u-1', 'i-1'),
    });
    expect(invalid.map((i) => i.record.offset)).toEqual(['11', '12', '13']);
    expect(invalid[0].error).toBeInstanceOf(DecodeError);
    expect(invalid[2].error).toBeInstanceOf(SchemaValidationError);
  });
});

describe('encodeStageRecord', () => {
  it('keys by the topic unless told, keeps an explicit partition, validates', () => {
    const out = encodeStageRecord({ topic: TOPICS.userEvents, value: samples.userEvent('u-7') }, 0, 1_048_576);
    expect(out.topic).toBe('user.events');
    expect(out.message.key).toBe('u-7');
    expect(out.message.partition).toBeUndefined();
    expect(JSON.parse(String(out.message.value))).toEqual(samples.userEvent('u-7'));
    const explicit = encodeStageRecord({ topic: TOPICS.userEvents, value: samples.userEvent(), key: 'k', partition: 4 }, 0, 1_048_576);
    expect([explicit.message.key, explicit.message.partition]).toEqual(['k', 4]);
  });

  it('throws on a value its schema refuses, an oversized record or a bad partition, naming the record', () => {
    expect(() => encodeStageRecord({ topic: TOPICS.userEvents, value: { userId: 'u' } }, 3, 1_048_576)).toThrow(SchemaValidationError);
    expect(() => encodeStageRecord({ topic: TOPICS.userEvents, value: { userId: 'u' } }, 3, 1_048_576)).toThrow(/record #3/);
    expect(() => encodeStageRecord({ topic: TOPICS.userEvents, value: samples.userEvent() }, 0, 50)).toThrow(MessageTooLargeError);
    expect(() => encodeStageRecord({ topic: TOPICS.userEvents, value: samples.userEvent(), partition: -1 }, 2, 1_048_576)).toThrow(
      new TypeError('records[2].partition: expected a partition number, got -1'),
    );
  });
});

describe('groupSends', () => {
  const msg = (topic: string, key: string, bytes: number): OutgoingMessage => ({ topic, message: { key, value: 'v' }, bytes });

  it('keeps each send under the byte budget, grouped by topic in order', () => {
    const sends = groupSends([msg('a', '1', 40), msg('b', '2', 40), msg('a', '3', 40), msg('a', '4', 40)], 100);
    expect(sends.map((send) => send.map((t) => [t.topic, t.messages.map((m) => m.key)]))).toEqual([
      [['a', ['1']], ['b', ['2']]],
      [['a', ['3', '4']]],
    ]);
    expect(groupSends([], 100)).toEqual([]);
  });
});

describe('deadLetterMessages', () => {
  it('builds one DLQ message per record with the reason and original coordinates', () => {
    const [letter] = deadLetterMessages(
      { groupId: 'g', dlqTopic: 'dlq.g', topic: 'user.events', partition: 1, maxMessageBytes: 1_048_576 },
      [{ record: record('5', '{'), error: new Error('boom'), attempts: 2 }],
    );
    expect(letter.topic).toBe('dlq.g');
    expect(letter.message.key).toBe('user.events/1/5');
    expect(letter.message.headers?.[DLQ_REASON_HEADER]).toBe('HANDLER_ERROR: boom');
    expect(JSON.parse(String(letter.message.value))).toMatchObject({ groupId: 'g', originalOffset: '5', attempts: 2 });
  });
});

describe('snapshotMessages', () => {
  it('writes chunk records to the input partition, chunk 0 under `<group>/<partition>`', () => {
    const now = new Date('2026-11-28T10:00:00.000Z');
    const messages = snapshotMessages({ changelog: TOPICS.sentimentWindowState, groupId: 'g', partition: 2, nextOffset: '41', text: 'x'.repeat(25), maxChunkBytes: 10, now });
    expect(messages.map((m) => [m.key, m.partition])).toEqual([
      ['g/2', 2],
      ['g/2#1', 2],
      ['g/2#2', 2],
    ]);
    const values = messages.map((m) => JSON.parse(String(m.value)));
    expect(values.map((v) => v.data).join('')).toBe('x'.repeat(25));
    expect(values[1]).toEqual({ v: 1, groupId: 'g', partition: 2, nextOffset: '41', chunk: 1, chunks: 3, data: 'x'.repeat(10), savedAt: now.toISOString() });
  });
});
