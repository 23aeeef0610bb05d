import type { Message, Offsets } from 'kafkajs';
import { samples } from '../test/support/samples';
import { resolveRetryPolicy } from './backoff';
import { processBatch, type BatchContext, type BatchPayload, type BatchRecord } from './batch-processor';
import type { RawConsumedEvent } from './consumer-types';
import { DeadLetterPublishError, isRetriable, PermanentProcessingError, TransientProcessingError } from './errors';
import { silentLogger } from './logger';
import { dlqRecordSchema } from './schemas';
import { Semaphore } from './semaphore';
import { TOPICS } from './topics';

// Unit tests of the batch logic with a fake KafkaJS payload; the real broker is exercised in test/*.int.spec.ts.

const TOPIC = TOPICS.userEvents;
const BASE_OFFSET = 100;

/** A record whose value is null (a tombstone). */
const TOMBSTONE = Symbol('tombstone');
type Input = { key: string | null; value: unknown };

function fakePayload(inputs: Input[]) {
  const messages: BatchRecord[] = inputs.map((input, i) => ({
    offset: String(BASE_OFFSET + i),
    key: input.key === null ? null : Buffer.from(input.key),
    value: input.value === TOMBSTONE ? null : Buffer.isBuffer(input.value) ? input.value : Buffer.from(JSON.stringify(input.value)),
    timestamp: '1764324000000',
    headers: { 'x-request-id': `req-${i}` },
  }));
  const state = { resolved: [] as string[], commits: [] as Offsets[], committed: undefined as string | undefined, running: true };
  let next: string | undefined;
  const payload: BatchPayload = {
    batch: { topic: TOPIC.name, partition: 0, highWatermark: String(BASE_OFFSET + inputs.length), messages },
    resolveOffset: (offset) => {
      state.resolved.push(offset);
      next = String(Number(offset) + 1);
    },
    heartbeat: async () => undefined,
    commitOffsetsIfNecessary: async (offsets) => {
      if (offsets) state.commits.push(offsets);
      state.committed = offsets?.topics[0]?.partitions[0]?.offset;
    },
    uncommittedOffsets: () =>
      next !== undefined && next !== state.committed
        ? { topics: [{ topic: TOPIC.name, partitions: [{ partition: 0, offset: next }] }] }
        : { topics: [] },
    isRunning: () => state.running,
    isStale: () => false,
  };
  return { payload, state };
}

