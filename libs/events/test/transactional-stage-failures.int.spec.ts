import { createTransactionalStage, dlqRecordSchema, dlqTopic, TransientProcessingError, type TransactionalStage } from '../src';
import { samples } from './support/samples';
import { committedOffsets, endOffsets, FAST_CONSUMER, testLogger, useBrokerFixture, waitFor } from './support/kafka';
import {
  counterState,
  countBy,
  countingProcess,
  createStageTopics,
  expectCountedOnce,
  faultyKafka,
  parseOutput,
  readValues,
  waitCommittedAtEnd,
  type CommitFault,
  type CounterState,
  type UserEventsTopic,
} from './support/stage';

jest.setTimeout(120_000);

// How a stage fails: retriable process errors never dead-letter (the stage reports
// unhealthy until the chunk commits), non-retriable ones isolate the record at fault, and
// a Kafka call that hangs makes the stage unhealthy and cannot hold stop() past its timeout.

const RETRY = { baseDelayMs: 20, maxDelayMs: 100, maxAttempts: 3 };

describe('transactional stage failures (real broker)', () => {
  const fx = useBrokerFixture('stage-failures');
  const stages: TransactionalStage[] = [];
  afterAll(async () => {
    await Promise.all(stages.map((s) => s.stop({ timeoutMs: 5_000 })));
  });

  function create(options: Parameters<typeof createTransactionalStage<UserEventsTopic, CounterState>>[0]): TransactionalStage {
    const stage = createTransactionalStage<UserEventsTopic, CounterState>({ consumer: FAST_CONSUMER, logger: testLogger, retry: RETRY, fromBeginning: true, ...options });
    stages.push(stage);
    return stage;
  }

  async function expectDlqEmpty(groupId: string): Promise<void> {
    const ends = await endOffsets(fx.kafka, dlqTopic(groupId).name);
    expect(Object.values(ends).filter((end) => end !== '0')).toEqual([]);
  }

  it('a retriable process error is retried past retry.maxAttempts and never dead-letters; the stage is unhealthy from then until the chunk commits', async () => {
    const { kafka, producer, resources } = fx;
    const { groupId, input, output, changelog } = await createStageTopics(resources, 'outage', 1);
    const items = Array.from({ length: 8 }, (_, i) => `i-${i}`);
    await producer.send(input, items.map((id) => samples.userEvent('u-1', id)));

    // An outage (model unavailable, queue full) of more attempts than the retry budget.
    const failing = RETRY.maxAttempts + 4;
    const inner = countingProcess(output);
    const healthAtCall: boolean[] = [];
    const aborted: boolean[] = [];
    const stage: TransactionalStage = create({
      kafka,
      groupId,
      input,
      transactionalIdPrefix: groupId,
      state: counterState(changelog),
      maxBatchRecords: 4,
      metrics: { onAborted: (info) => aborted.push(info.willRetry) },
      process: async (batch) => {
        healthAtCall.push(stage.isHealthy());
        if (healthAtCall.length <= failing) throw new TransientProcessingError('model unavailable');
        return inner(batch);
      },
    });
    await stage.start();
    await waitCommittedAtEnd(kafka, groupId, input.name);

    // Call k sees k-1 failures in a row: healthy until the budget is spent, then not until
    // the first chunk commits (call failing + 1); the second chunk's call sees it healthy.
    const budget = RETRY.maxAttempts;
    expect(healthAtCall).toEqual([...Array<boolean>(budget).fill(true), ...Array<boolean>(failing + 1 - budget).fill(false), true]);
    expect(aborted).toEqual(Array<boolean>(failing).fill(true));
    expect(stage.isHealthy()).toBe(true);
    await stage.stop();

    await expectDlqEmpty(groupId);
    const { values } = await readValues(kafka, output, items.length);
    expectCountedOnce(values, items);
  });

  it('a non-retriable process error isolates the chunk: only the record that still fails is dead-lettered, with its reason', async () => {
    const { kafka, producer, resources } = fx;
    const { groupId, input, output, changelog } = await createStageTopics(resources, 'isolate', 1);
    const items = Array.from({ length: 6 }, (_, i) => `i-${i}`);
    await producer.send(input, [...items.slice(0, 3), 'bad-1', ...items.slice(3)].map((id) => samples.userEvent('u-1', id)));

    const inner = countingProcess(output);
    const stage = create({
      kafka,
      groupId,
      input,
      transactionalIdPrefix: groupId,
      state: counterState(changelog),
      process: async (batch) => {
        const bad = batch.events.find((e) => e.value.itemId.startsWith('bad'));
        if (bad) throw new TypeError(`cannot handle ${bad.value.itemId}`);
        return inner(batch);
      },
    });
    await stage.start();
    await waitCommittedAtEnd(kafka, groupId, input.name);
    expect(stage.isHealthy()).toBe(true);
    await stage.stop();

    const dlq = await readValues(kafka, dlqTopic(groupId), 1);
    const letters = dlqRecordSchema.array().parse(dlq.values);
    expect(letters.map((l) => [l.error.code, l.error.message, l.originalValue?.data?.includes('"bad-1"')])).toEqual([['HANDLER_ERROR', 'cannot handle bad-1', true]]);
    const { values } = await readValues(kafka, output, items.length);
    expectCountedOnce(values, items);
  });

  it('a commit that hangs makes the stage unhealthy after transactionTimeoutMs, and stop({ timeoutMs }) gives up in time; the next owner writes everything once', async () => {
    const { kafka, producer, resources } = fx;
    const { groupId, input, output, changelog } = await createStageTopics(resources, 'hang', 1);
    const items = Array.from({ length: 6 }, (_, i) => `i-${i}`);
    await producer.send(input, items.map((id) => samples.userEvent('u-1', id)));

    const fault: CommitFault = { failCommits: new Set(), hangAtCommit: 1, commits: 0 };
    const transactionTimeoutMs = 1_500;
    const hung = create({ kafka: faultyKafka(kafka, fault), groupId, input, transactionalIdPrefix: groupId, state: counterState(changelog), process: countingProcess(output), transactionTimeoutMs });
    await hung.start();
    await waitFor(() => fault.hanging === true, 30_000, () => 'the first commit to hang');
    await waitFor(() => !hung.isHealthy(), 30_000, () => 'the stage to report the stuck chunk');
    expect(hung.state).toBe('running');

    const timeoutMs = 3_000;
    const started = Date.now();
    let guard: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([hung.stop({ timeoutMs }).then(() => 'stopped'), new Promise((resolve) => (guard = setTimeout(resolve, 4 * timeoutMs, 'still stopping')))]);
    clearTimeout(guard);
    const stopMs = Date.now() - started;
    testLogger.info({ stopMs, timeoutMs }, 'stop with a hung commit');
    expect(outcome).toBe('stopped');
    expect(hung.state).toBe('stopped');
    expect(Object.values(await committedOffsets(kafka, groupId, input.name)).every((offset) => offset === '-1')).toBe(true);

    // The abandoned transaction's records are in the log, never committed.
    const next = create({ kafka, groupId, input, transactionalIdPrefix: groupId, state: counterState(changelog), process: countingProcess(output) });
    await next.start();
    await waitCommittedAtEnd(kafka, groupId, input.name);
    await next.stop();
    const { values } = await readValues(kafka, output, items.length);
    expectCountedOnce(values, items);
    const uncommitted = await readValues(kafka, output, 2 * items.length, { readUncommitted: true });
    expect([...countBy(uncommitted.values, (v) => parseOutput(v.itemId).item).values()]).toEqual(items.map(() => 2));
  });
});
