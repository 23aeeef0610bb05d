import { getEventListeners } from 'node:events';
import { DynamicBatcher } from './dynamic-batcher';
import { selectBatch } from './select-batch';

interface Item { id: number; len: number }
const cost = (i: Item) => i.len;

function recordingRunner(delayMs = 0) {
  const batches: Item[][] = [];
  const run = async (items: Item[]) => {
    batches.push(items);
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    return items.map((i) => `result-${i.id}`);
  };
  return { batches, run };
}

describe('DynamicBatcher', () => {
  it('groups concurrent requests and returns each caller its own result', async () => {
    const { batches, run } = recordingRunner(5);
    const b = new DynamicBatcher(run, cost, { maxBatchSize: 8, maxQueueDelayMs: 5 });
    const items = Array.from({ length: 20 }, (_, id) => ({ id, len: 3 + (id % 5) }));
    const results = await Promise.all(items.map((i) => b.submit(i)));
    expect(results).toEqual(items.map((i) => `result-${i.id}`));
    // Submitted in one tick, one run at a time: two full batches, then the rest.
    expect(batches.map((x) => x.length)).toEqual([8, 8, 4]);
  });

  it('runs a partial batch after maxQueueDelayMs', async () => {
    const { batches, run } = recordingRunner();
    const b = new DynamicBatcher(run, cost, { maxBatchSize: 64, maxQueueDelayMs: 20 });
    const t0 = Date.now();
    await Promise.all([b.submit({ id: 1, len: 2 }), b.submit({ id: 2, len: 2 })]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(15);
    expect(batches).toHaveLength(1);
    expect(batches[0]).toHaveLength(2);
  });

  it('respects the padded-token budget', async () => {
    const { batches, run } = recordingRunner(2);
    const b = new DynamicBatcher(run, cost, { maxBatchSize: 32, maxQueueDelayMs: 5, maxTokensPerBatch: 100 });
    await Promise.all(Array.from({ length: 30 }, (_, id) => b.submit({ id, len: 10 + (id % 3) * 10 })));
    for (const batch of batches) expect(batch.length * Math.max(...batch.map((i) => i.len))).toBeLessThanOrEqual(100);
  });

  it('refuses with RESOURCE_EXHAUSTED when the queue is full', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => { release = r; });
    const b = new DynamicBatcher(async (items: Item[]) => { await gate; return items.map(() => 'ok'); }, cost,
      { maxBatchSize: 1, maxQueueDelayMs: 0, maxQueueSize: 3 });
    const accepted = [0, 1, 2, 3].map((id) => b.submit({ id, len: 1 })); // 1 running + 3 queued
    await new Promise((r) => setImmediate(r));
    await expect(b.submit({ id: 9, len: 1 })).rejects.toMatchObject({ code: 'RESOURCE_EXHAUSTED', retriable: true });
    release();
    await expect(Promise.all(accepted)).resolves.toEqual(['ok', 'ok', 'ok', 'ok']);
  });

  it('rejects a request whose deadline passes while it waits, and still serves the others', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => { release = r; });
    const b = new DynamicBatcher(async (items: Item[]) => { await gate; return items.map((i) => i.id); }, cost,
      { maxBatchSize: 1, maxQueueDelayMs: 0 });
    const first = b.submit({ id: 1, len: 1 });
    const late = b.submit({ id: 2, len: 1 }, { deadline: Date.now() + 20 });
    const patient = b.submit({ id: 3, len: 1 });
    await expect(late).rejects.toMatchObject({ code: 'DEADLINE_EXCEEDED' });
    expect(b.queueDepth).toBe(1);
    release();
    await expect(Promise.all([first, patient])).resolves.toEqual([1, 3]);
  });

  it('rejects an already expired deadline and an aborted signal at once', async () => {
    const b = new DynamicBatcher(async (items: Item[]) => items.map(() => 1), cost);
    await expect(b.submit({ id: 1, len: 1 }, { deadline: Date.now() - 1 })).rejects.toMatchObject({ code: 'DEADLINE_EXCEEDED' });
    const ac = new AbortController();
    ac.abort();
    await expect(b.submit({ id: 1, len: 1 }, { signal: ac.signal })).rejects.toMatchObject({ code: 'DEADLINE_EXCEEDED' });
  });

  it('propagates a model failure to every caller of that batch only', async () => {
    let calls = 0;
    const b = new DynamicBatcher(async (items: Item[]) => {
      if (calls++ === 0) throw new Error('boom');
      return items.map((i) => i.id);
    }, cost, { maxBatchSize: 2, maxQueueDelayMs: 1 });
    const r = await Promise.allSettled([b.submit({ id: 1, len: 1 }), b.submit({ id: 2, len: 1 }), b.submit({ id: 3, len: 1 })]);
    expect(r.map((x) => x.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
  });

  it('drain finishes queued work and then refuses new work with UNAVAILABLE', async () => {
    const { run } = recordingRunner(5);
    const b = new DynamicBatcher(run, cost, { maxBatchSize: 2, maxQueueDelayMs: 50 });
    const pending = [b.submit({ id: 1, len: 1 }), b.submit({ id: 2, len: 1 }), b.submit({ id: 3, len: 1 })];
    await b.drain();
    await expect(Promise.all(pending)).resolves.toEqual(['result-1', 'result-2', 'result-3']);
    await expect(b.submit({ id: 4, len: 1 })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('removes its abort listener from a shared signal once each request settles', async () => {
    const { run } = recordingRunner();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => { release = r; });
    const b = new DynamicBatcher(async (items: Item[]) => { if (items.some((i) => i.id === 50)) await gate; return run(items); }, cost,
      { maxBatchSize: 4, maxQueueDelayMs: 1 });
    const shared = new AbortController().signal;
    await Promise.all(Array.from({ length: 10 }, (_, id) => b.submit({ id, len: 1 }, { signal: shared })));
    expect(getEventListeners(shared, 'abort')).toHaveLength(0);
    // A gated batch holds the only run slot, so request 99 surely waits until its deadline.
    const blocker = b.submitMany([50, 51, 52, 53].map((id) => ({ id, len: 1 })));
    const expired = b.submit({ id: 99, len: 1 }, { signal: shared, deadline: Date.now() + 5 });
    expect(getEventListeners(shared, 'abort')).toHaveLength(1);
    await expect(expired).rejects.toMatchObject({ code: 'DEADLINE_EXCEEDED' });
    expect(getEventListeners(shared, 'abort')).toHaveLength(0);
    release();
    await blocker;
  });

  it('adds one abort listener per submitMany request, however many items, and an abort withdraws all of them', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => { release = r; });
    const ran: number[] = [];
    const b = new DynamicBatcher(async (items: Item[]) => {
      if (items.some((i) => i.id === 0)) await gate;
      ran.push(...items.map((i) => i.id));
      return items.map((i) => `result-${i.id}`);
    }, cost, { maxBatchSize: 1, maxQueueDelayMs: 1, maxQueueSize: 200 });
    const blocker = b.submit({ id: 0, len: 1 }); // holds the only run slot
    const ac = new AbortController();
    const many = b.submitMany(Array.from({ length: 64 }, (_, i) => ({ id: i + 1, len: 1 })), { signal: ac.signal });
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(1);
    ac.abort();
    await expect(many).rejects.toMatchObject({ code: 'DEADLINE_EXCEEDED' });
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
    release();
    await blocker;
    expect(ran).toEqual([0]); // none of the 64 withdrawn items ran
  });

  it('keeps scheduling when the onBatch callback throws', async () => {
    const { batches, run } = recordingRunner();
    const logs: string[] = [];
    const b = new DynamicBatcher(run, cost, { maxBatchSize: 1, maxQueueDelayMs: 0 },
      () => { throw new Error('metrics exploded'); }, (m) => logs.push(m));
    const results = await Promise.all([1, 2, 3].map((id) => b.submit({ id, len: 1 })));
    expect(results).toEqual(['result-1', 'result-2', 'result-3']);
    await expect(b.submit({ id: 4, len: 1 })).resolves.toBe('result-4');
    await expect(b.drain()).resolves.toBeUndefined();
    expect(batches).toHaveLength(4);
    expect(logs[0]).toMatch(/onBatch callback failed: metrics exploded/);
  });

  it('drain gives up after its timeout when a run never finishes', async () => {
    const b = new DynamicBatcher<Item, string>(() => new Promise<string[]>(() => undefined), cost, { maxBatchSize: 1, maxQueueDelayMs: 0 });
    void b.submit({ id: 1, len: 1 });
    const t0 = Date.now();
    await expect(b.drain({ timeoutMs: 30 })).rejects.toMatchObject({
      code: 'DEADLINE_EXCEEDED', message: expect.stringMatching(/drain timed out after 30 ms with 1 batch\(es\) running/),
    });
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('drain timeout rejects the requests still queued behind a hung run with UNAVAILABLE (retriable), not the running one', async () => {
    const started: number[] = [];
    const b = new DynamicBatcher<Item, string>((items) => {
      started.push(...items.map((i) => i.id));
      return new Promise<string[]>(() => undefined); // hangs for ever
    }, cost, { maxBatchSize: 1, maxQueueDelayMs: 0 });
    const running = b.submit({ id: 1, len: 1 });
    const queued = [b.submit({ id: 2, len: 1 }), b.submitMany([{ id: 3, len: 1 }, { id: 4, len: 1 }])];
    const runningSettled = jest.fn();
    running.then(runningSettled, runningSettled);
    expect(b.queueDepth).toBe(3);
    await expect(b.drain({ timeoutMs: 30 })).rejects.toMatchObject({ code: 'DEADLINE_EXCEEDED' });
    expect(b.queueDepth).toBe(0);
    for (const q of queued) await expect(q).rejects.toMatchObject({ code: 'UNAVAILABLE', retriable: true });
    expect(started).toEqual([1]);
    expect(runningSettled).not.toHaveBeenCalled(); // its result is still delivered if the run ever ends
  });

  it('submitMany admits a request whole or not at all', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => { release = r; });
    const ran: number[] = [];
    const b = new DynamicBatcher(async (items: Item[]) => { await gate; ran.push(...items.map((i) => i.id)); return items.map((i) => i.id); }, cost,
      { maxBatchSize: 1, maxQueueDelayMs: 0, maxQueueSize: 3 });
    const first = b.submit({ id: 0, len: 1 }); // running
    const two = b.submitMany([{ id: 1, len: 1 }, { id: 2, len: 1 }]); // 2 of 3 queue slots
    await expect(b.submitMany([{ id: 3, len: 1 }, { id: 4, len: 1 }])).rejects.toMatchObject({ code: 'RESOURCE_EXHAUSTED' });
    expect(b.queueDepth).toBe(2);
    release();
    await expect(Promise.all([first, two])).resolves.toEqual([0, [1, 2]]);
    expect(ran).toEqual([0, 1, 2]);
  });

  it('submitMany withdraws the queued rest of a request when one of its items fails', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => { release = r; });
    const started: number[] = []; // recorded when a run starts, so a launched item counts even if never awaited
    const b = new DynamicBatcher(async (items: Item[]) => {
      started.push(...items.map((i) => i.id));
      await gate;
      if (items.some((i) => i.id === 3)) throw new Error('item 3 broke the model');
      return items.map((i) => i.id);
    }, cost, { maxBatchSize: 1, maxQueueDelayMs: 0 });
    const blocker = b.submit({ id: 0, len: 1 }); // running
    const failing = b.submitMany([{ id: 3, len: 1 }, { id: 4, len: 1 }]); // both queued, no deadline
    expect(b.queueDepth).toBe(2);
    release();
    await expect(failing).rejects.toThrow(/item 3 broke the model/);
    expect(b.queueDepth).toBe(0);
    expect(started).toEqual([0, 3]);
    await expect(blocker).resolves.toBe(0);
    await b.drain({ timeoutMs: 1000 });
    expect(started).toEqual([0, 3]); // item 4 never ran
  });

  it('validates its options', () => {
    expect(() => new DynamicBatcher(async () => [], cost, { maxBatchSize: 0 })).toThrow(/maxBatchSize must be an integer >= 1/);
    expect(() => new DynamicBatcher(async () => [], cost, { maxQueueDelayMs: -1 })).toThrow(/maxQueueDelayMs/);
  });
});

describe('selectBatch', () => {
  const mk = (seq: number, c: number) => ({ seq, cost: c });

  it('always includes the oldest request and prefers neighbours of similar length', () => {
    const waiting = [mk(0, 50), mk(1, 5), mk(2, 48), mk(3, 6), mk(4, 52), mk(5, 7)];
    const batch = selectBatch(waiting, 3, 10_000);
    expect(batch).toContain(waiting[0]);
    expect(batch.map((b) => b.cost).sort((a, b) => a - b)).toEqual([48, 50, 52]);
  });

  it('keeps padded tokens within budget', () => {
    const waiting = Array.from({ length: 10 }, (_, i) => mk(i, 10 * (i + 1)));
    const batch = selectBatch(waiting, 10, 200);
    expect(batch.length * Math.max(...batch.map((b) => b.cost))).toBeLessThanOrEqual(200);
    expect(batch).toContain(waiting[0]);
  });
});
