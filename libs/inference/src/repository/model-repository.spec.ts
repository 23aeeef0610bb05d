import { cpSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelUnavailableError } from '../errors';
import type { InferenceMetrics } from '../metrics';
import { TextModel, type TextModelOptions } from '../text-model';
import { fakeOrtSession, writeFakeModelDir } from '../testing';
import { predictionsOf } from '../pipelines/classifier';
import { ModelRepository, type LoadModel } from './model-repository';

/**
 * A stand-in for TextModel with the same contract where it matters here: infer records one
 * request outcome on the metrics it was given, and rejects with UNAVAILABLE once disposed.
 * Its infer yields before checking, as a TextModel with async pre-processing would.
 */
interface FakeVersion {
  labels?: readonly string[];
  row?: readonly number[];
  embedding?: readonly number[];
  card?: Record<string, unknown>;
}

class FakeModel {
  disposed = false;
  /** What infer waits for before it looks at its state; tests hold requests with it. */
  hold: Promise<void> | undefined;
  /** What TextModel exposes of its directory that the repository reads: the labels. */
  readonly dir: { readonly labels?: readonly string[]; readonly card?: Record<string, unknown> };
  constructor(
    readonly path: string,
    private readonly options: TextModelOptions,
    private readonly version: FakeVersion = {},
  ) {
    this.dir = { ...(version.labels ? { labels: version.labels } : {}), ...(version.card ? { card: version.card } : {}) };
  }

  async inferWithEmbeddings(texts: readonly string[]): Promise<{ rows: Float32Array[]; embeddings: Float32Array[] | undefined }> {
    const rows = await this.infer(texts);
    const { embedding } = this.version;
    return { rows, embeddings: embedding ? texts.map(() => new Float32Array(embedding)) : undefined };
  }

  async infer(texts: readonly string[]): Promise<Float32Array[]> {
    await (this.hold ?? new Promise((r) => setImmediate(r)));
    if (this.disposed) {
      this.options.metrics?.observeRequest(this.options.name ?? '', 'cpu', 0, 'UNAVAILABLE');
      throw new ModelUnavailableError('model is draining or closed; retry');
    }
    this.options.metrics?.observeRequest(this.options.name ?? '', 'cpu', 0, 'ok');
    return texts.map(() => new Float32Array(this.version.row ?? [1]));
  }

  async dispose(): Promise<void> {
    this.disposed = true;
  }
}

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

function repoRoot(versions: string[]): string {
  const root = mkdtempSync(join(tmpdir(), 'repo-unit-'));
  for (const v of versions) mkdirSync(join(root, 'm', v), { recursive: true });
  return root;
}

/** A loader that records every fake model it made; `versions` gives a version's labels and output row. */
function fakeLoader(versions: Record<string, FakeVersion> = {}): { loadModel: LoadModel; made: FakeModel[] } {
  const made: FakeModel[] = [];
  const loadModel: LoadModel = async (path, options) => {
    const m = new FakeModel(path, options, versions[path.slice(path.lastIndexOf('/') + 1)]);
    made.push(m);
    return m as unknown as TextModel;
  };
  return { loadModel, made };
}