function fakeContext(handler: (event: RawConsumedEvent) => Promise<void>, overrides: Partial<BatchContext> = {}) {
  const dlq: Message[] = [];
  const events = {
    processed: [] as string[],
    failed: [] as Array<{ offset: string; willRetry: boolean }>,
    deadLettered: [] as string[],
    skipped: [] as Array<{ offset: string; code: string }>,
  };
  let inFlight = 0;
  const ctx: BatchContext = {
    groupId: 'g',
    dlqTopic: 'dlq.g',
    topics: new Map([[TOPIC.name, TOPIC]]),
    handler,
    retry: resolveRetryPolicy({ maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5, jitter: 0 }),
    isRetriable,
    ordering: 'key',
    undecodable: 'dead-letter',
    semaphore: new Semaphore(8),
    commitEveryRecords: 100,
    commitIntervalMs: 60_000,
    heartbeatIntervalMs: 1_000,
    maxDlqMessageBytes: 1_048_576,
    logger: silentLogger,
    metrics: {
      onProcessed: (i) => void events.processed.push(i.offset),
      onFailed: (i) => void events.failed.push({ offset: i.offset, willRetry: i.willRetry }),
      onDeadLettered: (i) => void events.deadLettered.push(i.offset),
      onSkipped: (i) => void events.skipped.push({ offset: i.offset, code: i.code }),
      onLag: () => undefined,
      onPaused: () => undefined,
      onResumed: () => undefined,
    },
    publishDeadLetter: async (message) => void dlq.push(message),
    haltReason: () => undefined,
    haltSignal: () => new AbortController().signal,
    abandonSignal: new AbortController().signal,
    trackInFlight: (delta) => {
      inFlight += delta;
    },
    ...overrides,
  };
  return { ctx, dlq, events, inFlight: () => inFlight };
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const userEvent = (userId: string, itemId: string): Input => ({ key: userId, value: samples.userEvent(userId, itemId) });
const itemOf = (e: RawConsumedEvent) => (e.value as { itemId: string }).itemId;

describe('processBatch ordering and concurrency', () => {
  it('keeps per-key order while running different keys concurrently', async () => {
    const log: string[] = [];
    let running = 0;
    let maxRunning = 0;
    const { ctx } = fakeContext(async (e) => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      log.push(`start ${e.key}:${itemOf(e)}`);
      await delay(e.key === 'a' ? 15 : 5);
      log.push(`end ${e.key}:${itemOf(e)}`);
      running--;
    });
    const { payload, state } = fakePayload([userEvent('a', '1'), userEvent('b', '1'), userEvent('a', '2'), userEvent('b', '2'), userEvent('a', '3')]);
    await processBatch(payload, ctx);

    const order = (key: string) => log.filter((l) => l.startsWith('start') && l.includes(` ${key}:`));
    expect(order('a')).toEqual(['start a:1', 'start a:2', 'start a:3']);
    expect(order('b')).toEqual(['start b:1', 'start b:2']);
    for (const item of ['1', '2']) expect(log.indexOf(`end a:${item}`)).toBeLessThan(log.indexOf(`start a:${Number(item) + 1}`));
    expect(maxRunning).toBe(2);
    expect(state.resolved.at(-1)).toBe('104');
    expect(state.committed).toBe('105');
  });

  it("'partition' ordering runs one record at a time, in offset order", async () => {
    const seen: string[] = [];
    let running = 0;
    let maxRunning = 0;
    const { ctx } = fakeContext(
      async (e) => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        seen.push(e.offset);
        await delay(2);
        running--;
      },
      { ordering: 'partition' },
    );
    const { payload } = fakePayload([userEvent('a', '1'), userEvent('b', '1'), userEvent('c', '1')]);
    await processBatch(payload, ctx);
    expect(seen).toEqual(['100', '101', '102']);
    expect(maxRunning).toBe(1);
  });

  it('respects the runner-wide concurrency bound', async () => {
    let running = 0;
    let maxRunning = 0;
    const { ctx } = fakeContext(
      async () => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        await delay(5);
        running--;
      },
      { semaphore: new Semaphore(2) },
    );
    const { payload } = fakePayload(['a', 'b', 'c', 'd', 'e'].map((k) => userEvent(k, '1')));
    await processBatch(payload, ctx);
    expect(maxRunning).toBe(2);
  });

  it('commits only a contiguous done prefix while records finish out of order', async () => {
    const { ctx } = fakeContext(async (e) => delay(e.key === 'slow' ? 30 : 1), { commitEveryRecords: 1 });
    const { payload, state } = fakePayload([userEvent('slow', '1'), userEvent('fast', '1'), userEvent('fast', '2')]);
    await processBatch(payload, ctx);
    // Nothing could be resolved before offset 100 (slow) was done; then all at once.
    expect(state.resolved).toEqual(['102']);
    expect(state.commits.map((c) => c.topics[0].partitions[0].offset)).toEqual(['103']);
  });
});

