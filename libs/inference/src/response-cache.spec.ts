import { cpSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { createInferenceMetrics, type InferenceMetrics } from './metrics';
import { ModelRepository } from './repository/model-repository';
import { RESPONSE_CACHE_ENTRY_OVERHEAD_BYTES, ResponseCache } from './response-cache';
import { TextModel } from './text-model';
import { fakeOrtSession, writeFakeModelDir } from './testing';

const row = (...values: number[]) => ({ row: Float32Array.from(values) });

describe('ResponseCache', () => {
  // One entry: key (version "v" + NUL + 28-char digest = 30 UTF-16 units) + a 4-float row + overhead.
  const entryBytes = 30 * 2 + 16 + RESPONSE_CACHE_ENTRY_OVERHEAD_BYTES;

  it('counts each entry\'s bytes and never holds more than maxBytes', () => {
    const cache = new ResponseCache(3 * entryBytes, 'v');
    for (let i = 0; i < 10; i++) {
      cache.set(cache.keyOf([i]), row(i, i, i, i));
      expect(cache.bytes).toBeLessThanOrEqual(3 * entryBytes);
    }
    expect(cache.size).toBe(3);
    expect(cache.bytes).toBe(3 * entryBytes);
    expect(cache.stats().evictions).toBe(7);
    // Embeddings count too: a 384-float embedding alone is over this cache's budget.
    cache.set(cache.keyOf([99]), { row: new Float32Array(4), embedding: new Float32Array(384) });
    expect(cache.get(cache.keyOf([99]))).toBeUndefined();
    expect(cache.size).toBe(3);
  });

  it('evicts the least recently used first, where a read counts as a use', () => {
    const cache = new ResponseCache(3 * entryBytes, 'v');
    const [a, b, c, d] = [[1], [2], [3], [4]].map((ids) => cache.keyOf(ids)) as [string, string, string, string];
    cache.set(a, row(1, 1, 1, 1));
    cache.set(b, row(2, 2, 2, 2));
    cache.set(c, row(3, 3, 3, 3));
    expect(cache.get(a)?.row[0]).toBe(1); // a is now the most recent; b the oldest
    cache.set(d, row(4, 4, 4, 4));
    expect(cache.get(b)).toBeUndefined();
    expect([a, c, d].map((k) => cache.get(k)?.row[0])).toEqual([1, 3, 4]);
    expect(cache.stats()).toMatchObject({ hits: 4, misses: 1, evictions: 1 });
  });

  it('keys by version: the same ids under another version are another entry', () => {
    const v1 = new ResponseCache(10_000, '/repo/intent/1');
    const v2 = new ResponseCache(10_000, '/repo/intent/2');
    expect(v1.keyOf([5, 6, 7])).toBe(v1.keyOf([5, 6, 7]));
    expect(v1.keyOf([5, 6, 7])).not.toBe(v2.keyOf([5, 6, 7]));
    expect(v1.keyOf([5, 6, 7])).not.toBe(v1.keyOf([5, 6, 8]));
  });

  it('hands out copies, so a caller editing its rows cannot change the cache', () => {
    const cache = new ResponseCache(10_000, 'v');
    const stored = row(1, 2);
    cache.set('k', stored);
    stored.row[0] = 42;
    const first = cache.get('k');
    (first as { row: Float32Array }).row[1] = 42;
    expect(Array.from(cache.get('k')?.row ?? [])).toEqual([1, 2]);
  });

  it('empties on close and ignores later results of runs that were in flight', () => {
    const cache = new ResponseCache(10_000, 'v');
    cache.set('k', row(1));
    cache.close();
    cache.set('late', row(2));
    expect(cache.size).toBe(0);
    expect(cache.bytes).toBe(0);
  });

  it('refuses a budget that is not a positive integer', () => {
    expect(() => new ResponseCache(0, 'v')).toThrow(RangeError);
    expect(() => new ResponseCache(1.5, 'v')).toThrow(/positive integer/);
  });
});

describe('TextModel with a response cache', () => {
  const labels = ['neg', 'pos'];

  function recordingMetrics() {
    const cache = { hits: 0, misses: 0, bytes: 0 };
    const metrics: InferenceMetrics = {
      observeBatch: () => undefined,
      observeRequest: () => undefined,
      observeCache: (_model, hits, misses, bytes) => {
        cache.hits += hits;
        cache.misses += misses;
        cache.bytes = bytes;
      },
    };
    return { metrics, cache };
  }

  it('answers repeated texts without running the graph, the normalised forms included, and reports hits and misses', async () => {
    const fake = fakeOrtSession({ width: 2, embeddingWidth: 3 });
    const { metrics, cache } = recordingMetrics();
    const model = await TextModel.load(writeFakeModelDir({ labels }), {
      createSession: fake.createSession, executionProviders: ['cpu'], responseCacheBytes: 64 * 1024, metrics, batching: { maxQueueDelayMs: 0 },
    });
    expect(fake.runs).toEqual([1]); // the warm-up, not cached
    const first = await model.inferWithEmbeddings(['hello world', 'a']);
    // Extra whitespace tokenises to the same ids: same entry, no run.
    const again = await model.inferWithEmbeddings(['  hello   world ', 'a']);
    expect(fake.runs).toEqual([1, 2]);
    expect(again.rows.map((r) => Array.from(r))).toEqual(first.rows.map((r) => Array.from(r)));
    expect(again.embeddings?.map((e) => Array.from(e))).toEqual(first.embeddings?.map((e) => Array.from(e)));
    // A mixed request sends only its miss to the graph.
    await model.infer(['a', 'b']);
    expect(fake.runs).toEqual([1, 2, 1]);
    expect(cache).toMatchObject({ hits: 3, misses: 3 });
    expect(cache.bytes).toBe(model.responseCache?.bytes);
    expect(model.responseCache).toMatchObject({ entries: 3, hits: 3, misses: 3 });
    await model.dispose();
    expect(model.responseCache).toMatchObject({ entries: 0, bytes: 0 });
  });

  it('is off unless asked for (encoders)', async () => {
    const fake = fakeOrtSession({ width: 4 });
    const model = await TextModel.load(writeFakeModelDir(), { createSession: fake.createSession, executionProviders: ['cpu'] });
    await model.infer(['a']);
    await model.infer(['a']);
    expect(fake.runs).toEqual([1, 1]);
    expect(model.responseCache).toBeUndefined();
    await model.dispose();
  });

  it('starts empty on a hot swap: the new version runs the graph again, the old cache is emptied', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cache-repo-'));
    const source = writeFakeModelDir({ labels });
    for (const version of ['1', '2']) {
      mkdirSync(join(root, 'intent'), { recursive: true });
      cpSync(source, join(root, 'intent', version), { recursive: true });
    }
    const fake = fakeOrtSession({ width: 2 });
    const { metrics, cache } = recordingMetrics();
    const repository = new ModelRepository({
      root,
      modelOptions: { createSession: fake.createSession, executionProviders: ['cpu'], responseCacheBytes: 64 * 1024, batching: { maxQueueDelayMs: 0 }, metrics },
    });
    const v1 = await repository.load('intent', '1');
    await repository.infer('intent', ['hello']);
    await repository.infer('intent', ['hello']);
    // TextModel's warm-up, the repository's warm-up text, then "hello" once: the repeat was a hit.
    expect(fake.runs).toEqual([1, 1, 1]);
    const oldModel = v1.textModel as TextModel;
    expect(oldModel.responseCache).toMatchObject({ entries: 2, hits: 1 });
    await repository.load('intent', '2');
    expect(oldModel.responseCache?.entries).toBe(0);
    await repository.infer('intent', ['hello']);
    expect(fake.runs).toEqual([1, 1, 1, 1, 1, 1]); // v2's two warm-ups, then "hello" misses
    // The repository's metrics wrapper passes the cache series through.
    expect(cache).toMatchObject({ hits: 1, misses: 4 });
    await repository.close();
  });
});

describe('response-cache metrics', () => {
  it('counts hits and misses per model and shows the cache bytes', async () => {
    const registry = new Registry();
    const metrics = createInferenceMetrics(registry);
    metrics.observeCache?.('support-intent', 3, 1, 2048);
    metrics.observeCache?.('support-intent', 0, 2, 4096);
    const lookups = await registry.getSingleMetricAsString('tuneline_inference_cache_lookups_total');
    expect(lookups).toContain('tuneline_inference_cache_lookups_total{model="support-intent",outcome="hit"} 3');
    expect(lookups).toContain('tuneline_inference_cache_lookups_total{model="support-intent",outcome="miss"} 3');
    expect(await registry.getSingleMetricAsString('tuneline_inference_cache_bytes')).toContain('tuneline_inference_cache_bytes{model="support-intent"} 4096');
  });
});
