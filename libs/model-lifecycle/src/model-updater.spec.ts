import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ModelPublished } from '@tuneline/events';
import { OPTIMIZED_GRAPH_FILE, OPTIMIZED_GRAPH_MARKER, type LoadedVersion, type LoadOptions, type TextModel } from '@tuneline/inference';
import { STAGING_PREFIX, sweepStaging } from './materialize-version';
import { ModelUpdater } from './model-updater';
import type { ServingRepository } from './serving-repository';
import type { SwapMetrics, SwapOutcome } from './swap-metrics';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/** A published version directory on the "trainer's" disk. */
function publishedDir(labels: string[], onnx = 'onnx-bytes', tokenizer = '{"tok":1}'): string {
  const dir = mkdtempSync(join(tmpdir(), 'published-'));
  writeFileSync(join(dir, 'model.onnx'), onnx);
  writeFileSync(join(dir, 'tokenizer.json'), tokenizer);
  writeFileSync(join(dir, 'labels.json'), JSON.stringify(labels));
  return dir;
}

function eventFor(dir: string, version: string, labels: string[], over: Partial<ModelPublished> = {}): ModelPublished {
  return {
    model: 'intent', version, path: dir, uri: pathToFileURL(dir).href, sha256: sha('onnx-bytes'), tokenizerSha256: sha('{"tok":1}'),
    task: 'classification', labels, metrics: { accuracy: 0.9, macroF1: 0.9 }, publishedAt: '2026-11-28T10:00:00.000Z', ...over,
  };
}

/** Serves whatever directory load() is pointed at; reads its labels like a TextModel would. */
class FakeRepository implements ServingRepository {
  readonly root = mkdtempSync(join(tmpdir(), 'serving-'));
  private served: LoadedVersion | undefined;
  loads: string[] = [];
  failLoad: Error | undefined;
  /** Swaps, then rejects (e.g. the old version's dispose timed out). */
  rejectAfterSwap: Error | undefined;

  constructor(initial?: { version: string; labels: string[] }) {
    if (initial) this.served = this.fake(initial.version, initial.labels);
  }

  private fake(version: string, labels: string[]): LoadedVersion {
    return { model: 'intent', version, textModel: { dir: { labels } } as unknown as TextModel };
  }

  currentVersion(): string | undefined {
    return this.served?.version;
  }

  get(): LoadedVersion {
    if (!this.served) throw new Error('not loaded');
    return this.served;
  }

  async load(model: string, version = '', options: LoadOptions = {}): Promise<LoadedVersion> {
    this.loads.push(version);
    if (this.failLoad) throw this.failLoad;
    const dir = join(this.root, model, version);
    const labels = JSON.parse(readFileSync(join(dir, 'labels.json'), 'utf8')) as string[];
    const candidate = this.fake(version, labels);
    await options.validate?.(candidate);
    this.served = candidate;
    if (this.rejectAfterSwap) throw this.rejectAfterSwap;
    return candidate;
  }
}

function countingMetrics(): SwapMetrics & { counts: Record<string, number> } {
  const counts: Record<string, number> = {};
  return {
    counts,
    observe: (model: string, outcome: SwapOutcome) => {
      counts[`${model}:${outcome}`] = (counts[`${model}:${outcome}`] ?? 0) + 1;
    },
    observeSwapSeconds: () => undefined,
  };
}

const LABELS = ['billing', 'card'];

