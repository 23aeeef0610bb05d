import { CompressionTypes } from 'kafkajs';
import { buildMessages, createConsumerRunner, createEventProducer, DEFAULT_MAX_MESSAGE_BYTES, ensureTopics, REQUEST_ID_HEADER, TOPICS, type ConsumedEvent, type UserEvent } from '../src';
import { samples } from './support/samples';
import { expectCommittedAtEnd, FAST_CONSUMER, testLogger, useBrokerFixture, waitFor } from './support/kafka';

jest.setTimeout(60_000);

describe('typed produce -> consume round trip (real broker)', () => {
  const fx = useBrokerFixture('round-trip', { requestId: () => 'req-round-trip', logger: testLogger });

  it('delivers every typed event with key, headers and per-user order intact', async () => {
    const { kafka, resources, producer } = fx;
    const groupId = resources.group('round-trip');
    const topic = await resources.topic(TOPICS.userEvents, { partitions: 3, dlqGroups: [groupId] });
    const users = ['u-1', 'u-2', 'u-3', 'u-4', 'u-5'];
    const sent: UserEvent[] = [];
    for (let i = 0; i < 8; i++) for (const u of users) sent.push(samples.userEvent(u, `i-${i}`));

    const metadata = await producer.send(topic, sent, { headers: { 'x-source': 'round-trip' } });
    expect(metadata.every((m) => m.errorCode === 0)).toBe(true);

    const received: Array<ConsumedEvent<typeof topic>> = [];
    const processed: string[] = [];
    const runner = createConsumerRunner({
      kafka,
      groupId,
      topics: [topic],
      fromBeginning: true,
      consumer: FAST_CONSUMER,
      logger: testLogger,
      metrics: { onProcessed: (i) => void processed.push(`${i.partition}/${i.offset}`) },
      handler: async (event) => {
        received.push(event);
      },
    });
    fx.runners.push(runner);
    await runner.start();
    await waitFor(() => received.length >= sent.length, 20_000, () => `${sent.length} events (got ${received.length})`);

    expect(received).toHaveLength(sent.length);
    expect(processed).toHaveLength(sent.length);
    for (const u of users) {
      const mine = received.filter((e) => e.value.userId === u);
      // Same key -> same partition -> original order.
      expect(new Set(mine.map((e) => e.partition)).size).toBe(1);
      expect(mine.map((e) => e.value.itemId)).toEqual(sent.filter((v) => v.userId === u).map((v) => v.itemId));
      expect(mine.every((e) => e.key === u)).toBe(true);
    }
    expect(received.map((e) => e.value).sort((a, b) => `${a.userId}${a.itemId}`.localeCompare(`${b.userId}${b.itemId}`))).toEqual(
      [...sent].sort((a, b) => `${a.userId}${a.itemId}`.localeCompare(`${b.userId}${b.itemId}`)),
    );
    expect(received[0].headers).toMatchObject({ [REQUEST_ID_HEADER]: 'req-round-trip', 'x-source': 'round-trip' });
    expect(received.every((e) => e.attempt === 1 && e.topic === topic.name)).toBe(true);

    await runner.stop();
    await expectCommittedAtEnd(kafka, groupId, topic.name);
  });

  it('pauses and resumes fetching, including back-pressure from the in-flight limit', async () => {
    const { kafka, resources, producer } = fx;
    const groupId = resources.group('pause');
    const topic = await resources.topic(TOPICS.userEvents, { partitions: 1, dlqGroups: [groupId] });
    const seen: string[] = [];
    const pauses: string[] = [];
    const runner = createConsumerRunner({
      kafka,
      groupId,
      topics: [topic],
      fromBeginning: true,
      consumer: FAST_CONSUMER,
      maxInFlight: 4,
      logger: testLogger,
      metrics: {
        onPaused: ({ reason }) => void pauses.push(`pause:${reason}`),
        onResumed: ({ reason }) => void pauses.push(`resume:${reason}`),
      },
      handler: async (event) => {
        seen.push(event.value.itemId);
      },
    });
    fx.runners.push(runner);
    await runner.start();

    // A 10-record batch exceeds maxInFlight 4: fetching pauses, then resumes once drained.
    await producer.send(topic, Array.from({ length: 10 }, (_, i) => samples.userEvent('u-1', `a-${i}`)));
    await waitFor(() => seen.length === 10, 15_000, () => `10 events (got ${seen.length})`);
    expect(pauses).toEqual(['pause:backpressure', 'resume:backpressure']);

    runner.pause();
    expect(runner.isPaused()).toBe(true);
    await producer.send(topic, [samples.userEvent('u-1', 'while-paused')]);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(seen).not.toContain('while-paused');

    runner.resume();
    await waitFor(() => seen.includes('while-paused'), 10_000, () => 'the record produced while paused');
    expect(seen.filter((s) => s === 'while-paused')).toHaveLength(1);
    expect(pauses.slice(2)).toEqual(['pause:user', 'resume:user']);
  });

  it('creates topics idempotently and refuses to start a runner without its DLQ topic', async () => {
    const { kafka, resources } = fx;
    const groupId = resources.group('setup');
    const topic = await resources.topic(TOPICS.newsRaw, { partitions: 2, dlqGroups: [groupId] });
    const again = await ensureTopics(kafka, [topic], { dlqGroups: [groupId] });
    expect(again).toEqual({ created: [], existing: [topic.name, `dlq.${groupId}`] });

    const runner = createConsumerRunner({
      kafka,
      groupId: resources.group('no-dlq'),
      topics: [topic],
      consumer: FAST_CONSUMER,
      handler: async () => undefined,
    });
    await expect(runner.start()).rejects.toThrow(/missing topic\(s\) dlq\.test\.no-dlq.*ensureTopics/);
  });

  it('a record at the size limit is accepted by the broker uncompressed', async () => {
    const { kafka, resources } = fx;
    // The changelog snapshot's data is the one field the schema leaves unbounded.
    const topic = await resources.topic(TOPICS.sentimentWindowState, { partitions: 1 });
    const plain = createEventProducer(kafka, { compression: CompressionTypes.None });
    try {
      const value = { ...samples.stageSnapshot(), data: '' };
      const overhead = buildMessages(topic, [{ ...value, data: 'x' }]).sizes[0] - 1;
      const atLimit = { ...value, data: 'x'.repeat(DEFAULT_MAX_MESSAGE_BYTES - overhead) };
      expect(buildMessages(topic, [atLimit]).sizes[0]).toBe(DEFAULT_MAX_MESSAGE_BYTES);
      const [meta] = await plain.send(topic, [atLimit]);
      expect(meta.errorCode).toBe(0);
      await expect(plain.send(topic, [{ ...atLimit, data: `${atLimit.data}x` }])).rejects.toThrow(/over the 1048576-byte limit/);
    } finally {
      await plain.disconnect();
    }
  });
});