describe('processBatch failures', () => {
  it('dead-letters undecodable and invalid records without calling the handler, and goes on', async () => {
    const handled: string[] = [];
    const { ctx, dlq, events } = fakeContext(async (e) => void handled.push(e.offset));
    const { payload, state } = fakePayload([
      userEvent('a', '1'),
      { key: 'bad', value: Buffer.from('{not json') },
      { key: 'bad', value: { userId: 'x' } },
      userEvent('a', '2'),
    ]);
    await processBatch(payload, ctx);
    expect(handled).toEqual(['100', '103']);
    expect(events.deadLettered).toEqual(['101', '102']);
    const records = dlq.map((m) => dlqRecordSchema.parse(JSON.parse(String(m.value))));
    expect(records.map((r) => r.error.code)).toEqual(['DECODE_ERROR', 'SCHEMA_VALIDATION']);
    expect(records[0].originalValue).toEqual({ encoding: 'utf8', data: '{not json' });
    expect(dlq[0].headers).toMatchObject({ 'x-request-id': 'req-1', 'x-dlq-reason': expect.stringMatching(/^DECODE_ERROR/) });
    expect(state.committed).toBe('104');
  });

  it('handles a record carrying a header with a null value (Kafka allows it) instead of halting the partition', async () => {
    const seen: Record<string, string>[] = [];
    const { ctx, dlq } = fakeContext(async (e) => void seen.push(e.headers));
    const { payload, state } = fakePayload([userEvent('a', '1'), userEvent('a', '2')]);
    // What KafkaJS decodes a value-less header to; IHeaders has no null, the wire does.
    (payload.batch.messages[0] as { headers: unknown }).headers = { 'x-request-id': 'req-0', trace: null, multi: [null, 'm'] };
    await processBatch(payload, ctx);
    expect(seen[0]).toEqual({ 'x-request-id': 'req-0', multi: 'm' });
    expect(seen).toHaveLength(2);
    expect(dlq).toHaveLength(0);
    expect(state.committed).toBe('102');
  });

  it("undecodable: 'skip' counts, commits and passes tombstones, bad UTF-8 and non-JSON; schema failures still dead-letter", async () => {
    const handled: string[] = [];
    const { ctx, dlq, events } = fakeContext(async (e) => void handled.push(e.offset), { undecodable: 'skip' });
    const { payload, state } = fakePayload([
      userEvent('a', '1'),
      { key: 'bad', value: TOMBSTONE },
      { key: 'bad', value: Buffer.from('{not json') },
      { key: 'bad', value: Buffer.from([0xc3, 0x28]) },
      { key: 'bad', value: { userId: 'x' } },
      userEvent('a', '2'),
    ]);
    await processBatch(payload, ctx);
    expect(handled).toEqual(['100', '105']);
    expect(events.skipped).toEqual(['101', '102', '103'].map((offset) => ({ offset, code: 'DECODE_ERROR' })));
    expect(events.deadLettered).toEqual(['104']);
    expect(dlq).toHaveLength(1);
    expect(state.committed).toBe('106');
  });

  it('retries retriable failures with backoff, then succeeds', async () => {
    const attempts: number[] = [];
    const { ctx, dlq, events } = fakeContext(async (e) => {
      attempts.push(e.attempt);
      if (e.attempt < 3) throw new TransientProcessingError('inference busy');
    });
    const { payload, state } = fakePayload([userEvent('a', '1')]);
    await processBatch(payload, ctx);
    expect(attempts).toEqual([1, 2, 3]);
    expect(events.failed).toEqual([
      { offset: '100', willRetry: true },
      { offset: '100', willRetry: true },
    ]);
    expect(events.processed).toEqual(['100']);
    expect(dlq).toHaveLength(0);
    expect(state.committed).toBe('101');
  });

  it('with unbounded attempts, keeps retrying a record past the default five until it succeeds (an outage, not a bad record)', async () => {
    const attempts: number[] = [];
    const { ctx, dlq, events } = fakeContext(async (e) => {
      attempts.push(e.attempt);
      if (e.attempt <= 20) throw new TransientProcessingError('store unavailable');
    }, { retry: resolveRetryPolicy({ maxAttempts: Number.MAX_SAFE_INTEGER, baseDelayMs: 0, maxDelayMs: 1, jitter: 0 }) });
    const { payload, state } = fakePayload([userEvent('a', '1')]);
    await processBatch(payload, ctx);
    expect(attempts).toHaveLength(21);
    expect(events.failed.every((f) => f.willRetry)).toBe(true);
    expect(events.processed).toEqual(['100']);
    expect(dlq).toHaveLength(0);
    expect(state.committed).toBe('101');
  });

  it('dead-letters after exhausting retries, and at once for non-retriable errors', async () => {
    const { ctx, dlq } = fakeContext(async (e) => {
      throw e.key === 'flaky' ? new TransientProcessingError('still down') : new PermanentProcessingError('unknown item');
    });
    const { payload, state } = fakePayload([userEvent('flaky', '1'), userEvent('broken', '1')]);
    await processBatch(payload, ctx);
    const records = dlq.map((m) => dlqRecordSchema.parse(JSON.parse(String(m.value))));
    records.sort((x, y) => Number(x.originalOffset) - Number(y.originalOffset));
    expect(records.map((r) => [r.originalOffset, r.error.code, r.attempts])).toEqual([
      ['100', 'TRANSIENT_PROCESSING', 3],
      ['101', 'PERMANENT_PROCESSING', 1],
    ]);
    expect(state.committed).toBe('102');
  });

  it('leaves a record uncommitted and fails the batch when the DLQ write fails', async () => {
    const { ctx } = fakeContext(
      async (e) => {
        if (e.offset === '101') throw new PermanentProcessingError('bad');
      },
      {
        publishDeadLetter: async () => {
          throw new Error('broker unreachable');
        },
        ordering: 'partition',
      },
    );
    const { payload, state } = fakePayload([userEvent('a', '1'), userEvent('a', '2'), userEvent('a', '3')]);
    await expect(processBatch(payload, ctx)).rejects.toThrow(DeadLetterPublishError);
    expect(state.resolved).toEqual(['100']);
    expect(state.committed).toBe('101');
  });
});

