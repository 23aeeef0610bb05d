import { createConsumerRunner, TOPICS } from '../src';
import { samples } from './support/samples';
import { committedOffsets, expectCommittedAtEnd, FAST_CONSUMER, testLogger, useBrokerFixture, waitFor } from './support/kafka';

jest.setTimeout(60_000);

describe('graceful stop (real broker)', () => {
  const fx = useBrokerFixture('graceful-stop');

  it('stop() mid-batch finishes in-flight work and commits it; the next consumer resumes exactly there', async () => {
    const { kafka, resources, producer } = fx;
    const groupId = resources.group('stop');
    const topic = await resources.topic(TOPICS.userEvents, { partitions: 1, dlqGroups: [groupId] });
    const ids = Array.from({ length: 40 }, (_, i) => `i-${String(i).padStart(2, '0')}`);
    await producer.send(topic, ids.map((id) => samples.userEvent('u-1', id)));

    const make = (sink: string[]) =>
      createConsumerRunner({
        kafka,
        groupId,
        topics: [topic],
        fromBeginning: true,
        ordering: 'partition',
        consumer: FAST_CONSUMER,
        logger: testLogger,
        // No periodic commits: whatever is committed below was committed by stop().
        commitEveryRecords: 1_000_000,
        commitIntervalMs: 3_600_000,
        handler: async (event) => {
          await new Promise((resolve) => setTimeout(resolve, 20));
          sink.push(event.value.itemId);
        },
      });

    const first: string[] = [];
    const a = make(first);
    fx.runners.push(a);
    await a.start();
    await waitFor(() => first.length >= 10, 15_000, () => `10 processed (got ${first.length})`);
    await a.stop();

    expect(first.length).toBeGreaterThanOrEqual(10);
    expect(first.length).toBeLessThan(ids.length);
    expect(first).toEqual(ids.slice(0, first.length));
    expect(await committedOffsets(kafka, groupId, topic.name)).toEqual({ 0: String(first.length) });

    const second: string[] = [];
    const b = make(second);
    fx.runners.push(b);
    await b.start();
    await waitFor(() => first.length + second.length >= ids.length, 20_000, () => `the rest (got ${second.length})`);
    await b.stop();

    // Nothing old again, nothing lost.
    expect(second).toEqual(ids.slice(first.length));
    await expectCommittedAtEnd(kafka, groupId, topic.name);
  });
});
