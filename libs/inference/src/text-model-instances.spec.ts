import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OPTIMIZED_GRAPH_FILE, OPTIMIZED_GRAPH_MARKER, optimizedGraphPaths, promoteOptimizedGraph, sourceFingerprint } from './session/optimized-graph';
import { TextModel } from './text-model';
import { fakeOrtSession, writeFakeModelDir } from './testing';

function gate() {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((r) => { open = r; });
  return { open, wait: () => opened };
}

describe('TextModel with several instances', () => {
  it('runs one batch per instance at once, drains all of them, then releases every instance', async () => {
    const g = gate();
    let running = 0;
    let peak = 0;
    const fake = fakeOrtSession({
      width: 2,
      beforeRun: async () => {
        running++;
        peak = Math.max(peak, running);
        await g.wait();
        running--;
      },
    });
    const creates = jest.fn(fake.createSession);
    const dir = writeFakeModelDir();
    const model = await TextModel.load(dir, {
      createSession: creates, executionProviders: ['cpu'], instances: 2, batching: { maxBatchSize: 1, maxQueueDelayMs: 0 },
    });
    expect(creates).toHaveBeenCalledTimes(2);
    expect(creates.mock.calls.map(([, o]) => o.intraOpNumThreads)).toEqual([expect.any(Number), expect.any(Number)]);
    expect(model.instances).toBe(2);
    expect(model.batching.maxConcurrentBatches).toBe(2);
    expect(model.weightBytes).toBe(2 * statSync(join(dir, 'model.onnx')).size);

    const answers = Promise.all([model.infer(['a']), model.infer(['b']), model.infer(['c'])]);
    await new Promise((r) => setTimeout(r, 10));
    expect(peak).toBe(2); // two instances busy, the third request queued
    let disposed = false;
    const disposing = model.dispose().then(() => { disposed = true; });
    await new Promise((r) => setTimeout(r, 10));
    expect(disposed).toBe(false); // drain waits for both running batches and the queued one
    expect(fake.releases()).toBe(0); // no instance is freed under a live run
    g.open();
    await expect(answers).resolves.toHaveLength(3);
    await disposing;
    expect(fake.releases()).toBe(2);
    expect(fake.runs).toEqual([1, 1, 1]);
  });

  it('gives each of N instances cores / N threads unless threads are configured', async () => {
    const fake = fakeOrtSession({ width: 2 });
    const creates = jest.fn(fake.createSession);
    const four = await TextModel.load(writeFakeModelDir(), { createSession: creates, executionProviders: ['cpu'], instances: 4, intraOpNumThreads: 3 });
    expect(creates.mock.calls.map(([, o]) => o.intraOpNumThreads)).toEqual([3, 3, 3, 3]);
    await four.dispose();
    expect(fake.releases()).toBe(4);
  });

  it('releases the instances already created when a later one fails to load', async () => {
    const fake = fakeOrtSession({ width: 2 });
    let n = 0;
    const flaky: typeof fake.createSession = async (p, o) => {
      if (++n === 3) throw new Error('out of memory');
      return fake.createSession(p, o);
    };
    await expect(TextModel.load(writeFakeModelDir(), { createSession: flaky, executionProviders: ['cpu'], instances: 3 })).rejects.toThrow('out of memory');
    expect(fake.releases()).toBe(2);
  });

  it('refuses an instance count outside 1..16 before creating any session', async () => {
    const fake = fakeOrtSession({ width: 2 });
    const creates = jest.fn(fake.createSession);
    await expect(TextModel.load(writeFakeModelDir(), { createSession: creates, instances: 0 })).rejects.toThrow(RangeError);
    expect(creates).not.toHaveBeenCalled();
  });
});

describe('TextModel with a persisted optimised graph that cannot be loaded', () => {
  it('falls back to the model\'s own graph instead of failing the load', async () => {
    const dir = writeFakeModelDir();
    const onnx = join(dir, 'model.onnx');
    const graphPaths = optimizedGraphPaths(onnx);
    writeFileSync(graphPaths.candidate, 'truncated graph');
    await promoteOptimizedGraph(graphPaths, await sourceFingerprint(onnx), 0);
    const fake = fakeOrtSession({ width: 2 });
    const paths: string[] = [];
    const logs: string[] = [];
    const model = await TextModel.load(dir, {
      executionProviders: ['cpu'], persistOptimizedGraph: true, instances: 2, log: (m) => logs.push(m),
      createSession: async (path, o) => {
        paths.push(path);
        if (path.endsWith(OPTIMIZED_GRAPH_FILE)) throw new Error('protobuf parsing failed');
        return fake.createSession(path, o);
      },
    });
    expect(model.graph).toBe('original');
    expect(paths).toEqual([join(dir, OPTIMIZED_GRAPH_FILE), onnx, onnx]);
    expect(logs.some((l) => l.includes('protobuf parsing failed') && l.includes('using the original graph'))).toBe(true);
    // Its marker is dropped, so the next start optimises and verifies again instead of failing the same way.
    expect(existsSync(join(dir, OPTIMIZED_GRAPH_MARKER))).toBe(false);
    expect(await model.infer(['a'])).toHaveLength(1);
    await model.dispose();
  });
});
