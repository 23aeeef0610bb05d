import { randomBytes } from 'node:crypto';
import { ConfigResourceTypes } from 'kafkajs';
import {
  createConsumerRunner,
  DLQ_REASON_HEADER,
  DLQ_TRUNCATED_HEADER,
  dlqRecordSchema,
  estimateRecordBytes,
  PermanentProcessingError,
  TOPICS,
} from '../src';
import { samples } from './support/samples';
import { expectCommittedAtEnd, FAST_CONSUMER, readRaw, testLogger, useBrokerFixture, waitFor } from './support/kafka';

jest.setTimeout(60_000);

describe('malformed records go to the dead-letter topic (real broker)', () => {
  const fx = useBrokerFixture('dead-letter');

  it('dead-letters bad JSON, schema violations and binary junk with their reason, and processes the good records after them', async () => {
    const { kafka, resources } = fx;
    const groupId = resources.group('dlq');
    const topic = await resources.topic(TOPICS.userEvents, { partitions: 1, dlqGroups: [groupId] });
    const junk = Buffer.from([0xff, 0xfe, 0x00, 0x01]);

    // Raw bytes through a plain KafkaJS producer: the typed producer would refuse them.
    const raw = kafka.producer();
    await raw.connect();
    await raw.send({
      topic: topic.name,
      messages: [
        { key: 'u-1', value: JSON.stringify(samples.userEvent('u-1', 'i-1')) },
        { key: 'u-1', value: 'not json{', headers: { 'x-request-id': 'req-bad-json' } },
        { key: 'u-1', value: JSON.stringify({ userId: 'u-1', type: 'hover' }), headers: { 'x-trace': 'trace-2' } },
        { key: null, value: junk },
        { key: 'u-1', value: JSON.stringify(samples.userEvent('u-1', 'i-2')) },
        { key: 'u-1', value: JSON.stringify(samples.userEvent('u-1', 'i-3')) },
      ],
    });
    await raw.disconnect();

    const processed: string[] = [];
    const deadLettered: string[] = [];
    const runner = createConsumerRunner({
      kafka,
      groupId,
      topics: [topic],
      fromBeginning: true,
      consumer: FAST_CONSUMER,
      logger: testLogger,
      metrics: { onDeadLettered: (i) => void deadLettered.push(`${i.offset}:${i.code}`) },
      handler: async (event) => {
        processed.push(event.value.itemId);
      },
    });
    fx.runners.push(runner);
    await runner.start();
    await waitFor(
      () => processed.length >= 3 && deadLettered.length >= 3,
      20_000,
      () => `3 processed + 3 dead-lettered (got ${processed.length} + ${deadLettered.length})`,
    );
    await runner.stop();

    expect(processed).toEqual(['i-1', 'i-2', 'i-3']);
    expect(deadLettered.sort()).toEqual(['1:DECODE_ERROR', '2:SCHEMA_VALIDATION', '3:DECODE_ERROR']);
    await expectCommittedAtEnd(kafka, groupId, topic.name);

    // The null-key record runs in its own lane, so dead letters may be written out of
    // source order; line them up by the original offset.
    const letters = (await readRaw(kafka, `dlq.${groupId}`, 3))
      .map((letter) => ({ ...letter, record: dlqRecordSchema.parse(JSON.parse(String(letter.value))) }))
      .sort((a, b) => Number(a.record.originalOffset) - Number(b.record.originalOffset));
    const records = letters.map((l) => l.record);
    expect(records.map((r) => [r.originalTopic, r.originalPartition, r.originalOffset, r.error.code, r.attempts, r.groupId])).toEqual([
      [topic.name, 0, '1', 'DECODE_ERROR', 1, groupId],
      [topic.name, 0, '2', 'SCHEMA_VALIDATION', 1, groupId],
      [topic.name, 0, '3', 'DECODE_ERROR', 1, groupId],
    ]);
    expect(records[0].originalValue).toEqual({ encoding: 'utf8', data: 'not json{' });
    expect(records[0].originalKey).toEqual({ encoding: 'utf8', data: 'u-1' });
    expect(records[1].error.message).toMatch(/itemId/);
    expect(JSON.parse(records[1].originalValue?.data ?? '')).toEqual({ userId: 'u-1', type: 'hover' });
    expect(records[2].originalValue).toEqual({ encoding: 'base64', data: junk.toString('base64') });
    expect(records[2].originalKey).toBeNull();

    // Original headers travel with the dead letter, plus the reason.
    expect(String(letters[0].headers['x-request-id'])).toBe('req-bad-json');
    expect(String(letters[0].headers[DLQ_REASON_HEADER])).toMatch(/^DECODE_ERROR: cannot decode .* not JSON/);
    expect(String(letters[1].headers['x-trace'])).toBe('trace-2');
    expect(String(letters[1].headers[DLQ_REASON_HEADER])).toMatch(/^SCHEMA_VALIDATION: invalid .*itemId/);
    expect(letters[2].key).toBe(`${topic.name}/0/3`);
  });

  it('dead-letters a record at the broker size limit (random key and header) by cutting the dead letter down, and moves on', async () => {
    const { kafka, resources } = fx;
    const groupId = resources.group('dlq-big');
    const topic = await resources.topic(TOPICS.userEvents, { partitions: 1, dlqGroups: [groupId] });

    // The topic's effective max.message.bytes (the broker's message.max.bytes unless overridden).
    const admin = kafka.admin();
    await admin.connect();
    const described = await admin.describeConfigs({
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic.name, configNames: ['max.message.bytes'] }],
      includeSynonyms: false,
    });
    await admin.disconnect();
    const brokerLimit = Number(described.resources[0].configEntries[0].configValue);
    expect(brokerLimit).toBeGreaterThan(100_000);

    // Random bytes defeat the DLQ producer's gzip: a dead letter carrying this key and
    // header plus the error text is over the limit even compressed.
    const key = randomBytes(400_000);
    const value = JSON.stringify(samples.userEvent('u-big', 'i-big'));
    const headerBytes = brokerLimit - estimateRecordBytes({ key, value, headers: { big: Buffer.alloc(0) } });
    const source = { key, value, headers: { big: randomBytes(headerBytes) } };
    expect(estimateRecordBytes(source)).toBe(brokerLimit);

    const raw = kafka.producer();
    await raw.connect();
    // Alone, so it is one record per batch; an explicit partition skips KafkaJS's murmur2
    // over the 400 kB key, which takes a minute.
    await raw.send({ topic: topic.name, messages: [{ ...source, partition: 0 }] });
    await raw.send({ topic: topic.name, messages: [{ key: 'u-2', value: JSON.stringify(samples.userEvent('u-2', 'i-after')) }] });
    await raw.disconnect();

    const processed: string[] = [];
    const deadLettered: string[] = [];
    const runner = createConsumerRunner({
      kafka,
      groupId,
      topics: [topic],
      fromBeginning: true,
      consumer: FAST_CONSUMER,
      logger: testLogger,
      metrics: { onDeadLettered: (i) => void deadLettered.push(i.offset) },
      handler: async (event) => {
        // A long, incompressible error text, as a real failure may carry.
        if (event.value.userId === 'u-big') throw new PermanentProcessingError(randomBytes(3_000).toString('hex'));
        processed.push(event.value.itemId);
      },
    });
    fx.runners.push(runner);
    await runner.start();
    await waitFor(() => processed.length >= 1 && deadLettered.length >= 1, 20_000, () => `1 processed + 1 dead-lettered (got ${processed.length} + ${deadLettered.length})`);
    await runner.stop();

    expect(processed).toEqual(['i-after']);
    expect(deadLettered).toEqual(['0']);
    await expectCommittedAtEnd(kafka, groupId, topic.name);
    const [letter] = await readRaw(kafka, `dlq.${groupId}`, 1);
    const record = dlqRecordSchema.parse(JSON.parse(String(letter.value)));
    expect([record.originalOffset, record.error.code, record.originalValueOmitted]).toEqual(['0', 'PERMANENT_PROCESSING', true]);
    expect(String(letter.headers[DLQ_TRUNCATED_HEADER])).toMatch(/headers/);
    expect(String(letter.headers[DLQ_REASON_HEADER])).toMatch(/^PERMANENT_PROCESSING: /);
    expect(letter.headers.big).toBeUndefined();
  });
});
