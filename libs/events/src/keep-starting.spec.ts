import { keepStarting, retriedStart, type Startable } from './keep-starting';

class Fake implements Startable {
  static made: Fake[] = [];
  started = false;
  stopped = false;
  constructor(private readonly fails: boolean) {
    Fake.made.push(this);
  }
  async start(): Promise<void> {
    if (this.fails) throw new Error('broker not reachable');
    this.started = true;
  }
  async stop(): Promise<void> {
    this.stopped = true;
  }
}

describe('keepStarting', () => {
  beforeEach(() => (Fake.made = []));
  const fast = { baseDelayMs: 1, maxDelayMs: 2, jitter: 0 };

  it('creates a fresh instance per attempt until one starts, stopping each that failed', async () => {
    const failures: number[] = [];
    const started = await keepStarting({ create: () => new Fake(Fake.made.length < 2), signal: new AbortController().signal, retry: fast,
      onAttemptFailed: (_err, attempt) => failures.push(attempt) });
    expect(Fake.made).toHaveLength(3);
    expect(started).toBe(Fake.made[2]);
    expect(started?.started).toBe(true);
    expect(Fake.made.slice(0, 2).map((f) => f.stopped)).toEqual([true, true]);
    expect(failures).toEqual([1, 2]);
  });

  it('gives up with undefined when aborted while waiting, and rethrows once maxAttempts is spent', async () => {
    const stop = new AbortController();
    const waiting = keepStarting({ create: () => new Fake(true), signal: stop.signal, retry: { baseDelayMs: 60_000, maxDelayMs: 60_000 } });
    await new Promise((r) => setTimeout(r, 10));
    stop.abort();
    await expect(waiting).resolves.toBeUndefined();
    expect(Fake.made).toHaveLength(1);
    await expect(keepStarting({ create: () => new Fake(true), signal: new AbortController().signal, retry: { ...fast, maxAttempts: 3 } })).rejects.toThrow('broker not reachable');
    expect(Fake.made).toHaveLength(4);
  });

  it('stops the instance being started as soon as the signal aborts, without waiting for its start', async () => {
    const stop = new AbortController();
    let stopped = false;
    let finishStart: () => void = () => undefined;
    const slow: Startable = {
      start: () => new Promise<void>((resolve) => (finishStart = resolve)),
      stop: async () => {
        stopped = true;
        finishStart();
      },
    };
    const result = keepStarting({ create: () => slow, signal: stop.signal });
    await new Promise((r) => setTimeout(r, 5));
    expect(stopped).toBe(false);
    stop.abort();
    expect(stopped).toBe(true);
    await expect(result).resolves.toBeUndefined();
  });

  it('stops an instance that started after the signal aborted, and returns undefined', async () => {
    const stop = new AbortController();
    const result = await keepStarting({ create: () => {
      const f = new Fake(false);
      stop.abort();
      return f;
    }, signal: stop.signal });
    expect(result).toBeUndefined();
    expect(Fake.made[0]?.stopped).toBe(true);
  });
});

describe('retriedStart', () => {
  beforeEach(() => (Fake.made = []));

  it('remembers the instance that started and stops it; start() twice is one attempt series', async () => {
    const r = retriedStart({ create: () => new Fake(Fake.made.length < 1), retry: { baseDelayMs: 1, maxDelayMs: 2, jitter: 0 } });
    expect(r.current).toBeUndefined();
    const [a, b] = await Promise.all([r.start(), r.start()]);
    expect(a).toBe(b);
    expect(r.current).toBe(Fake.made[1]);
    await r.stop(100);
    expect(Fake.made.map((f) => f.stopped)).toEqual([true, true]);
  });
});
