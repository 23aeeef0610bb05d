import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createTransactionalStage, TOPICS, type TransactionalStage } from '../src';
import { samples } from './support/samples';
import { BROKERS, committedOffsets, endOffsets, FAST_CONSUMER, testLogger, useBrokerFixture, waitFor } from './support/kafka';
import { counterState, countBy, countingProcess, parseOutput, readValues, type CounterState, type UserEventsTopic } from './support/stage';

jest.setTimeout(120_000);

const WORKSPACE_ROOT = join(__dirname, '..', '..', '..');

describe('transactional stage killed mid-transaction (real broker)', () => {
  let child: ChildProcess | undefined;
  let stage: TransactionalStage | undefined;
  // Before the fixture: jest runs afterAll hooks in order; the child and stage must be gone before topics are deleted.
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await stage?.stop({ timeoutMs: 5_000 });
  });
  const fx = useBrokerFixture('stage-crash');

  it('a stage killed with SIGKILL inside a commit loses nothing and duplicates nothing: the next owner fences it and continues from its snapshot', async () => {
    const { kafka, resources, producer } = fx;
    const groupId = resources.group('stage-crash');
    const input = await resources.topic(TOPICS.userEvents, { partitions: 1, dlqGroups: [groupId] });
    const output = await resources.topic(TOPICS.userEvents, { partitions: 1 });
    const changelog = await resources.topic(TOPICS.sentimentWindowState, { partitions: 1 });
    const items = Array.from({ length: 15 }, (_, i) => `i-${String(i).padStart(2, '0')}`);
    await producer.send(input, items.map((id) => samples.userEvent('u-1', id)));

    // Chunks of 3: commits 1 and 2 land (offsets 0-5), commit 3 hangs with records 6-8 written.
    const lines: string[] = [];
    let stderr = '';
    child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'fixtures', 'stage-crash-child.ts')], {
      cwd: WORKSPACE_ROOT,
      env: {
        ...process.env,
        KAFKA_BROKERS: BROKERS.join(','),
        STAGE_INPUT: input.name,
        STAGE_OUTPUT: output.name,
        STAGE_CHANGELOG: changelog.name,
        STAGE_GROUP: groupId,
        STAGE_HANG_AT_COMMIT: '3',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await waitFor(
      () => lines.some((l) => l.startsWith('HANGING')) || child?.exitCode !== null,
      60_000,
      () => `the child to hang in a commit (stdout: ${lines.join(' | ')}; stderr: ${stderr})`,
    );
    expect(child.exitCode).toBeNull();
    expect(lines.filter((l) => l.startsWith('COMMITTED'))).toEqual(['COMMITTED 0 3', 'COMMITTED 0 6']);
    expect(await committedOffsets(kafka, groupId, input.name)).toEqual({ 0: '6' });

    child.kill('SIGKILL');
    await new Promise((resolve) => child?.once('exit', resolve));

    const restored: string[] = [];
    stage = createTransactionalStage<UserEventsTopic, CounterState>({
      kafka,
      groupId,
      input,
      transactionalIdPrefix: groupId,
      fromBeginning: true,
      state: counterState(changelog),
      process: countingProcess(output),
      consumer: FAST_CONSUMER,
      logger: testLogger,
      metrics: { onRestored: (info) => restored.push(info.source) },
    });
    // Joining waits for the broker to expire the dead member's session (6 s).
    await stage.start();
    const ends = await endOffsets(kafka, input.name);
    const deadline = Date.now() + 60_000;
    while ((await committedOffsets(kafka, groupId, input.name))[0] !== ends[0]) {
      if (Date.now() > deadline) throw new Error('the new owner never committed the rest');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await stage.stop();

    expect(restored).toEqual(['changelog']);
    const committed = await readValues(kafka, output, items.length);
    const parsed = committed.values.map((v) => parseOutput(v.itemId));
    expect(parsed.map((p) => p.item)).toEqual(items);
    expect(parsed.map((p) => p.count)).toEqual(items.map((_, i) => i + 1));
    // The killed transaction's records were written and then aborted by the fencing.
    const uncommitted = await readValues(kafka, output, items.length + 3, { readUncommitted: true });
    expect([...countBy(uncommitted.values, (v) => parseOutput(v.itemId).item)].filter(([, n]) => n > 1).map(([item]) => item)).toEqual(items.slice(6, 9));
  });
});
