import type { Kafka, Producer, Transaction } from 'kafkajs';
import { KafkaJSError } from 'kafkajs';
import { TOPICS, type StageBatch, type StageResult, type StageStateOptions, type TopicDefinition } from '../../src';
import { committedOffsets, endOffsets, uniqueName, waitFor, FAST_CONSUMER, type TestResources } from './kafka';
import type { z } from 'zod';

// Helpers for the transactional stage specs: a counting stage whose outputs reveal its
// state (so a lost or doubled state update shows), readers, and fault injection.

export type UserEventsTopic = TopicDefinition<string, typeof TOPICS.userEvents.schema>;
export type ChangelogTopic = TopicDefinition<string, typeof TOPICS.sentimentWindowState.schema>;

/** Per-partition state: how many events it has seen, which, and optional padding (to force several snapshot chunks). */
export interface CounterState {
  count: number;
  items: string[];
  padding: string;
}

export interface StageTopics {
  groupId: string;
  input: UserEventsTopic;
  output: UserEventsTopic;
  changelog: ChangelogTopic;
}

/** A group with its DLQ, an input with `partitions` partitions, a 2-partition output and a changelog. */
export async function createStageTopics(resources: TestResources, prefix: string, partitions: number): Promise<StageTopics> {
  const groupId = resources.group(prefix);
  const input = await resources.topic(TOPICS.userEvents, { partitions, dlqGroups: [groupId] });
  const output = await resources.topic(TOPICS.userEvents, { partitions: 2 });
  const changelog = await resources.topic(TOPICS.sentimentWindowState, { partitions });
  return { groupId, input, output, changelog };
}

export function counterState(changelog: ChangelogTopic, paddingChars = 0): StageStateOptions<CounterState> {
  return {
    changelog,
    init: () => ({ count: 0, items: [], padding: 'p'.repeat(paddingChars) }),
    serialize: (s) => JSON.stringify(s),
    deserialize: (text) => JSON.parse(text) as CounterState,
  };
}

/**
 * Output itemId `<input itemId>#<partition>:<count after it>`; an input itemId starting
 * with `poison` is dead-lettered by process. Each output goes to the output topic.
 */
export function countingProcess(output: UserEventsTopic) {
  return async (batch: StageBatch<UserEventsTopic, CounterState>): Promise<StageResult<UserEventsTopic>> => {
    const records = [];
    const deadLetters = [];
    for (const event of batch.events) {
      if (event.value.itemId.startsWith('poison')) {
        deadLetters.push({ event, error: new Error(`poison item ${event.value.itemId}`) });
        continue;
      }
      batch.state.count++;
      batch.state.items.push(event.value.itemId);
      records.push({ topic: output, value: { ...event.value, itemId: `${event.value.itemId}#${batch.partition}:${batch.state.count}` } });
    }
    return { records, deadLetters };
  };
}

/** Parses `<item>#<partition>:<count>`. */
export function parseOutput(itemId: string): { item: string; partition: number; count: number } {
  const m = /^(.*)#(\d+):(\d+)$/.exec(itemId);
  if (!m) throw new Error(`not a counting output: ${itemId}`);
  return { item: m[1], partition: Number(m[2]), count: Number(m[3]) };
}

/**
 * Reads a topic from the start until `count` values arrived and `settleMs` passed with
 * nothing new (so a duplicate arriving late still shows). `readUncommitted` also returns
 * records of aborted transactions.
 */
export async function readValues<S extends z.ZodType>(
  kafka: Kafka,
  topic: TopicDefinition<string, S>,
  count: number,
  options: { readUncommitted?: boolean; settleMs?: number; timeoutMs?: number } = {},
): Promise<{ values: z.output<S>[]; partitions: number[] }> {
  const consumer = kafka.consumer({ groupId: uniqueName('stage-reader'), ...FAST_CONSUMER, readUncommitted: options.readUncommitted ?? false });
  const values: z.output<S>[] = [];
  const partitions: number[] = [];
  let lastAt = Date.now();
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic.name], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        values.push(topic.schema.parse(JSON.parse(message.value?.toString('utf8') ?? 'null')));
        partitions.push(partition);
        lastAt = Date.now();
      },
    });
    await waitFor(() => values.length >= count, options.timeoutMs ?? 30_000, () => `${count} records on ${topic.name} (got ${values.length})`);
    const settleMs = options.settleMs ?? 1_000;
    await waitFor(() => Date.now() - lastAt >= settleMs, settleMs + 30_000, () => 'the topic to go quiet');
    return { values, partitions };
  } finally {
    await consumer.disconnect();
  }
}

