import { createConsumerRunner, dlqRecordSchema, TOPICS, TransientProcessingError } from '../src';
import { samples } from './support/samples';
import { expectCommittedAtEnd, FAST_CONSUMER, readRaw, testLogger, useBrokerFixture, waitFor } from './support/kafka';

jest.setTimeout(60_000);

describe('retries with backoff (real broker)', () => {
  const fx = useBrokerFixture('retry');

  it('retries a retriable failure until it succeeds, and dead-letters one that never does', async () => {
    const { kafka, resources, producer } = fx;
    const groupId = resources.group('retry');
    const topic = await resources.topic(TOPICS.userEvents, { partitions: 1, dlqGroups: [groupId] });
    await producer.send(topic, [samples.userEvent('u-1', 'ok'), samples.userEvent('u-2', 'flaky'), samples.userEvent('u-3', 'down')]);

    const attempts: Array<{ item: string; attempt: number; at: number }> = [];
    const done: string[] = [];
    const dead: string[] = [];
    const runner = createConsumerRunner({
      kafka,
      groupId,
      topics: [topic],
      fromBeginning: true,
      consumer: FAST_CONSUMER,
      logger: testLogger,
      retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1_000, jitter: 0 },
      metrics: { onDeadLettered: (i) => void dead.push(`${i.offset}:${i.code}:${i.attempts}`) },
      handler: async (event) => {
        const item = event.value.itemId;
        attempts.push({ item, attempt: event.attempt, at: Date.now() });
        if (item === 'flaky' && event.attempt < 3) throw new TransientProcessingError('inference service busy');
        if (item === 'down') throw new TransientProcessingError('inference service down');
        done.push(item);
      },
    });
    fx.runners.push(runner);
    await runner.start();
    await waitFor(() => done.length === 2 && dead.length === 1, 20_000, () => `2 done + 1 dead (got ${done.join()} / ${dead.join()})`);
    await runner.stop();

    expect(done.sort()).toEqual(['flaky', 'ok']);
    const flaky = attempts.filter((a) => a.item === 'flaky');
    expect(flaky.map((a) => a.attempt)).toEqual([1, 2, 3]);
    // Exponential backoff: ~100 ms then ~200 ms between attempts.
    expect(flaky[1].at - flaky[0].at).toBeGreaterThanOrEqual(90);
    expect(flaky[2].at - flaky[1].at).toBeGreaterThanOrEqual(190);
    expect(attempts.filter((a) => a.item === 'ok').map((a) => a.attempt)).toEqual([1]);
    expect(dead).toEqual(['2:TRANSIENT_PROCESSING:3']);

    const [letter] = await readRaw(kafka, `dlq.${groupId}`, 1);
    const record = dlqRecordSchema.parse(JSON.parse(String(letter.value)));
    expect(record).toMatchObject({ originalOffset: '2', attempts: 3, error: { code: 'TRANSIENT_PROCESSING', message: 'inference service down' } });
    await expectCommittedAtEnd(kafka, groupId, topic.name);
  });
});
