import { Kafka } from 'kafkajs';
import { TOPICS } from '../topics';
import { createTransactionalStage } from './stage';
import type { TransactionalStageOptions } from './types';

// The broker-facing behaviour is covered by test/transactional-stage.int.spec.ts and
// test/stage-crash.int.spec.ts; here: what the constructor refuses, before any connection.

const kafka = new Kafka({ clientId: 'stage-spec', brokers: ['127.0.0.1:1'] });
const base: TransactionalStageOptions<typeof TOPICS.userEvents, undefined> = {
  kafka,
  groupId: 'stage-spec',
  input: TOPICS.userEvents,
  transactionalIdPrefix: 'stage-spec',
  process: async () => ({ records: [] }),
};

describe('createTransactionalStage options', () => {
  it('starts idle, named after its group and DLQ, with nothing assigned', () => {
    const stage = createTransactionalStage(base);
    expect([stage.state, stage.groupId, stage.dlqTopic, stage.isHealthy(), stage.assignedPartitions()]).toEqual(['idle', 'stage-spec', 'dlq.stage-spec', false, []]);
  });

  it('refuses bad options, naming the field', () => {
    expect(() => createTransactionalStage({ ...base, groupId: '' })).toThrow(new TypeError('groupId: expected a non-empty string'));
    expect(() => createTransactionalStage({ ...base, transactionalIdPrefix: '' })).toThrow(/transactionalIdPrefix/);
    expect(() => createTransactionalStage({ ...base, process: undefined as never })).toThrow(/process/);
    expect(() => createTransactionalStage({ ...base, maxBatchRecords: 0 })).toThrow(new RangeError('maxBatchRecords: expected an integer >= 1, got 0'));
    expect(() => createTransactionalStage({ ...base, maxMessageBytes: 1_000 })).toThrow(/maxMessageBytes: expected at least/);
    expect(() => createTransactionalStage({ ...base, maxSnapshotChunkBytes: 900_000 })).toThrow(/maxSnapshotChunkBytes/);
    expect(() => createTransactionalStage({ ...base, retry: { maxAttempts: 0 } })).toThrow(/retry\.maxAttempts/);
    expect(() => createTransactionalStage({ ...base, groupId: 'has/slash' })).toThrow(/groupId/);
    const state = { changelog: TOPICS.sentimentWindowState, init: () => undefined, serialize: () => '', deserialize: () => undefined };
    expect(() => createTransactionalStage({ ...base, state: { ...state, serialize: undefined as never } })).toThrow(new TypeError('state.serialize: expected a function'));
  });

  it('stop refuses a negative or non-finite timeout, naming it; an idle stage stops at once', async () => {
    await expect(createTransactionalStage(base).stop({ timeoutMs: -1 })).rejects.toThrow(new RangeError('timeoutMs: expected a number >= 0, got -1'));
    await expect(createTransactionalStage(base).stop({ timeoutMs: Number.NaN })).rejects.toThrow(/timeoutMs/);
    const stage = createTransactionalStage(base);
    await stage.stop({ timeoutMs: 0 });
    expect(stage.state).toBe('stopped');
  });
});