describe('processBatch halting', () => {
  it('on stop, finishes in-flight records, commits them and leaves the rest', async () => {
    let stopping = false;
    const handled: string[] = [];
    const { ctx, inFlight } = fakeContext(
      async (e) => {
        handled.push(e.offset);
        if (e.offset === '101') stopping = true;
        await delay(1);
      },
      { ordering: 'partition', haltReason: () => (stopping ? 'stopping' : undefined) },
    );
    const { payload, state } = fakePayload([userEvent('a', '1'), userEvent('a', '2'), userEvent('a', '3'), userEvent('a', '4')]);
    await processBatch(payload, ctx);
    expect(handled).toEqual(['100', '101']);
    expect(state.committed).toBe('102');
    expect(inFlight()).toBe(0);
  });

  it('abandons a record waiting in backoff when halted, without dead-lettering it', async () => {
    const halt = new AbortController();
    const { ctx, dlq } = fakeContext(
      async () => {
        setTimeout(() => halt.abort(), 5);
        throw new TransientProcessingError('down');
      },
      {
        retry: resolveRetryPolicy({ maxAttempts: 5, baseDelayMs: 10_000, maxDelayMs: 10_000, jitter: 0 }),
        haltSignal: () => halt.signal,
        haltReason: () => (halt.signal.aborted ? 'stopping' : undefined),
      },
    );
    const { payload, state } = fakePayload([userEvent('a', '1')]);
    const started = Date.now();
    await processBatch(payload, ctx);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(dlq).toHaveLength(0);
    expect(state.resolved).toEqual([]);
  });

  it('stops waiting for hung handlers when the stop times out, committing what was done', async () => {
    const abandon = new AbortController();
    let signalSeen: AbortSignal | undefined;
    const { ctx } = fakeContext(
      async (e) => {
        signalSeen = e.signal;
        if (e.offset === '101') {
          setTimeout(() => abandon.abort(), 5);
          await new Promise(() => undefined);
        }
      },
      { ordering: 'partition', abandonSignal: abandon.signal },
    );
    const { payload, state } = fakePayload([userEvent('a', '1'), userEvent('a', '2'), userEvent('a', '3')]);
    await processBatch(payload, ctx);
    expect(state.committed).toBe('101');
    expect(signalSeen?.aborted).toBe(true);
  });

  it('on a rebalance seen by the heartbeat, commits the done prefix and rethrows for KafkaJS to rejoin', async () => {
    const rebalance = Object.assign(new Error('The group is rebalancing'), { type: 'REBALANCE_IN_PROGRESS' });
    const { ctx } = fakeContext(async () => delay(15), { ordering: 'partition', heartbeatIntervalMs: 10 });
    const { payload, state } = fakePayload([userEvent('a', '1'), userEvent('a', '2'), userEvent('a', '3'), userEvent('a', '4')]);
    payload.heartbeat = async () => {
      throw rebalance;
    };
    await expect(processBatch(payload, ctx)).rejects.toBe(rebalance);
    expect(Number(state.committed)).toBeGreaterThan(100);
    expect(Number(state.committed)).toBeLessThan(104);
  });
});