/** Every item once, and each input partition's counts exactly 1..n: no state update lost or doubled. */
export function expectCountedOnce(outputs: readonly { itemId: string }[], expectedItems: readonly string[]): void {
  const parsed = outputs.map((o) => parseOutput(o.itemId));
  expect([...countBy(parsed, (p) => p.item)].filter(([, n]) => n !== 1)).toEqual([]);
  expect(parsed.map((p) => p.item).sort()).toEqual([...expectedItems].sort());
  const perPartition = new Map<number, number[]>();
  for (const p of parsed) perPartition.set(p.partition, [...(perPartition.get(p.partition) ?? []), p.count]);
  for (const counts of perPartition.values()) expect([...counts].sort((a, b) => a - b)).toEqual(counts.map((_, i) => i + 1));
}

/** Waits until the group's committed offsets reached the end of every non-empty input partition. */
export async function waitCommittedAtEnd(kafka: Kafka, groupId: string, topic: string, timeoutMs = 60_000): Promise<void> {
  const ends = await endOffsets(kafka, topic);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const committed = await committedOffsets(kafka, groupId, topic);
    if (Object.entries(ends).every(([p, end]) => end === '0' || committed[Number(p)] === end)) return;
    if (Date.now() > deadline) throw new Error(`committed ${JSON.stringify(committed)} never reached ${JSON.stringify(ends)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** A gate a test holds a stage's `process` at: `wait()` blocks until `open()`. */
export class Latch {
  /** Set by the first `wait()`: the stage is inside `process`. */
  entered = false;
  private release: () => void = () => undefined;
  private readonly opened = new Promise<void>((resolve) => (this.release = resolve));

  wait(): Promise<void> {
    this.entered = true;
    return this.opened;
  }

  open(): void {
    this.release();
  }
}

/** Counts per value, for exactly-once asserts. */
export function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

export interface CommitFault {
  /** Commits to fail (counted over every transactional producer of the client) after their records were sent. */
  failCommits: Set<number>;
  /** Commit number on which to hang forever (SIGKILL and stop-timeout tests), after the records were sent. */
  hangAtCommit?: number;
  /** Set when a commit started hanging. */
  hanging?: boolean;
  /** Commits attempted so far. */
  commits: number;
}

function wrapTransaction(txn: Transaction, fault: CommitFault): Transaction {
  const commit = async (): Promise<void> => {
    const n = ++fault.commits;
    if (fault.hangAtCommit === n) {
      fault.hanging = true;
      process.stdout.write(`HANGING ${n}\n`);
      await new Promise(() => undefined);
    }
    if (fault.failCommits.has(n)) throw new KafkaJSError(`injected commit failure #${n}`, { retriable: true });
    await txn.commit();
  };
  return Object.assign(Object.create(txn) as Transaction, { commit });
}

/**
 * A KafkaJS client whose transactional producers fail or hang chosen commits: the
 * transaction's records are already in the log, so read_committed must hide them.
 */
export function faultyKafka(kafka: Kafka, fault: CommitFault): Kafka {
  return new Proxy(kafka, {
    get(target, prop, receiver) {
      if (prop !== 'producer') return Reflect.get(target, prop, receiver) as unknown;
      return (config: Parameters<Kafka['producer']>[0]): Producer => {
        const producer = target.producer(config);
        if (!config?.transactionalId) return producer;
        const transaction = async (): Promise<Transaction> => wrapTransaction(await producer.transaction(), fault);
        return Object.assign(Object.create(producer) as Producer, { transaction });
      };
    },
  });
}
