import type * as ort from 'onnxruntime-node';
import { defaultIntraOpThreads, InstancePool, validateInstances } from './instance-pool';
import type { ModelSession } from './model-session';

function gate() {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((r) => { open = r; });
  return { open, wait: () => opened };
}

/** A session that records which instance ran and blocks each run on its gate. */
function blockingSession(id: number, log: number[], g: { wait: () => Promise<void> }, releaseError?: Error): ModelSession & { released: number } {
  const s = {
    released: 0,
    provider: 'cpu' as const,
    inputNames: ['input_ids'],
    outputNames: ['out'],
    async run(): Promise<Record<string, ort.Tensor>> {
      log.push(id);
      await g.wait();
      return {};
    },
    async release() {
      s.released++;
      if (releaseError) throw releaseError;
    },
  };
  return s;
}

describe('InstancePool', () => {
  it('sends concurrent runs to different free instances and makes a third wait for the first to free', async () => {
    const log: number[] = [];
    const g0 = gate();
    const g1 = gate();
    const pool = new InstancePool([blockingSession(0, log, g0), blockingSession(1, log, g1)]);
    const a = pool.run({});
    const b = pool.run({});
    const c = pool.run({});
    await new Promise((r) => setImmediate(r));
    expect(log).toEqual([0, 1]); // the third run waits: both instances are busy
    g1.open();
    await b;
    await new Promise((r) => setImmediate(r));
    expect(log).toEqual([0, 1, 1]); // it took instance 1, the one that freed
    g0.open();
    await Promise.all([a, c]);
    expect(pool.runsPerInstance).toEqual([1, 2]);
  });

  it('releases every instance, even when one release fails, and reports the failure', async () => {
    const g = gate();
    const ok = blockingSession(0, [], g);
    const bad = blockingSession(1, [], g, new Error('native release failed'));
    const last = blockingSession(2, [], g);
    await expect(new InstancePool([ok, bad, last]).release()).rejects.toThrow('native release failed');
    expect([ok.released, bad.released, last.released]).toEqual([1, 1, 1]);
  });

  it('refuses an empty pool and instance counts outside 1..16', () => {
    expect(() => new InstancePool([])).toThrow(RangeError);
    expect(() => validateInstances(0)).toThrow('instances must be an integer from 1 to 16, got 0');
    expect(() => validateInstances(1.5)).toThrow(RangeError);
    expect(validateInstances(4)).toBe(4);
  });

  it('gives one instance ORT\'s default threads and N instances cores / N each, never 0', () => {
    expect(defaultIntraOpThreads(1, 8)).toBe(0);
    expect(defaultIntraOpThreads(2, 8)).toBe(4);
    expect(defaultIntraOpThreads(4, 2)).toBe(1);
    expect(defaultIntraOpThreads(3, 8)).toBe(2);
  });
});
