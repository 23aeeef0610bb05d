import type { RecordMetadata } from 'kafkajs';
import { z } from 'zod';
import { createBufferedPublisher, type BufferedPublisherOptions, type BufferDropReason } from './buffered-publisher';
import { MessageTooLargeError, SchemaValidationError, TransientProcessingError } from './errors';
import type { EventProducer } from './producer';
import { defineTopic, type AnyTopicDefinition } from './topic-definition';

const topic = defineTopic({
  name: 'test.buffered',
  schema: z.object({ key: z.string().min(1), n: z.number().int() }),
  partitions: 3,
  description: 'test',
  key: (v) => v.key,
});
const other = defineTopic({ name: 'test.other', schema: z.object({ id: z.string() }), partitions: 1, description: 'test', key: (v) => v.id });

/** Records what was sent; fails while `failing` returns an error for the call. */
class FakeProducer implements EventProducer {
  readonly sent: Array<{ topic: string; values: unknown[] }> = [];
  calls = 0;
  failing: (call: number) => unknown = () => undefined;
  hang = false;

  connect(): Promise<void> {
    return Promise.resolve();
  }
  disconnect(): Promise<void> {
    return Promise.resolve();
  }
  async send(t: AnyTopicDefinition, values: readonly unknown[]): Promise<RecordMetadata[]> {
    const call = ++this.calls;
    if (this.hang) return new Promise(() => undefined);
    await Promise.resolve();
    const err = this.failing(call);
    if (err) throw err;
    this.sent.push({ topic: t.name, values: [...values] });
    return [];
  }

  values(name: string = topic.name): unknown[] {
    return this.sent.filter((s) => s.topic === name).flatMap((s) => s.values);
  }
}

function counting() {
  const counts = { overflow: 0, published: 0, errors: 0, dropped: {} as Partial<Record<BufferDropReason, number>> };
  const metrics: BufferedPublisherOptions['metrics'] = {
    onOverflow: (_t, n) => void (counts.overflow += n),
    onPublished: (_t, n) => void (counts.published += n),
    onPublishError: (_t, n) => void (counts.errors += n),
    onDropped: (_t, n, reason) => void (counts.dropped[reason] = (counts.dropped[reason] ?? 0) + n),
  };
  return { counts, metrics };
}

const fast = { flushIntervalMs: 1, retry: { baseDelayMs: 5, maxDelayMs: 20, jitter: 0 } };
const publishers: Array<{ close(ms?: number): Promise<number> }> = [];
function make(options: Omit<BufferedPublisherOptions, 'producer'> & { producer: EventProducer }) {
  const p = createBufferedPublisher({ ...fast, ...options });
  publishers.push(p);
  return p;
}
afterEach(async () => {
  await Promise.all(publishers.splice(0).map((p) => p.close(50)));
});

