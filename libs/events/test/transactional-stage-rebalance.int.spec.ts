import type { Kafka } from 'kafkajs';
import { createTransactionalStage, type TransactionalStage } from '../src';
import { samples } from './support/samples';
import { FAST_CONSUMER, testLogger, useBrokerFixture, waitFor } from './support/kafka';
import {
  counterState,
  countingProcess,
  createStageTopics,
  expectCountedOnce,
  Latch,
  readValues,
  waitCommittedAtEnd,
  type CounterState,
  type StageTopics,
  type UserEventsTopic,
} from './support/stage';

jest.setTimeout(180_000);

// A member joins while another one's process is held mid-chunk (its state already changed,
// its outputs not yet sent): the group rebalances under a chunk in flight. Whether the held
// member finishes before the rebalance completes or is dropped from the group and fenced,
// every input record's output must appear once for read_committed readers, and the state the
// new owner restores must be the one the old owner committed.

/** One stage of the group, with what the spec observes of it. */
interface Member {
  readonly stage: TransactionalStage;
  /** When set, the first process call after it waits here, after computing its outputs. */
  gate: Latch | undefined;
  gatedPartition: number | undefined;
  /** Per partition, the state text as of this member's last commit. */
  readonly committed: Map<number, string>;
  /** Per partition, the state text the first process call after a restore saw (the restored state). */
  readonly restored: Map<number, string>;
  /** `<partition>:<source>` per restore. */
  readonly sources: string[];
  /** Partitions whose transaction was fenced by a newer owner. */
  readonly fenced: number[];
  /** `<partition>:<reason>` per onReleased. */
  readonly released: string[];
  /** Partitions whose lag was reported after they were released (a stale gauge). */
  readonly lagAfterRelease: number[];
}

function createMember(kafka: Kafka, topics: StageTopics): Member {
  const inner = countingProcess(topics.output);
  const processed = new Map<number, string>();
  const justRestored = new Set<number>();
  const owned = new Set<number>();
  const member: Member = {
    gate: undefined,
    gatedPartition: undefined,
    committed: new Map(),
    restored: new Map(),
    sources: [],
    fenced: [],
    released: [],
    lagAfterRelease: [],
    stage: createTransactionalStage<UserEventsTopic, CounterState>({
      kafka,
      groupId: topics.groupId,
      input: topics.input,
      transactionalIdPrefix: topics.groupId,
      state: counterState(topics.changelog),
      fromBeginning: true,
      consumer: FAST_CONSUMER,
      logger: testLogger,
      retry: { baseDelayMs: 50, maxDelayMs: 200 },
      metrics: {
        onCommitted: (info) => {
          const text = processed.get(info.partition);
          if (text !== undefined) member.committed.set(info.partition, text);
        },
        onRestored: (info) => {
          member.sources.push(`${info.partition}:${info.source}`);
          justRestored.add(info.partition);
          owned.add(info.partition);
        },
        onFenced: (info) => member.fenced.push(info.partition),
        onReleased: (info) => {
          member.released.push(`${info.partition}:${info.reason}`);
          owned.delete(info.partition);
        },
        onLag: (info) => {
          if (!owned.has(info.partition)) member.lagAfterRelease.push(info.partition);
        },
      },
      process: async (batch) => {
        if (justRestored.delete(batch.partition)) member.restored.set(batch.partition, JSON.stringify(batch.state));
        const result = await inner(batch);
        const gate = member.gate;
        if (gate && !gate.entered) {
          member.gatedPartition = batch.partition;
          await gate.wait();
        }
        processed.set(batch.partition, JSON.stringify(batch.state));
        return result;
      },
    }),
  };
  return member;
}

/** Ten events keyed u-0..u-9 (the same keys each wave, so each wave reaches both partitions). */
const wave = (name: string): string[] => Array.from({ length: 10 }, (_, i) => `${name}-${i}`);