describe('ModelRepository (fake models)', () => {
  it('contains a throwing swap listener: the swap completes, the old version is disposed and load resolves', async () => {
    const { loadModel, made } = fakeLoader();
    const logs: string[] = [];
    const repo = new ModelRepository({ root: repoRoot(['1', '2']), loadModel, log: (m) => logs.push(m) });
    await repo.load('m', '1');
    const seen: string[] = [];
    repo.onSwap(() => {
      throw new Error('listener bug');
    });
    repo.onSwap((v) => seen.push(v.version));
    await expect(repo.load('m', '2')).resolves.toMatchObject({ version: '2' });
    expect(made[0]?.disposed).toBe(true);
    expect(seen).toEqual(['2']);
    expect(logs.join('\n')).toMatch(/swap listener threw: listener bug/);
    await repo.close();
  });

  it('an old version whose dispose rejects (drain timed out) does not fail the load: the new version serves', async () => {
    const { loadModel, made } = fakeLoader();
    const logs: string[] = [];
    const repo = new ModelRepository({ root: repoRoot(['1', '2']), loadModel, log: (m) => logs.push(m) });
    await repo.load('m', '1');
    const old = made[0] as FakeModel;
    const dispose = jest.fn(async () => {
      old.disposed = true;
      throw Object.assign(new Error('drain timed out after 30000 ms with 1 batch(es) running'), { code: 'DEADLINE_EXCEEDED' });
    });
    old.dispose = dispose;
    await expect(repo.load('m', '2')).resolves.toMatchObject({ version: '2' });
    expect(dispose).toHaveBeenCalledTimes(1);
    expect(repo.currentVersion('m')).toBe('2');
    expect((await repo.infer('m', ['after'])).version).toBe('2');
    expect(logs.join('\n')).toMatch(/disposing version 1 of m failed: drain timed out/);
    await repo.close();
  });

  it('close() waits for a load in flight and disposes what it produced; load after close rejects', async () => {
    const gate = deferred<void>();
    const started = deferred<void>();
    const made: FakeModel[] = [];
    const loadModel: LoadModel = async (path, options) => {
      started.resolve();
      await gate.promise;
      const m = new FakeModel(path, options);
      made.push(m);
      return m as unknown as TextModel;
    };
    const repo = new ModelRepository({ root: repoRoot(['1']), loadModel });
    const loading = repo.load('m', '1');
    await started.promise; // the session is being created
    const closing = repo.close();
    gate.resolve();
    await expect(loading).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await closing;
    expect(made).toHaveLength(1);
    expect(made[0]?.disposed).toBe(true);
    expect(repo.isReady('m')).toBe(false);
    await expect(repo.load('m', '1')).rejects.toThrow(/closed/);
  });

  it('does not count a request that hit the draining old version and was retried as UNAVAILABLE', async () => {
    const outcomes: string[] = [];
    const metrics: InferenceMetrics = { observeBatch: () => undefined, observeRequest: (_m, _p, _s, outcome) => outcomes.push(outcome) };
    const { loadModel, made } = fakeLoader();
    const repo = new ModelRepository({ root: repoRoot(['1', '2']), loadModel, modelOptions: { metrics } });
    await repo.load('m', '1');
    outcomes.length = 0; // the warm-up request
    // Requests that picked version 1 before the swap reach it after it was disposed.
    const gate = deferred<void>();
    (made[0] as FakeModel).hold = gate.promise;
    const inFlight = Array.from({ length: 4 }, () => repo.infer('m', ['hello']));
    await repo.load('m', '2');
    gate.resolve();
    const results = await Promise.all(inFlight);
    expect(results.map((r) => r.version)).toEqual(['2', '2', '2', '2']);
    expect(outcomes).not.toContain('UNAVAILABLE');
    expect(outcomes.filter((o) => o === 'retried')).toHaveLength(4);
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(4 + 1); // the retries and version 2's warm-up
    await repo.close();
  });

  it('returns embeddings (when asked) and the card of the version that produced the rows, also after a swap-retry', async () => {
    const { loadModel, made } = fakeLoader({
      '1': { labels: ['a', 'b'], embedding: [1, 0], card: { baseModel: { sha256: 'base-1' } } },
      '2': { labels: ['a', 'b'], embedding: [0, 1], card: { baseModel: { sha256: 'base-2' } } },
      '3': { labels: ['a', 'b'] },
    });
    const repo = new ModelRepository({ root: repoRoot(['1', '2', '3']), loadModel });
    await repo.load('m', '1');
    const plain = await repo.infer('m', ['x']);
    expect(plain.embeddings).toBeUndefined();
    expect(plain.card).toEqual({ baseModel: { sha256: 'base-1' } });
    const gate = deferred<void>();
    (made[0] as FakeModel).hold = gate.promise;
    const inFlight = repo.infer('m', ['y'], { withEmbedding: true });
    await repo.load('m', '2');
    gate.resolve();
    const result = await inFlight;
    expect(result).toMatchObject({ version: '2', card: { baseModel: { sha256: 'base-2' } } });
    expect(result.embeddings?.map((e) => Array.from(e))).toEqual([[0, 1]]);
    await repo.load('m', '3'); // a graph without the output, no card
    const old = await repo.infer('m', ['z'], { withEmbedding: true });
    expect(old).not.toHaveProperty('embeddings');
    expect(old).not.toHaveProperty('card');
    await repo.close();
  });

  it('returns the labels of the version that produced the rows, also when a swap made it retry on a version with reordered labels', async () => {
    // Version 2 lists the same labels in another order: its column 0 is "refund", not "card".
    const { loadModel, made } = fakeLoader({
      '1': { labels: ['card', 'refund'], row: [0.9, 0.1] },
      '2': { labels: ['refund', 'card'], row: [0.8, 0.2] },
    });
    const repo = new ModelRepository({ root: repoRoot(['1', '2']), loadModel });
    await repo.load('m', '1');
    expect(await repo.infer('m', ['x'])).toMatchObject({ version: '1', labels: ['card', 'refund'] });
    const gate = deferred<void>();
    (made[0] as FakeModel).hold = gate.promise;
    const inFlight = repo.infer('m', ['my refund']); // picked version 1 (and its labels) before the swap
    await repo.load('m', '2');
    gate.resolve();
    const result = await inFlight;
    expect(result.version).toBe('2');
    expect(Array.from(result.rows[0] as Float32Array)).toEqual([expect.closeTo(0.8), expect.closeTo(0.2)]);
    expect(result.labels).toEqual(['refund', 'card']);
    // Read together, the best label is version 2's column 0.
    expect(predictionsOf(result.rows, result.labels as readonly string[])[0]).toMatchObject({ label: 'refund', scores: { refund: expect.closeTo(0.8), card: expect.closeTo(0.2) } });
    await repo.close();
  });

  it('a validate hook that rejects the candidate disposes it and keeps the old version serving', async () => {
    const { loadModel, made } = fakeLoader();
    const repo = new ModelRepository({ root: repoRoot(['1', '2']), loadModel });
    await repo.load('m', '1');
    const validate = jest.fn((candidate: { version: string }) => {
      throw new Error(`labels of ${candidate.version} are wrong`);
    });
    await expect(repo.load('m', '2', { validate })).rejects.toThrow(/labels of 2 are wrong/);
    expect(validate).toHaveBeenCalledTimes(1);
    expect(made[1]?.disposed).toBe(true);
    expect(made[0]?.disposed).toBe(false);
    expect(repo.currentVersion('m')).toBe('1');
    expect((await repo.infer('m', ['still here'])).version).toBe('1');
    await repo.close();
  });

  it('a candidate whose warm-up fails is disposed and the old version keeps serving', async () => {
    const made: FakeModel[] = [];
    const loadModel: LoadModel = async (path, options) => {
      const m = new FakeModel(path, options);
      if (path.endsWith('2')) m.infer = () => Promise.reject(new Error('graph crashed'));
      made.push(m);
      return m as unknown as TextModel;
    };
    const repo = new ModelRepository({ root: repoRoot(['1', '2']), loadModel });
    await repo.load('m', '1');
    await expect(repo.load('m', '2')).rejects.toThrow(/graph crashed/);
    expect(made[1]?.disposed).toBe(true);
    expect(repo.currentVersion('m')).toBe('1');
    await repo.close();
  });

  it('serialises concurrent loads of one model and forgets each load once it settles', async () => {
    const gate = deferred<void>();
    const order: string[] = [];
    const made: FakeModel[] = [];
    const loadModel: LoadModel = async (path, options) => {
      order.push(`start ${path.slice(-1)}`);
      if (path.endsWith('2')) await gate.promise;
      order.push(`end ${path.slice(-1)}`);
      const m = new FakeModel(path, options);
      made.push(m);
      return m as unknown as TextModel;
    };
    const repo = new ModelRepository({ root: repoRoot(['2', '3']), loadModel });
    const loadsInFlight = () => (repo as unknown as { loading: Map<string, unknown> }).loading.size;
    const two = repo.load('m', '2');
    const three = repo.load('m', '3');
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual(['start 2']); // 3 waits for 2's swap
    expect(loadsInFlight()).toBe(1);
    gate.resolve();
    await expect(Promise.all([two, three])).resolves.toMatchObject([{ version: '2' }, { version: '3' }]);
    expect(order).toEqual(['start 2', 'end 2', 'start 3', 'end 3']);
    expect(repo.currentVersion('m')).toBe('3');
    expect(made[0]?.disposed).toBe(true);
    expect(loadsInFlight()).toBe(0);
    await expect(repo.load('m', '9')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(loadsInFlight()).toBe(0);
    await repo.close();
  });

  it('reports the version served (undefined before the first load) and its root', async () => {
    const { loadModel } = fakeLoader();
    const root = repoRoot(['3']);
    const repo = new ModelRepository({ root, loadModel });
    expect(repo.root).toBe(root);
    expect(repo.currentVersion('m')).toBeUndefined();
    await repo.load('m');
    expect(repo.currentVersion('m')).toBe('3');
    await repo.close();
  });
});

describe('ModelRepository (TextModel on fake sessions)', () => {
  it('a request queued behind a hung run of the old version is retried on the new one once the drain times out', async () => {
    const root = mkdtempSync(join(tmpdir(), 'repo-hung-'));
    for (const v of ['1', '2']) cpSync(writeFakeModelDir(), join(root, 'm', v), { recursive: true });
    let v1Runs = 0;
    const v1 = fakeOrtSession({ width: 2, beforeRun: () => (v1Runs++ === 0 ? undefined : new Promise<void>(() => undefined)) }); // warm-up, then hangs
    const v2 = fakeOrtSession({ width: 2 });
    const loadModel: LoadModel = async (path, options) => {
      const model = await TextModel.load(path, { ...options, createSession: (path.endsWith('1') ? v1 : v2).createSession });
      const dispose = model.dispose.bind(model);
      model.dispose = () => dispose({ timeoutMs: 30 }); // the default drain timeout is 30 s
      return model;
    };
    const repo = new ModelRepository({
      root, loadModel, modelOptions: { executionProviders: ['cpu'], batching: { maxBatchSize: 1, maxQueueDelayMs: 0 } },
    });
    await repo.load('m', '1');
    void repo.infer('m', ['a']); // runs on version 1 and never finishes
    const queued = repo.infer('m', ['b']); // waits behind it
    expect(repo.get('m').textModel.queueDepth).toBe(1);
    await expect(repo.load('m', '2')).resolves.toMatchObject({ version: '2' });
    const outcome = await Promise.race([queued, new Promise((r) => setTimeout(() => r('still queued on version 1'), 1000))]);
    expect(outcome).toMatchObject({ version: '2', rows: [expect.any(Float32Array)] });
    expect(v2.runs).toEqual([1, 1]); // version 2's warm-up and the retried request
  });
  it('a swap drains and releases every instance of the old version; the new one serves with as many', async () => {
    const root = mkdtempSync(join(tmpdir(), 'repo-instances-'));
    for (const v of ['1', '2']) cpSync(writeFakeModelDir(), join(root, 'm', v), { recursive: true });
    const v1 = fakeOrtSession({ width: 2 });
    const v2 = fakeOrtSession({ width: 2 });
    const loadModel: LoadModel = (path, options) => TextModel.load(path, { ...options, createSession: (path.endsWith('1') ? v1 : v2).createSession });
    const repo = new ModelRepository({ root, loadModel, modelOptions: { executionProviders: ['cpu'], instances: 3 } });
    await repo.load('m', '1');
    await repo.infer('m', ['a']);
    await repo.load('m', '2');
    expect(v1.releases()).toBe(3);
    expect(v2.releases()).toBe(0);
    expect((repo.get('m').textModel as TextModel).instances).toBe(3);
    await repo.close();
    expect(v2.releases()).toBe(3);
  });
});