describe('createBufferedPublisher', () => {
  it('sends enqueued records in order, batched, without the caller waiting', async () => {
    const producer = new FakeProducer();
    const p = make({ producer, maxBatch: 4 });
    for (let n = 0; n < 10; n++) expect(p.enqueue(topic, { key: `k${n % 2}`, n })).toBe(true);
    expect(producer.calls).toBe(0); // enqueue is synchronous: nothing sent yet
    expect(await p.flush(1_000)).toBe(0);
    expect(producer.values().map((v) => (v as { n: number }).n)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(producer.sent.every((s) => s.values.length <= 4)).toBe(true);
    expect(p.stats()).toMatchObject({ depth: 0, accepted: 10, published: 10, overflowed: 0, dropped: 0 });
  });

  it('refuses the newest record when full, counts it, and keeps the ones accepted', async () => {
    const producer = new FakeProducer();
    producer.hang = true;
    const { counts, metrics } = counting();
    const p = make({ producer, capacity: 3, metrics });
    const accepted = [0, 1, 2, 3, 4].map((n) => p.enqueue(topic, { key: 'k', n }));
    expect(accepted).toEqual([true, true, true, false, false]);
    expect(counts.overflow).toBe(2);
    expect(p.depth()).toBe(3);
    expect(p.stats().overflowed).toBe(2);
  });

  it('bounds bytes as well as records', () => {
    const producer = new FakeProducer();
    producer.hang = true;
    const p = make({ producer, maxBytes: 250 });
    expect(p.enqueue(topic, { key: 'k', n: 1 })).toBe(true);
    expect(p.enqueue(topic, { key: 'k', n: 2 })).toBe(true);
    expect(p.enqueue(topic, { key: 'k', n: 3 })).toBe(false);
  });

  it('throws on an invalid or oversized value (the caller\'s bug) and counts nothing', () => {
    const producer = new FakeProducer();
    const p = make({ producer, maxMessageBytes: 200 });
    expect(() => p.enqueue(topic, { key: '', n: 1 })).toThrow(SchemaValidationError);
    expect(() => p.enqueue(topic, { key: 'x'.repeat(300), n: 1 })).toThrow(MessageTooLargeError);
    expect(p.stats()).toMatchObject({ depth: 0, accepted: 0, overflowed: 0 });
  });

  it('keeps a failed batch at the head and retries it, so per-key order survives', async () => {
    const producer = new FakeProducer();
    producer.failing = (call) => (call <= 2 ? new TransientProcessingError('broker away') : undefined);
    const { counts, metrics } = counting();
    const p = make({ producer, maxBatch: 2, metrics });
    for (let n = 0; n < 5; n++) p.enqueue(topic, { key: 'same', n });
    expect(await p.flush(2_000)).toBe(0);
    expect(producer.values().map((v) => (v as { n: number }).n)).toEqual([0, 1, 2, 3, 4]);
    expect(counts.errors).toBe(4); // two failed sends of a 2-record batch
    expect(counts.published).toBe(5);
    expect(p.stats().failedSends).toBe(2);
  });

  it('drops a batch that failed for good, counted, and goes on with the rest', async () => {
    const producer = new FakeProducer();
    producer.failing = (call) => (call === 1 ? Object.assign(new Error('topic authorization failed'), { retriable: false }) : undefined);
    const { counts, metrics } = counting();
    const p = make({ producer, maxBatch: 2, metrics, flushIntervalMs: 20 });
    for (let n = 0; n < 3; n++) p.enqueue(topic, { key: 'k', n });
    expect(await p.flush(1_000)).toBe(0);
    expect(counts.dropped).toEqual({ non_retriable: 2 });
    expect(producer.values()).toEqual([{ key: 'k', n: 2 }]);
  });

  it('sends topics by age of their oldest record', async () => {
    const producer = new FakeProducer();
    const p = make({ producer, flushIntervalMs: 20 });
    p.enqueue(other, { id: 'a' });
    p.enqueue(topic, { key: 'k', n: 1 });
    p.enqueue(other, { id: 'b' });
    await p.flush(1_000);
    expect(producer.sent.map((s) => s.topic)).toEqual(['test.other', 'test.buffered']);
    expect(producer.values('test.other')).toEqual([{ id: 'a' }, { id: 'b' }]);
  });

  it('sends the parsed copy: mutating the value after enqueue changes nothing', async () => {
    const producer = new FakeProducer();
    const p = make({ producer, flushIntervalMs: 20 });
    const value = { key: 'k', n: 1 };
    p.enqueue(topic, value);
    value.n = 99;
    await p.flush(1_000);
    expect(producer.values()).toEqual([{ key: 'k', n: 1 }]);
  });

  it('close with a dead producer returns within its timeout and counts what was left', async () => {
    const producer = new FakeProducer();
    producer.hang = true;
    const { counts, metrics } = counting();
    const p = make({ producer, metrics });
    for (let n = 0; n < 4; n++) p.enqueue(topic, { key: 'k', n });
    const started = Date.now();
    expect(await p.close(200)).toBe(4);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(counts.dropped).toEqual({ unsent_at_close: 4 });
    expect(p.depth()).toBe(0);
    // After close: refused and counted, never silent.
    expect(p.enqueue(topic, { key: 'k', n: 5 })).toBe(false);
    expect(counts.dropped).toEqual({ unsent_at_close: 4, closed: 1 });
    expect(await p.close(200)).toBe(4); // idempotent
  });

  it('close with a retrying producer gives up at the deadline', async () => {
    const producer = new FakeProducer();
    producer.failing = () => new TransientProcessingError('down');
    const p = make({ producer, retry: { baseDelayMs: 10, maxDelayMs: 10, jitter: 0 } });
    p.enqueue(topic, { key: 'k', n: 1 });
    const started = Date.now();
    expect(await p.close(150)).toBe(1);
    expect(Date.now() - started).toBeLessThan(1_000);
    const calls = producer.calls;
    await new Promise((r) => setTimeout(r, 50));
    expect(producer.calls).toBe(calls); // the loop stopped
  });

  it('close with a healthy producer sends everything first', async () => {
    const producer = new FakeProducer();
    const p = make({ producer, flushIntervalMs: 10_000 });
    p.enqueue(topic, { key: 'k', n: 1 });
    expect(await p.close(1_000)).toBe(0);
    expect(producer.values()).toEqual([{ key: 'k', n: 1 }]);
  });

  it('survives a throwing metrics hook', async () => {
    const producer = new FakeProducer();
    const p = make({ producer, metrics: { onPublished: () => { throw new Error('bad hook'); } } });
    p.enqueue(topic, { key: 'k', n: 1 });
    p.enqueue(topic, { key: 'k', n: 2 });
    expect(await p.flush(1_000)).toBe(0);
    p.enqueue(topic, { key: 'k', n: 3 });
    expect(await p.flush(1_000)).toBe(0);
    expect(producer.values()).toHaveLength(3);
  });

  it('a topic whose sends keep failing does not hold up the other topics (per-topic backoff)', async () => {
    const producer = new FakeProducer();
    let otherDown = true;
    producer.sent.length = 0;
    const failing = (t: AnyTopicDefinition) => otherDown && t.name === other.name;
    const send = producer.send.bind(producer);
    const attempts: string[] = [];
    producer.send = async (t, values) => {
      attempts.push(t.name);
      if (failing(t)) {
        producer.calls++;
        await Promise.resolve();
        throw new TransientProcessingError('partition leader unavailable');
      }
      return send(t, values);
    };
    // Long backoff: were the failing lane retried first, the healthy one would wait for it.
    const p = make({ producer, retry: { baseDelayMs: 2_000, maxDelayMs: 2_000, jitter: 0 } });
    p.enqueue(other, { id: 'a' }); // oldest record, on the failing topic
    for (let n = 0; n < 3; n++) p.enqueue(topic, { key: 'k', n });
    const started = Date.now();
    while (producer.values().length < 3 && Date.now() - started < 2_000) await new Promise((r) => setTimeout(r, 5));
    expect(producer.values().map((v) => (v as { n: number }).n)).toEqual([0, 1, 2]);
    expect(Date.now() - started).toBeLessThan(1_000); // not behind the failing lane's 2 s backoff
    expect(p.depth()).toBe(1); // the failing topic's record is kept for its retry
    // The healthy topic keeps flowing while the other is still backing off.
    const again = Date.now();
    p.enqueue(topic, { key: 'k', n: 3 });
    while (producer.values().length < 4 && Date.now() - again < 3_000) await new Promise((r) => setTimeout(r, 5));
    expect(producer.values()).toHaveLength(4);
    expect(Date.now() - again).toBeLessThan(1_000);
    expect(attempts.filter((t) => t === other.name)).toHaveLength(1); // still in its first backoff
    // Once the broker is back, the kept record goes out too.
    otherDown = false;
    expect(await p.flush(5_000)).toBe(0);
    expect(producer.values(other.name)).toEqual([{ id: 'a' }]);
  });

  it('keeps running when the logger throws inside the loop, counting and reporting it', async () => {
    const producer = new FakeProducer();
    producer.failing = (call) => (call === 1 ? new TransientProcessingError('broker away') : undefined);
    const errors: string[] = [];
    const logger = {
      debug: () => undefined,
      info: () => undefined,
      warn: () => {
        throw new Error('log transport closed');
      },
      error: (_o: object, msg?: string) => void errors.push(msg ?? ''),
    };
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => void rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      const p = make({ producer, logger });
      p.enqueue(topic, { key: 'k', n: 1 });
      expect(await p.flush(2_000)).toBe(0); // the loop survived the throwing warn and retried
      p.enqueue(topic, { key: 'k', n: 2 });
      expect(await p.flush(2_000)).toBe(0);
      expect(producer.values()).toEqual([{ key: 'k', n: 1 }, { key: 'k', n: 2 }]);
      expect(p.stats().loopErrors).toBe(1);
      expect(errors.join('\n')).toMatch(/send loop iteration failed/);
      await new Promise((r) => setImmediate(r));
      expect(rejections).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });

  it('keeps running when even the error log throws', async () => {
    const producer = new FakeProducer();
    producer.failing = (call) => (call === 1 ? new TransientProcessingError('broker away') : undefined);
    const boom = () => {
      throw new Error('logger broken');
    };
    const p = make({ producer, logger: { debug: boom, info: boom, warn: boom, error: boom } });
    p.enqueue(topic, { key: 'k', n: 1 });
    expect(await p.flush(2_000)).toBe(0);
    expect(p.stats().loopErrors).toBe(1);
  });

  it.each([
    ['capacity', { capacity: 0 }],
    ['maxBatch', { maxBatch: 1.5 }],
    ['maxBytes', { maxBytes: -1 }],
    ['flushIntervalMs', { flushIntervalMs: -1 }],
    ['retry.maxDelayMs', { retry: { baseDelayMs: 100, maxDelayMs: 10 } }],
  ])('refuses a bad %s, naming it', (name, bad) => {
    expect(() => createBufferedPublisher({ producer: new FakeProducer(), ...bad })).toThrow(new RegExp(name.replace('.', '\\.')));
  });
});