describe('ModelUpdater (fake repository)', () => {
  it('copies a file:// version into the repository, verifies it and swaps', async () => {
    const repo = new FakeRepository({ version: '1', labels: LABELS });
    const metrics = countingMetrics();
    const updater = new ModelUpdater({ repository: repo, models: ['intent'], metrics });
    const result = await updater.apply(eventFor(publishedDir([...LABELS, 'refund']), '2', [...LABELS, 'refund']));
    expect(result).toEqual({ outcome: 'swapped', model: 'intent', version: '2' });
    expect(repo.currentVersion()).toBe('2');
    expect(existsSync(join(repo.root, 'intent', '2', 'model.onnx'))).toBe(true);
    expect(readdirSync(join(repo.root, 'intent'))).toEqual(['2']); // no staging left behind
    expect(metrics.counts).toEqual({ 'intent:swapped': 1 });
    expect(updater.state()['intent']).toMatchObject({ servedVersion: '2', lastEvent: { version: '2', outcome: 'swapped' } });
  });

  it('with keepVersions, keeps only the newest versions after each swap; hidden and set-aside dirs untouched; off by default', async () => {
    const repo = new FakeRepository({ version: '1', labels: LABELS });
    mkdirSync(join(repo.root, 'intent', '1'), { recursive: true });
    mkdirSync(join(repo.root, 'intent', '.rejected-9-20261130'), { recursive: true });
    mkdirSync(join(repo.root, 'intent', '99.tmp-123-456'), { recursive: true });
    const updater = new ModelUpdater({ repository: repo, models: ['intent'], metrics: countingMetrics(), keepVersions: 2 });
    for (const v of ['2', '3', '10']) expect((await updater.apply(eventFor(publishedDir(LABELS), v, LABELS))).outcome).toBe('swapped');
    // Numeric order: 10 is newer than 3.
    expect(readdirSync(join(repo.root, 'intent')).sort()).toEqual(['.rejected-9-20261130', '10', '3', '99.tmp-123-456']);
    const keepAll = new FakeRepository({ version: '1', labels: LABELS });
    const unpruned = new ModelUpdater({ repository: keepAll, models: ['intent'], metrics: countingMetrics() });
    for (const v of ['2', '3']) await unpruned.apply(eventFor(publishedDir(LABELS), v, LABELS));
    expect(readdirSync(join(keepAll.root, 'intent')).sort()).toEqual(['2', '3']);
    expect(() => new ModelUpdater({ repository: keepAll, models: ['intent'], metrics: countingMetrics(), keepVersions: 0 })).toThrow(/keepVersions/);
  });

  it('does not copy a persisted ORT-optimised graph (or one mid-write) from a file:// version', async () => {
    const repo = new FakeRepository({ version: '1', labels: LABELS });
    const updater = new ModelUpdater({ repository: repo, models: ['intent'], metrics: countingMetrics() });
    const dir = publishedDir(LABELS);
    for (const f of [OPTIMIZED_GRAPH_FILE, OPTIMIZED_GRAPH_MARKER, `${OPTIMIZED_GRAPH_FILE}.tmp-123-abcd`]) writeFileSync(join(dir, f), 'x');
    expect(await updater.apply(eventFor(dir, '2', LABELS))).toMatchObject({ outcome: 'swapped' });
    expect(readdirSync(join(repo.root, 'intent', '2')).sort()).toEqual(['labels.json', 'model.onnx', 'tokenizer.json']);
  });

  it('skips versions not newer than the served one and other models, with a reason and a count', async () => {
    const repo = new FakeRepository({ version: '10', labels: LABELS });
    const metrics = countingMetrics();
    const updater = new ModelUpdater({ repository: repo, models: ['intent'], metrics });
    const dir = publishedDir(LABELS);
    expect(await updater.apply(eventFor(dir, '9', LABELS))).toMatchObject({ outcome: 'skipped_stale', reason: 'version 9 is not newer than the served 10' });
    expect(await updater.apply(eventFor(dir, '10', LABELS))).toMatchObject({ outcome: 'skipped_stale' });
    expect(await updater.apply(eventFor(dir, '11', LABELS, { model: 'sentiment' }))).toMatchObject({ outcome: 'skipped_other_model' });
    expect(repo.loads).toEqual([]);
    expect(metrics.counts).toEqual({ 'intent:skipped_stale': 2, '(other):skipped_other_model': 1 });
  });

  it('refuses a model.onnx or tokenizer.json whose sha256 differs, before loading, and leaves nothing in the repository', async () => {
    const repo = new FakeRepository({ version: '1', labels: LABELS });
    const metrics = countingMetrics();
    const updater = new ModelUpdater({ repository: repo, models: ['intent'], metrics });
    const tampered = publishedDir(LABELS, 'tampered-onnx');
    const r1 = await updater.apply(eventFor(tampered, '2', LABELS));
    expect(r1).toMatchObject({ outcome: 'rejected_checksum', reason: expect.stringMatching(/model\.onnx: sha256 .* does not match the published/) });
    const badTokenizer = publishedDir(LABELS, 'onnx-bytes', '{"tok":2}');
    expect(await updater.apply(eventFor(badTokenizer, '2', LABELS))).toMatchObject({ outcome: 'rejected_checksum', reason: expect.stringMatching(/tokenizer\.json/) });
    expect(repo.loads).toEqual([]);
    expect(repo.currentVersion()).toBe('1');
    expect(readdirSync(join(repo.root, 'intent'))).toEqual([]);
    expect(metrics.counts).toEqual({ 'intent:rejected_checksum': 2 });
  });

  it('refuses labels.json that differs from the event, and labels the policy forbids', async () => {
    const repo = new FakeRepository({ version: '1', labels: LABELS });
    const metrics = countingMetrics();
    const superset = new ModelUpdater({ repository: repo, models: ['intent'], metrics });
    expect(await superset.apply(eventFor(publishedDir(['card']), '2', ['card']))).toMatchObject({ outcome: 'rejected_labels', reason: expect.stringMatching(/drops served label\(s\) billing/) });
    expect(await superset.apply(eventFor(publishedDir(LABELS), '2', ['card', 'billing']))).toMatchObject({ outcome: 'rejected_labels', reason: expect.stringMatching(/differs from the event/) });
    const same = new ModelUpdater({ repository: repo, models: ['intent'], metrics, labelPolicy: 'same' });
    expect(await same.apply(eventFor(publishedDir([...LABELS, 'x']), '2', [...LABELS, 'x']))).toMatchObject({ outcome: 'rejected_labels' });
    const any = new ModelUpdater({ repository: repo, models: ['intent'], metrics, labelPolicy: 'any' });
    expect(await any.apply(eventFor(publishedDir(['other']), '2', ['other']))).toMatchObject({ outcome: 'swapped' });
    expect(metrics.counts).toEqual({ 'intent:rejected_labels': 3, 'intent:swapped': 1 });
  });

  it('counts a load failure, keeps the old version and removes the copy so it is not picked as latest later', async () => {
    const repo = new FakeRepository({ version: '1', labels: LABELS });
    repo.failLoad = new Error('onnxruntime: invalid graph');
    const metrics = countingMetrics();
    const updater = new ModelUpdater({ repository: repo, models: ['intent'], metrics });
    const r = await updater.apply(eventFor(publishedDir(LABELS), '2', LABELS));
    expect(r).toMatchObject({ outcome: 'failed_load', reason: 'onnxruntime: invalid graph' });
    expect(repo.currentVersion()).toBe('1');
    expect(existsSync(join(repo.root, 'intent', '2'))).toBe(false);
  });

  it('counts a load that swapped and then rejected as swapped and keeps the served directory', async () => {
    const repo = new FakeRepository({ version: '1', labels: LABELS });
    repo.rejectAfterSwap = new Error('dispose of version 1 timed out');
    const metrics = countingMetrics();
    const updater = new ModelUpdater({ repository: repo, models: ['intent'], metrics });
    const r = await updater.apply(eventFor(publishedDir(LABELS), '2', LABELS));
    expect(r).toEqual({ outcome: 'swapped', model: 'intent', version: '2' });
    expect(repo.currentVersion()).toBe('2');
    expect(existsSync(join(repo.root, 'intent', '2', 'model.onnx'))).toBe(true);
    expect(metrics.counts).toEqual({ 'intent:swapped': 1 });
  });

  it('refuses a candidate the service validate hook rejects', async () => {
    const repo = new FakeRepository({ version: '1', labels: LABELS });
    const metrics = countingMetrics();
    const updater = new ModelUpdater({ repository: repo, models: ['intent'], metrics, validate: () => { throw new Error('smoke text misclassified'); } });
    expect(await updater.apply(eventFor(publishedDir(LABELS), '2', LABELS))).toMatchObject({ outcome: 'failed_load', reason: 'smoke text misclassified' });
    expect(repo.currentVersion()).toBe('1');
  });

  it('counts malformed values and unreachable sources without throwing', async () => {
    const repo = new FakeRepository();
    const metrics = countingMetrics();
    const updater = new ModelUpdater({ repository: repo, models: ['intent'], metrics, fetchAttempts: 1 });
    expect(await updater.apply({ model: 'intent' })).toMatchObject({ outcome: 'rejected_malformed' });
    const gone = eventFor('/nonexistent/intent/2', '2', LABELS);
    expect(await updater.apply({ ...gone, uri: undefined })).toMatchObject({ outcome: 'failed_fetch', reason: expect.stringMatching(/does not exist here/) });
    expect(metrics.counts).toEqual({ '(other):rejected_malformed': 1, 'intent:failed_fetch': 1 });
  });

  it('sets a version found in place aside when its checks or its load fail, so a restart cannot serve it', async () => {
    const repo = new FakeRepository({ version: '1', labels: LABELS });
    const metrics = countingMetrics();
    const updater = new ModelUpdater({ repository: repo, models: ['intent'], metrics });
    const inPlace = (version: string, onnx: string): string => {
      const dir = join(repo.root, 'intent', version);
      mkdirSync(dir, { recursive: true });
      for (const [f, c] of [['model.onnx', onnx], ['tokenizer.json', '{"tok":1}'], ['labels.json', JSON.stringify(LABELS)]] as const) writeFileSync(join(dir, f), c);
      return dir;
    };
    const bad = inPlace('3', 'tampered-onnx');
    expect(await updater.apply({ ...eventFor(bad, '3', LABELS), uri: undefined })).toMatchObject({ outcome: 'rejected_checksum' });
    const unloadable = inPlace('4', 'onnx-bytes');
    repo.failLoad = new Error('onnxruntime: invalid graph');
    expect(await updater.apply({ ...eventFor(unloadable, '4', LABELS), uri: undefined })).toMatchObject({ outcome: 'failed_load' });
    expect(repo.currentVersion()).toBe('1');
    const names = readdirSync(join(repo.root, 'intent')).sort();
    expect(names).toEqual([expect.stringMatching(/^\.rejected-3-\d{8}T\d{9}Z$/), expect.stringMatching(/^\.rejected-4-\d{8}T\d{9}Z$/)]);
    expect(readFileSync(join(repo.root, 'intent', names[0] ?? '', 'model.onnx'), 'utf8')).toBe('tampered-onnx'); // kept for a look
    expect(metrics.counts).toEqual({ 'intent:rejected_checksum': 1, 'intent:failed_load': 1 });
  });

  it('uses a version already in the repository in place (path inside the root)', async () => {
    const repo = new FakeRepository();
    const dir = join(repo.root, 'intent', '3');
    mkdirSync(dir, { recursive: true });
    for (const [f, c] of [['model.onnx', 'onnx-bytes'], ['tokenizer.json', '{"tok":1}'], ['labels.json', JSON.stringify(LABELS)]] as const) writeFileSync(join(dir, f), c);
    const updater = new ModelUpdater({ repository: repo, models: ['intent'], metrics: countingMetrics() });
    expect(await updater.apply({ ...eventFor(dir, '3', LABELS), uri: undefined })).toMatchObject({ outcome: 'swapped' });
  });
});

describe('sweepStaging', () => {
  it("removes only staging dirs a killed process left under the followed models' dirs", async () => {
    const root = mkdtempSync(join(tmpdir(), 'serving-'));
    for (const d of ['intent/.tmp-2-0a1b2c3d/model.onnx.part', 'intent/2', 'intent/.rejected-1-20261128T100000000Z', 'other/.tmp-5-00000000']) mkdirSync(join(root, d), { recursive: true });
    const removed = await sweepStaging(root, ['intent', 'absent']);
    expect(removed).toEqual([join(root, 'intent', `${STAGING_PREFIX}2-0a1b2c3d`)]);
    expect(readdirSync(join(root, 'intent')).sort()).toEqual(['.rejected-1-20261128T100000000Z', '2']);
    expect(readdirSync(join(root, 'other'))).toEqual(['.tmp-5-00000000']); // not followed: not ours to touch
  });
});
