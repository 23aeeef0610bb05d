import { createConsumerRunner } from './consumer-runner';
import type { ConsumedEvent } from './consumer-types';
import { createKafka } from './kafka-client';
import { TOPICS } from './topics';

// Option checks and typing; the running behaviour is covered against the real broker in test/.

const kafka = createKafka({ clientId: 'unit', brokers: '127.0.0.1:1' });
const base = { kafka, groupId: 'unit-group', topics: [TOPICS.userEvents], handler: async () => undefined };

describe('createConsumerRunner options', () => {
  it('names the bad option', () => {
    expect(() => createConsumerRunner({ ...base, concurrency: 0 })).toThrow(/concurrency/);
    expect(() => createConsumerRunner({ ...base, maxInFlight: -1 })).toThrow(/maxInFlight/);
    expect(() => createConsumerRunner({ ...base, maxDlqMessageBytes: 1_000 })).toThrow(/maxDlqMessageBytes: expected at least/);
    expect(() => createConsumerRunner({ ...base, retry: { maxAttempts: 0 } })).toThrow(/retry\.maxAttempts/);
    expect(() => createConsumerRunner({ ...base, groupId: 'a/b' })).toThrow(/groupId/);
    expect(() => createConsumerRunner({ ...base, topics: [] })).toThrow(/topics/);
    // @ts-expect-error only 'key' and 'partition' exist
    expect(() => createConsumerRunner({ ...base, ordering: 'offset' })).toThrow(/ordering/);
  });

  it('derives the DLQ topic from the group id', () => {
    expect(createConsumerRunner(base).dlqTopic).toBe('dlq.unit-group');
  });

  it('stop() before start() is a no-op and start() after stop() is refused', async () => {
    const runner = createConsumerRunner(base);
    await expect(runner.stop()).resolves.toBeUndefined();
    await expect(runner.start()).rejects.toThrow(/stopped/);
  });

  it('pause/resume before start only record the wish', () => {
    const runner = createConsumerRunner(base);
    runner.pause();
    expect(runner.isPaused()).toBe(true);
    runner.resume();
    expect(runner.isPaused()).toBe(false);
  });

  it('types a multi-topic handler as a union narrowed by topic', () => {
    const seen: string[] = [];
    const handle = (event: ConsumedEvent<typeof TOPICS.userEvents | typeof TOPICS.modelPublished>): void => {
      if (event.topic === 'user.events') seen.push(event.value.userId);
      else seen.push(event.value.sha256);
      // @ts-expect-error without narrowing, userId is not on every member
      void event.value.userId;
    };
    const meta = { partition: 0, offset: '0', key: null, headers: {}, timestamp: '0', attempt: 1, signal: new AbortController().signal };
    handle({ ...meta, topic: 'user.events', value: { userId: 'u', itemId: 'i', type: 'view', ts: '2026-11-28T10:00:00Z' } });
    expect(seen).toEqual(['u']);
    expect(() => createConsumerRunner({ ...base, topics: [TOPICS.userEvents, TOPICS.modelPublished], handler: async (e) => handle(e) })).not.toThrow();
  });
});
