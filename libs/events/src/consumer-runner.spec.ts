import { EventEmitter } from 'node:events';
import type { Kafka } from 'kafkajs';
import { createConsumerRunner } from './consumer-runner';
import type { ConsumedEvent } from './consumer-types';
import { createKafka } from './kafka-client';
import { TOPICS } from './topics';

// Option checks, typing and health (with a fake consumer); consuming itself is covered against the real broker in test/.

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
    // @ts-expect-error only 'dead-letter' and 'skip' exist
    expect(() => createConsumerRunner({ ...base, undecodable: 'drop' })).toThrow(/undecodable: expected "dead-letter" or "skip"/);
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

// A KafkaJS client whose consumer only records calls and lets the test emit instrumentation events.
function fakeKafka(onRun: (emit: (event: string, payload: object) => void) => void = () => undefined) {
  const emitter = new EventEmitter();
  const emit = (event: string, payload: object): void => void emitter.emit(event, { id: 0, type: event, timestamp: Date.now(), payload });
  const calls: string[] = [];
  const consumer = {
    events: EVENTS,
    on: (event: string, listener: (e: unknown) => void) => {
      emitter.on(event, listener);
      return () => emitter.off(event, listener);
    },
    connect: async () => void calls.push('connect'),
    subscribe: async () => void calls.push('subscribe'),
    run: async () => {
      calls.push('run');
      onRun(emit);
    },
    pause: () => void calls.push('pause'),
    resume: () => void calls.push('resume'),
    disconnect: async () => void calls.push('disconnect'),
  };
  const producer = { connect: async () => undefined, disconnect: async () => undefined, send: async () => [] };
  const client = { consumer: () => consumer, producer: () => producer } as unknown as Kafka;
  return { client, emit, calls };
}

const EVENTS = kafka.consumer({ groupId: 'event-names' }).events;

describe('consumer runner health', () => {
  const crash = (restart: boolean, error = new Error('boom')) => ({ error, groupId: 'unit-group', restart });

  it('turns unhealthy and failed when KafkaJS gives up on a crashed consumer', async () => {
    const { client, emit, calls } = fakeKafka();
    const crashes: Array<[string, boolean]> = [];
    const runner = createConsumerRunner({ ...base, kafka: client, verifyTopics: false, onCrash: (e, restart) => void crashes.push([e.message, restart]) });
    expect(runner.isHealthy()).toBe(false);
    await runner.start();
    expect([runner.state, runner.isHealthy()]).toEqual(['running', true]);

    const error = new Error('coordinator gone');
    emit(EVENTS.CRASH, crash(false, error));
    expect([runner.state, runner.isHealthy(), runner.error]).toEqual(['failed', false, error]);
    expect(crashes).toEqual([['coordinator gone', false]]);

    await runner.stop();
    expect([runner.state, runner.isHealthy(), runner.error]).toEqual(['stopped', false, error]);
    expect(calls.at(-1)).toBe('disconnect');
  });

  it('is unhealthy while KafkaJS restarts the consumer and healthy again once it rejoins, keeping a user pause', async () => {
    const { client, emit, calls } = fakeKafka();
    const runner = createConsumerRunner({ ...base, kafka: client, verifyTopics: false });
    await runner.start();
    runner.pause();
    expect(calls.filter((c) => c === 'pause')).toHaveLength(1);

    emit(EVENTS.CRASH, crash(true));
    expect([runner.state, runner.isHealthy(), runner.error]).toEqual(['restarting', false, undefined]);
    emit(EVENTS.GROUP_JOIN, { groupId: 'unit-group', memberId: 'm', leaderId: 'm', isLeader: true, memberAssignment: {}, groupProtocol: 'RoundRobin', duration: 1 });
    expect([runner.state, runner.isHealthy()]).toEqual(['running', true]);
    // KafkaJS's restarted consumer group forgot the pause; the runner applies it again.
    expect(calls.filter((c) => c === 'pause')).toHaveLength(2);
    await runner.stop();
  });

  it('start() rejects with the crash when KafkaJS gives up while starting', async () => {
    const error = new Error('no coordinator');
    const { client } = fakeKafka((emit) => emit(EVENTS.CRASH, crash(false, error)));
    const runner = createConsumerRunner({ ...base, kafka: client, verifyTopics: false });
    await expect(runner.start()).rejects.toBe(error);
    expect([runner.isHealthy(), runner.error]).toEqual([false, error]);
  });
});
