import type { ModelFollower, ModelFollowerState } from './model-follower';
import { retryingModelFollower } from './retrying-follower';

/** A follower whose start fails `fails` times across instances (a broker not up yet). */
function fakes(fails: number, groupOf: (attempt: number) => string = () => 'svc.models.r1') {
  const made: Array<{ started: boolean; stopped: boolean }> = [];
  const create = (): ModelFollower => {
    const me = { started: false, stopped: false };
    const attempt = made.push(me);
    return {
      groupId: groupOf(attempt),
      start: async () => {
        if (attempt <= fails) throw new Error('connect ECONNREFUSED 127.0.0.1:9092');
        me.started = true;
      },
      stop: async () => void (me.stopped = true),
      isServing: () => true,
      isFollowing: () => me.started && !me.stopped,
      state: (): ModelFollowerState => ({ groupId: 'svc.models.r1', following: me.started, serving: true, models: {} }) as unknown as ModelFollowerState,
    };
  };
  return { made, create };
}

describe('retryingModelFollower', () => {
  it('tries a fresh follower until one starts; follows only then, serving all along', async () => {
    const { made, create } = fakes(2);
    const failures: number[] = [];
    const f = retryingModelFollower(create, { retry: { baseDelayMs: 1, maxDelayMs: 2, jitter: 0 }, onAttemptFailed: (_e, n) => failures.push(n) });
    expect(f.groupId).toBe('svc.models.r1');
    expect(f.isServing()).toBe(true);
    expect(f.isFollowing()).toBe(false);
    await f.start();
    expect(made).toHaveLength(3);
    expect(failures).toEqual([1, 2]);
    expect(made.slice(0, 2).map((m) => m.stopped)).toEqual([true, true]);
    expect(f.isFollowing()).toBe(true);
    await f.stop({ timeoutMs: 100 });
    expect(made[2]?.stopped).toBe(true);
    expect(f.isFollowing()).toBe(false);
  });

  it('refuses a retry in another consumer group (each failed group would keep an alert firing)', async () => {
    const { create } = fakes(1, (attempt) => `svc.models.r${attempt}`);
    const f = retryingModelFollower(create, { retry: { baseDelayMs: 1, maxDelayMs: 2, jitter: 0 } });
    await expect(f.start()).rejects.toThrow(/attempts must share one consumer group \(svc\.models\.r1\), got svc\.models\.r2/);
  });

  it('stop() while it waits to retry ends the attempts: nothing left running', async () => {
    const { made, create } = fakes(1_000);
    const f = retryingModelFollower(create, { retry: { baseDelayMs: 60_000, maxDelayMs: 60_000 } });
    const starting = f.start();
    await new Promise((r) => setTimeout(r, 10));
    await f.stop();
    await starting;
    expect(made).toHaveLength(1);
    expect(made[0]?.stopped).toBe(true);
    expect(f.isFollowing()).toBe(false);
  });
});
