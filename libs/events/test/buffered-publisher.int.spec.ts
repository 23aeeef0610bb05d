import { Kafka, logLevel } from 'kafkajs';
import { createBufferedPublisher, createEventProducer, decodeValue, TOPICS, type BufferDropReason } from '../src';
import { samples } from './support/samples';
import { readRaw, testLogger, useBrokerFixture } from './support/kafka';

jest.setTimeout(60_000);

describe('buffered publisher (real broker)', () => {
  const fx = useBrokerFixture('buffered-publisher', { logger: testLogger });

  it('delivers buffered turns, feedback and handoffs, a session\'s records in order', async () => {
    const conversations = await fx.resources.topic(TOPICS.supportConversations, { partitions: 3 });
    const handoffs = await fx.resources.topic(TOPICS.supportHandoff, { partitions: 1 });
    const publisher = createBufferedPublisher({ producer: fx.producer, maxBatch: 5, flushIntervalMs: 10, logger: testLogger });
    const sessions = ['s-1', 's-2', 's-3'];
    for (let turn = 0; turn < 4; turn++) {
      for (const sessionId of sessions) {
        expect(publisher.enqueue(conversations, { ...samples.supportTurnFull(), sessionId, turn, requestId: `${sessionId}-${turn}` })).toBe(true);
      }
    }
    expect(publisher.enqueue(conversations, { ...samples.supportFeedback(), sessionId: 's-1', requestId: 's-1-3' })).toBe(true);
    expect(publisher.enqueue(handoffs, { ...samples.supportHandoff(), sessionId: 's-2' })).toBe(true);

    expect(await publisher.close(20_000)).toBe(0);
    expect(publisher.stats()).toMatchObject({ published: 14, dropped: 0, overflowed: 0 });

    const records = await readRaw(fx.kafka, conversations.name, 13);
    const values = records.map((r) => ({ key: r.key, value: decodeValue(conversations, r.value) }));
    for (const sessionId of sessions) {
      const mine = values.filter((v) => v.key === sessionId).map((v) => v.value);
      expect(mine.filter((v) => v.kind === 'turn').map((v) => (v.kind === 'turn' ? v.turn : -1))).toEqual([0, 1, 2, 3]);
    }
    const s1 = values.filter((v) => v.key === 's-1').map((v) => v.value.kind);
    expect(s1.at(-1)).toBe('feedback'); // after the turn it rates: same key, same partition
    const [handoff] = await readRaw(fx.kafka, handoffs.name, 1);
    expect(handoff?.key).toBe('s-2');
  });

  it('with an unreachable broker enqueue stays fast, overflow is counted and close returns in time', async () => {
    // Few KafkaJS retries, so its own connect attempts end soon after close (jest exits cleanly).
    const kafka = new Kafka({ clientId: 'buffered-dead', brokers: ['127.0.0.1:1'], retry: { retries: 1, initialRetryTime: 50 }, logLevel: logLevel.NOTHING });
    const producer = createEventProducer(kafka, { logger: testLogger });
    const counts = { overflow: 0, dropped: {} as Partial<Record<BufferDropReason, number>>, errors: 0 };
    const publisher = createBufferedPublisher({
      producer,
      capacity: 50,
      flushIntervalMs: 5,
      logger: testLogger,
      metrics: {
        onOverflow: (_t, n) => void (counts.overflow += n),
        onPublishError: () => void counts.errors++,
        onDropped: (_t, n, reason) => void (counts.dropped[reason] = (counts.dropped[reason] ?? 0) + n),
      },
    });
    const started = process.hrtime.bigint();
    const accepted = Array.from({ length: 200 }, (_, turn) => publisher.enqueue(TOPICS.supportConversations, { ...samples.supportTurnFull(), turn }));
    const enqueueMs = Number(process.hrtime.bigint() - started) / 1e6;
    expect(accepted.filter(Boolean)).toHaveLength(50);
    expect(counts.overflow).toBe(150);
    expect(enqueueMs).toBeLessThan(500); // 200 validations, no network

    // The reply path stays fast while the loop keeps failing in the background.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const again = process.hrtime.bigint();
    expect(publisher.enqueue(TOPICS.supportConversations, samples.supportTurnFull())).toBe(false);
    expect(Number(process.hrtime.bigint() - again) / 1e6).toBeLessThan(50);

    const closing = Date.now();
    expect(await publisher.close(1_000)).toBe(50);
    expect(Date.now() - closing).toBeLessThan(3_000);
    expect(counts.dropped).toEqual({ unsent_at_close: 50 });
    await producer.disconnect().catch(() => undefined);
  });
});
