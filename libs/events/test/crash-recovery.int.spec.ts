import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createConsumerRunner, TOPICS } from '../src';
import { samples } from './support/samples';
import { BROKERS, committedOffsets, expectCommittedAtEnd, FAST_CONSUMER, testLogger, useBrokerFixture, waitFor } from './support/kafka';

jest.setTimeout(60_000);

const WORKSPACE_ROOT = join(__dirname, '..', '..', '..');

describe('crash mid-batch (real broker)', () => {
  let child: ChildProcess | undefined;
  // Declared before the fixture: jest runs afterAll hooks in order, and the child must leave
  // the group before the fixture deletes the group and its topics.
  afterAll(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
  });
  const fx = useBrokerFixture('crash');

  it('a consumer killed with SIGKILL loses nothing: the restarted group reprocesses every uncommitted record', async () => {
    const { kafka, resources, producer } = fx;
    const groupId = resources.group('crash');
    const topic = await resources.topic(TOPICS.userEvents, { partitions: 1, dlqGroups: [groupId] });
    const ids = Array.from({ length: 12 }, (_, i) => `i-${String(i).padStart(2, '0')}`);
    await producer.send(topic, ids.map((id) => samples.userEvent('u-1', id)));

    // The child commits every 3 records and hangs on the 9th: 0-5 committed, 6-7 processed but not.
    const lines: string[] = [];
    let stderr = '';
    // node itself with tsx as a loader (not the tsx CLI, which would put a wrapper process
    // between us and the consumer), so SIGKILL hits the consumer.
    child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'fixtures', 'crash-consumer.ts')], {
      cwd: WORKSPACE_ROOT,
      env: { ...process.env, KAFKA_BROKERS: BROKERS.join(','), CRASH_TOPIC: topic.name, CRASH_GROUP: groupId, CRASH_BLOCK_AT: '8' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await waitFor(
      () => lines.some((l) => l.startsWith('BLOCKED')) || child?.exitCode !== null,
      30_000,
      () => `the child to block (stdout: ${lines.join(' | ')}; stderr: ${stderr})`,
    );
    expect(child.exitCode).toBeNull();

    const processedByChild = lines.filter((l) => l.startsWith('PROCESSED ')).map((l) => l.slice('PROCESSED '.length));
    expect(processedByChild).toEqual(ids.slice(0, 8));
    expect(lines).toContain(`BLOCKED ${ids[8]}`);
    expect(await committedOffsets(kafka, groupId, topic.name)).toEqual({ 0: '6' });

    // Crash: no stop, no commit, no leave-group.
    child.kill('SIGKILL');
    await new Promise((resolve) => child?.once('exit', resolve));

    const afterRestart: string[] = [];
    const runner = createConsumerRunner({
      kafka,
      groupId,
      topics: [topic],
      fromBeginning: true,
      consumer: FAST_CONSUMER,
      logger: testLogger,
      handler: async (event) => {
        afterRestart.push(event.value.itemId);
      },
    });
    fx.runners.push(runner);
    // Joining waits for the broker to expire the dead member's session (6 s).
    await runner.start();
    await waitFor(() => afterRestart.length >= ids.length - 6, 30_000, () => `records after restart (got ${afterRestart.join()})`);
    await runner.stop();

    // 6 and 7 were processed but not committed: they come again (at-least-once), then the rest.
    expect(afterRestart).toEqual(ids.slice(6));
    expect(new Set([...processedByChild, ...afterRestart])).toEqual(new Set(ids));
    await expectCommittedAtEnd(kafka, groupId, topic.name);
  });
});
