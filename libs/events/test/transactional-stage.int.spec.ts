import { createTransactionalStage, dlqRecordSchema, dlqTopic, TransientProcessingError, type StageMetrics, type TransactionalStage } from '../src';
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
  type CounterState,
  type UserEventsTopic,
} from './support/stage';

jest.setTimeout(120_000);

const FAST_RETRY = { baseDelayMs: 50, maxDelayMs: 200, maxAttempts: 5 };

describe('createTransactionalStage (real broker)', () => {
  const fx = useBrokerFixture('stage');
  const stages: TransactionalStage[] = [];
  afterAll(async () => {
    await Promise.all(stages.map((s) => s.stop({ timeoutMs: 5_000 })));
  });

  const setup = (prefix: string, partitions: number) => createStageTopics(fx.resources, prefix, partitions);

  function start(options: Parameters<typeof createTransactionalStage<UserEventsTopic, CounterState>>[0]): Promise<TransactionalStage> {
    const stage = createTransactionalStage<UserEventsTopic, CounterState>({ consumer: FAST_CONSUMER, logger: testLogger, retry: FAST_RETRY, fromBeginning: true, ...options });
    stages.push(stage);
    return stage.start().then(() => stage);
  }

  it('writes each output and each dead letter exactly once for read_committed readers, with offsets and snapshot committed together', async () => {
    const { kafka, producer } = fx;
    const { groupId, input, output, changelog } = await setup('once', 2);
    const items = Array.from({ length: 40 }, (_, i) => `i-${i}`);
    const poison = ['poison-1', 'poison-2'];
    await producer.send(input, [...items, ...poison].map((id, i) => samples.userEvent(`u-${i % 5}`, id)));
    const raw = kafka.producer();
    await raw.connect();
    await raw.send({ topic: input.name, messages: [{ key: 'u-1', value: 'not json{' }] });
    await raw.disconnect();

    const commits: number[] = [];
    const metrics: StageMetrics = { onCommitted: (info) => commits.push(info.commitMs) };
    const stage = await start({ kafka, groupId, input, transactionalIdPrefix: groupId, state: counterState(changelog), process: countingProcess(output), maxBatchRecords: 7, metrics });
    await waitCommittedAtEnd(kafka, groupId, input.name);
    await stage.stop();

    const { values } = await readValues(kafka, output, items.length);
    expectCountedOnce(values, items);
    const dlq = await readValues(kafka, dlqTopic(groupId), 3);
    expect(dlq.values.map((v) => v.error.code).sort()).toEqual(['DECODE_ERROR', 'HANDLER_ERROR', 'HANDLER_ERROR']);
    expect(dlqRecordSchema.array().parse(dlq.values).map((v) => v.originalValue?.data).filter((d) => d?.includes('poison'))).toHaveLength(2);
    // Snapshots went to the changelog partition of their input partition.
    const snapshots = await readValues(kafka, changelog, 2);
    expect(new Set(snapshots.values.map((s) => `${s.groupId}/${s.partition}`))).toEqual(new Set([`${groupId}/0`, `${groupId}/1`]));
    snapshots.values.forEach((s, i) => expect(s.partition).toBe(snapshots.partitions[i]));
    expect(commits.length).toBeGreaterThan(0);
    testLogger.info({ commits: commits.length, meanCommitMs: commits.reduce((a, b) => a + b, 0) / commits.length }, 'transaction commit cost');
  });

  it('a process that throws aborts with the state reset, and a failed commit hides the records it had written; the retries commit', async () => {
    const { kafka, producer } = fx;
    const { groupId, input, output, changelog } = await setup('abort', 1);
    const items = Array.from({ length: 12 }, (_, i) => `i-${i}`);
    await producer.send(input, items.map((id) => samples.userEvent('u-1', id)));

    const fault = { failCommits: new Set([2]), commits: 0 };
    const inner = countingProcess(output);
    let calls = 0;
    const aborted: string[] = [];
    const stage = await start({
      kafka: faultyKafka(kafka, fault),
      groupId,
      input,
      transactionalIdPrefix: groupId,
      state: counterState(changelog),
      maxBatchRecords: 4,
      metrics: { onAborted: (info) => aborted.push(info.code) },
      process: async (batch) => {
        const result = await inner(batch);
        // The second call throws after changing the state: the retry must start from the committed state.
        if (++calls === 2) throw new TransientProcessingError('injected process failure');
        return result;
      },
    });
    await waitCommittedAtEnd(kafka, groupId, input.name);
    await stage.stop();

    expect(aborted).toEqual(expect.arrayContaining(['TRANSIENT_PROCESSING', 'KafkaJSError']));
    const committed = await readValues(kafka, output, items.length);
    expectCountedOnce(committed.values, items);
    // The failed commit's records are in the log, aborted: a read_uncommitted reader sees them twice.
    const uncommitted = await readValues(kafka, output, items.length + 1, { readUncommitted: true });
    const twice = [...countBy(uncommitted.values, (v) => parseOutput(v.itemId).item)].filter(([, n]) => n === 2);
    expect(twice.length).toBeGreaterThan(0);
  });

  it('restores each partition from the changelog (several chunks) to exactly the state it had', async () => {
    const { kafka, producer } = fx;
    const { groupId, input, output, changelog } = await setup('restore', 2);
    const first = Array.from({ length: 10 }, (_, i) => `a-${i}`);
    await producer.send(input, first.map((id, i) => samples.userEvent(`u-${i}`, id)));
    const finalStates = new Map<number, string>();
    const inner = countingProcess(output);
    const state = counterState(changelog, 3_000);
    const a = await start({
      kafka,
      groupId,
      input,
      transactionalIdPrefix: groupId,
      state,
      maxSnapshotChunkBytes: 1_024,
      process: async (batch) => {
        const result = await inner(batch);
        finalStates.set(batch.partition, JSON.stringify(batch.state));
        return result;
      },
    });
    await waitCommittedAtEnd(kafka, groupId, input.name);
    await a.stop();

    const second = Array.from({ length: 6 }, (_, i) => `b-${i}`);
    await producer.send(input, second.map((id, i) => samples.userEvent(`u-${i}`, id)));
    const restoredStates = new Map<number, string>();
    const sources: string[] = [];
    const b = await start({
      kafka,
      groupId,
      input,
      transactionalIdPrefix: groupId,
      state,
      maxSnapshotChunkBytes: 1_024,
      metrics: { onRestored: (info) => sources.push(`${info.partition}:${info.source}`) },
      process: async (batch) => {
        if (!restoredStates.has(batch.partition)) restoredStates.set(batch.partition, JSON.stringify(batch.state));
        return inner(batch);
      },
    });
    await waitCommittedAtEnd(kafka, groupId, input.name);
    await b.stop();

    expect(sources.sort()).toEqual(['0:changelog', '1:changelog']);
    for (const [partition, text] of restoredStates) expect(text).toBe(finalStates.get(partition));
    expect(restoredStates.size).toBe(finalStates.size);
    const { values } = await readValues(kafka, output, first.length + second.length);
    expectCountedOnce(values, [...first, ...second]);
  });

  it('two stages in one group split the partitions; together they write what one stage writes', async () => {
    const { kafka, producer } = fx;
    const { groupId, input, output, changelog } = await setup('split', 4);
    const common = { kafka, groupId, input, transactionalIdPrefix: groupId, state: counterState(changelog), process: countingProcess(output), maxBatchRecords: 5 };
    const a = await start(common);
    const early = Array.from({ length: 20 }, (_, i) => `e-${i}`);
    await producer.send(input, early.map((id, i) => samples.userEvent(`u-${i}`, id)));
    await waitCommittedAtEnd(kafka, groupId, input.name);
    // B takes over partitions A has state for: it must continue from A's snapshots.
    const restoredByB: string[] = [];
    const b = await start({ ...common, metrics: { onRestored: (info) => restoredByB.push(info.source) } });
    await waitFor(() => a.assignedPartitions().length > 0 && b.assignedPartitions().length > 0, 30_000, () => `both to own partitions (${a.assignedPartitions()} / ${b.assignedPartitions()})`);
    const late = Array.from({ length: 40 }, (_, i) => `l-${i}`);
    await producer.send(input, late.map((id, i) => samples.userEvent(`v-${i}`, id)));
    await waitCommittedAtEnd(kafka, groupId, input.name);
    expect([...a.assignedPartitions(), ...b.assignedPartitions()].sort()).toEqual([0, 1, 2, 3]);
    expect(restoredByB.length).toBeGreaterThan(0);
    expect(restoredByB.every((source) => source === 'changelog')).toBe(true);
    await Promise.all([a.stop(), b.stop()]);

    const { values } = await readValues(kafka, output, early.length + late.length);
    expectCountedOnce(values, [...early, ...late]);
  });

  it('stops (state failed, nothing written) when the committed offset points at a snapshot the changelog does not have', async () => {
    const { kafka, producer } = fx;
    const { groupId, input, output, changelog } = await setup('lost-state', 1);
    await producer.send(input, [samples.userEvent('u-1', 'i-1')]);
    // Offsets committed with a pointer to a changelog record that was never written.
    const writer = kafka.producer({ transactionalId: `${groupId}.forger`, idempotent: true, maxInFlightRequests: 1 });
    await writer.connect();
    const txn = await writer.transaction();
    const metadata = JSON.stringify({ v: 1, changelog: changelog.name, partition: 0, offset: '42', chunks: 1 });
    const forged = { partition: 0, offset: '0', metadata };
    await txn.sendOffsets({ consumerGroupId: groupId, topics: [{ topic: input.name, partitions: [forged] }] });
    await txn.commit();
    await writer.disconnect();

    const crashes: string[] = [];
    const stage = await start({ kafka, groupId, input, transactionalIdPrefix: groupId, state: counterState(changelog), process: countingProcess(output), onCrash: (err) => crashes.push(err.message) });
    await waitFor(() => stage.state === 'failed', 30_000, () => `the stage to fail (state ${stage.state})`);
    expect(stage.isHealthy()).toBe(false);
    expect(crashes.join('\n')).toMatch(/snapshot of partition 0 at .*@42 is gone/);
    expect(await committedOffsets(kafka, groupId, input.name)).toEqual({ 0: '0' });
    expect(await endOffsets(kafka, output.name)).toEqual({ 0: '0', 1: '0' });
  });
});
