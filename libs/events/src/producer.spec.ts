import type { Kafka } from 'kafkajs';
import { samples } from '../test/support/samples';
import { MessageTooLargeError, SchemaValidationError } from './errors';
import { buildMessages, createEventProducer, PRODUCER_CONFIG, REQUEST_ID_HEADER, type EventProducer } from './producer';
import { chunkBySize, DEFAULT_MAX_MESSAGE_BYTES, estimateRecordBytes } from './record-size';
import { TOPICS } from './topics';

describe('buildMessages', () => {
  it('keys, encodes and headers every record', () => {
    const { messages } = buildMessages(TOPICS.userEvents, [samples.userEvent('u-1'), samples.userEvent('u-2')], {
      requestId: () => 'req-1',
      headers: { 'x-source': 'test' },
    });
    expect(messages.map((m) => m.key)).toEqual(['u-1', 'u-2']);
    expect(JSON.parse(String(messages[0].value))).toEqual(samples.userEvent('u-1'));
    expect(messages[0].headers).toEqual({ [REQUEST_ID_HEADER]: 'req-1', 'x-source': 'test' });
  });

  it('lets an explicit header win over the injected request id, and omits an absent one', () => {
    const explicit = buildMessages(TOPICS.userEvents, [samples.userEvent()], {
      requestId: () => 'injected',
      headers: { [REQUEST_ID_HEADER]: 'explicit' },
    });
    expect(explicit.messages[0].headers).toEqual({ [REQUEST_ID_HEADER]: 'explicit' });
    const none = buildMessages(TOPICS.userEvents, [samples.userEvent()], { requestId: () => undefined });
    expect(none.messages[0].headers).toEqual({});
  });

  it('rejects the whole call when one value is invalid, naming the record', () => {
    const bad = { ...samples.userEvent(), type: 'hover' } as unknown as ReturnType<typeof samples.userEvent>;
    expect(() => buildMessages(TOPICS.userEvents, [samples.userEvent(), bad])).toThrow(SchemaValidationError);
    expect(() => buildMessages(TOPICS.userEvents, [samples.userEvent(), bad])).toThrow(/record #1/);
  });

  it('enforces the size limit before sending, with a clear error', () => {
    // The changelog snapshot's data is the one field the schema leaves unbounded.
    const big = { ...samples.stageSnapshot(), data: 'x'.repeat(DEFAULT_MAX_MESSAGE_BYTES) };
    let caught: unknown;
    try {
      buildMessages(TOPICS.sentimentWindowState, [samples.stageSnapshot(), big]);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(MessageTooLargeError);
    const error = caught as MessageTooLargeError;
    expect(error.index).toBe(1);
    expect(error.limitBytes).toBe(DEFAULT_MAX_MESSAGE_BYTES);
    expect(error.sizeBytes).toBeGreaterThan(DEFAULT_MAX_MESSAGE_BYTES);
    expect(error.retriable).toBe(false);
    expect(error.message).toMatch(/sentiment\.window-state record #1 is \d+ bytes, over the 1048576-byte limit/);
  });

  it('honours a custom limit and counts key, headers and framing', () => {
    const value = samples.userEvent();
    const { sizes } = buildMessages(TOPICS.userEvents, [value], { headers: { h: 'v' } });
    const json = Buffer.byteLength(JSON.stringify(value));
    // value + key + header name/value + batch header (61) + record varints (36) + header varints (10)
    expect(sizes[0]).toBe(json + 'u-1'.length + 2 + 61 + 36 + 10);
    expect(() => buildMessages(TOPICS.userEvents, [value], { maxMessageBytes: sizes[0] - 1, headers: { h: 'v' } })).toThrow(
      MessageTooLargeError,
    );
    expect(() => buildMessages(TOPICS.userEvents, [value], { maxMessageBytes: sizes[0], headers: { h: 'v' } })).not.toThrow();
  });
});

describe('record sizes and chunking', () => {
  it('estimates arrays of header values and null values', () => {
    expect(estimateRecordBytes({ value: null })).toBe(97);
    expect(estimateRecordBytes({ key: 'k', value: 'v', headers: { a: ['1', Buffer.from('22')] } })).toBe(97 + 2 + (10 + 1 + 1) + (10 + 1 + 2));
  });

  it('splits consecutive records into size-bounded chunks, in order', () => {
    expect(chunkBySize(['a', 'b', 'c', 'd'], [4, 4, 4, 9], 8)).toEqual([['a', 'b'], ['c'], ['d']]);
    expect(chunkBySize([], [], 8)).toEqual([]);
  });
});

describe('createEventProducer', () => {
  function fakeKafka() {
    const sent: unknown[] = [];
    const configs: unknown[] = [];
    const kafka = {
      producer: (config: unknown) => {
        configs.push(config);
        return {
          connect: async () => undefined,
          disconnect: async () => undefined,
          send: async (record: { topic: string; messages: unknown[] }) => {
            sent.push(record);
            return [{ topicName: record.topic, partition: 0, errorCode: 0 }];
          },
        };
      },
    } as unknown as Kafka;
    return { kafka, sent, configs };
  }

  it('uses the idempotent, acks=all, GZIP settings and splits big calls into several requests', async () => {
    const { kafka, sent, configs } = fakeKafka();
    const producer: EventProducer = createEventProducer(kafka, { maxMessageBytes: 2_000, maxRequestBytes: 1_000 });
    const values = Array.from({ length: 10 }, (_, i) => samples.userEvent(`u-${i}`));
    await producer.send(TOPICS.userEvents, values);
    expect(configs[0]).toMatchObject({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    expect(PRODUCER_CONFIG.idempotent).toBe(true);
    const records = sent as Array<{ topic: string; acks: number; compression: number; messages: Array<{ key: string }> }>;
    expect(records.length).toBeGreaterThan(1);
    expect(records.every((r) => r.topic === 'user.events' && r.acks === -1 && r.compression === 1)).toBe(true);
    expect(records.flatMap((r) => r.messages.map((m) => m.key))).toEqual(values.map((v) => v.userId));
    expect(await producer.send(TOPICS.userEvents, [])).toEqual([]);
  });

  it('rejects bad limits naming the field', () => {
    expect(() => createEventProducer(fakeKafka().kafka, { maxMessageBytes: 0 })).toThrow(/maxMessageBytes/);
  });

  it('type-checks values against the topic schema', async () => {
    const producer = createEventProducer(fakeKafka().kafka);
    // @ts-expect-error 'hover' is not a user.events type
    await expect(producer.send(TOPICS.userEvents, [{ ...samples.userEvent(), type: 'hover' }])).rejects.toThrow(SchemaValidationError);
    // @ts-expect-error a news.raw value is not a user.events value
    await expect(producer.send(TOPICS.userEvents, [samples.newsRaw()])).rejects.toThrow(SchemaValidationError);
  });
});