describe('transactional stage rebalanced mid-chunk (real broker)', () => {
  const fx = useBrokerFixture('stage-rebalance');
  const members: Member[] = [];
  afterAll(async () => {
    for (const m of members) m.gate?.open();
    await Promise.all(members.map((m) => m.stage.stop({ timeoutMs: 5_000 })));
  });

  function join(topics: StageTopics): Member {
    const member = createMember(fx.kafka, topics);
    members.push(member);
    return member;
  }

  async function send(topics: StageTopics, items: readonly string[]): Promise<void> {
    await fx.producer.send(topics.input, items.map((id, i) => samples.userEvent(`u-${i}`, id)));
  }

  async function groupState(groupId: string): Promise<string | undefined> {
    const admin = fx.kafka.admin();
    await admin.connect();
    try {
      return (await admin.describeGroups([groupId])).groups[0]?.state;
    } finally {
      await admin.disconnect();
    }
  }

  it('A held past the rebalance timeout: B restores what A committed and takes over, A\'s late transaction is fenced, every output once', async () => {
    const { kafka } = fx;
    const topics = await createStageTopics(fx.resources, 'fenced', 2);
    const a = join(topics);
    await a.stage.start();
    const [first, second, third] = [wave('a'), wave('b'), wave('c')];
    await send(topics, first);
    await waitCommittedAtEnd(kafka, topics.groupId, topics.input.name);

    const gate = new Latch();
    a.gate = gate;
    await send(topics, second);
    await waitFor(() => gate.entered, 30_000, () => 'A to be held inside process');
    const gated = a.gatedPartition ?? -1;
    const committedByA = a.committed.get(gated);
    expect(committedByA).toBeDefined();

    // A never rejoins while held: after the rebalance timeout (6 s) the group drops it, and B
    // owns every partition. Only B can commit the held partition's second wave.
    const b = join(topics);
    await b.stage.start();
    await waitCommittedAtEnd(kafka, topics.groupId, topics.input.name);
    expect(b.sources).toContain(`${gated}:changelog`);
    expect(b.restored.get(gated)).toBe(committedByA);

    // A goes on with outputs computed from its old state: its transaction must not land.
    gate.open();
    await waitFor(() => a.fenced.includes(gated), 30_000, () => `A's transaction on partition ${gated} to be fenced (fenced: ${a.fenced})`);

    // A rejoins; whoever owns what now continues from the committed state.
    await waitFor(() => a.stage.assignedPartitions().length > 0 && b.stage.assignedPartitions().length > 0, 60_000, () => 'A to rejoin and own a partition');
    await send(topics, third);
    await waitCommittedAtEnd(kafka, topics.groupId, topics.input.name);
    await Promise.all([a.stage.stop(), b.stage.stop()]);

    const { values } = await readValues(kafka, topics.output, first.length + second.length + third.length);
    expectCountedOnce(values, [...first, ...second, ...third]);
  });

  it('A released while the group prepares to rebalance: A commits its chunk first, B restores exactly that state, nothing is fenced, every output once', async () => {
    const { kafka } = fx;
    const topics = await createStageTopics(fx.resources, 'handover', 2);
    const a = join(topics);
    await a.stage.start();
    const [first, second, third] = [wave('a'), wave('b'), wave('c')];
    await send(topics, first);
    await waitCommittedAtEnd(kafka, topics.groupId, topics.input.name);

    const gate = new Latch();
    a.gate = gate;
    await send(topics, second);
    await waitFor(() => gate.entered, 30_000, () => 'A to be held inside process');

    const b = join(topics);
    const bStarted = b.stage.start();
    // B's join put the group into PreparingRebalance; it completes only once A rejoins, after its batch.
    const deadline = Date.now() + 30_000;
    while ((await groupState(topics.groupId)) !== 'PreparingRebalance') {
      if (Date.now() > deadline) throw new Error('the group never began to rebalance');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    gate.open();
    await bStarted;
    await waitCommittedAtEnd(kafka, topics.groupId, topics.input.name);
    await waitFor(() => a.stage.assignedPartitions().length === 1 && b.stage.assignedPartitions().length === 1, 30_000, () => 'one partition each');
    const committedByA = new Map(a.committed);

    // B's partition is restored on its first batch.
    await send(topics, third);
    await waitCommittedAtEnd(kafka, topics.groupId, topics.input.name);
    const [bPartition] = b.stage.assignedPartitions();
    expect(b.sources).toEqual([`${bPartition}:changelog`]);
    expect(b.restored.get(bPartition)).toBe(committedByA.get(bPartition));
    expect([...a.fenced, ...b.fenced]).toEqual([]);
    // A's per-partition gauges of the partition it lost can be dropped, and none comes back.
    const [aPartition] = a.stage.assignedPartitions();
    expect(a.released).toEqual([`${bPartition}:revoked`]);
    await Promise.all([a.stage.stop(), b.stage.stop()]);
    expect(a.released).toEqual([`${bPartition}:revoked`, `${aPartition}:stopped`]);
    expect(b.released).toEqual([`${bPartition}:stopped`]);
    expect([...a.lagAfterRelease, ...b.lagAfterRelease]).toEqual([]);

    const { values } = await readValues(kafka, topics.output, first.length + second.length + third.length);
    expectCountedOnce(values, [...first, ...second, ...third]);
  });
});
