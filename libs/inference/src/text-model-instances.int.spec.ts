import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { resolveModelDir } from './model-store/resolve-model';
import { OPTIMIZED_GRAPH_FILE, OPTIMIZED_GRAPH_MARKER, OPTIMIZED_GRAPH_TOLERANCE } from './session/optimized-graph';
import { TextModel } from './text-model';

// Real sessions on a shared 2-core machine: loads take seconds.
jest.setTimeout(60_000);

const TEXTS = [
  'How do I reset my PIN?',
  'My card has not arrived yet and the tracking page shows nothing at all since Monday.',
  'Shares dropped steeply following the quarterly results.',
  'ok',
  'Why was my transfer declined when I have enough money in my account?',
  'Exchange rates changed my payment amount.',
];

const maxDiff = (a: Float32Array[], b: Float32Array[]) =>
  Math.max(...a.map((row, i) => Math.max(...row.map((v, k) => Math.abs(v - ((b[i] as Float32Array)[k] as number))))));

async function embed(dir: string, options: Parameters<typeof TextModel.load>[1]) {
  // One text per batch: int8 dynamic quantisation scales per batch tensor, so a text's
  // embedding depends on its batch mates; single-text batches make runs comparable.
  const model = await TextModel.load(dir, { executionProviders: ['cpu'], batching: { maxBatchSize: 1 }, ...options });
  try {
    // Concurrent single-text requests, so with N instances several batches run at once.
    const rows = (await Promise.all(TEXTS.map((t) => model.infer([t])))).map((r) => r[0] as Float32Array);
    return { rows, graph: model.graph, instances: model.instances };
  } finally {
    await model.dispose();
  }
}

describe('TextModel instances and the persisted ORT-optimised graph on the real int8 bge-small', () => {
  const source = resolveModelDir('int8', process.env);
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'opt-graph-'));
    // Without the shared cache dir's own persisted graph: a service persisting it meanwhile
    // renames its candidate away mid-copy (ENOENT), and this spec must start with none.
    cpSync(source, dir, { recursive: true, filter: (f) => !basename(f).startsWith('model.ort-optimized.') });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the same embeddings with 2 instances as with 1', async () => {
    const one = await embed(source, { instances: 1 });
    const two = await embed(source, { instances: 2 });
    expect(two.instances).toBe(2);
    expect(maxDiff(one.rows, two.rows)).toBeLessThan(1e-5);
  });

  it('persists the optimised graph once, verified, and loads it on the next start with the same outputs', async () => {
    const original = await embed(dir, { persistOptimizedGraph: false });
    expect(original.graph).toBe('original');

    const first = await embed(dir, { persistOptimizedGraph: true, instances: 2 });
    expect(first.graph).toBe('optimized-new');
    const marker = JSON.parse(readFileSync(join(dir, OPTIMIZED_GRAPH_MARKER), 'utf8')) as { maxAbsDiff: number; sourceFingerprint: string };
    expect(marker.maxAbsDiff).toBeLessThanOrEqual(OPTIMIZED_GRAPH_TOLERANCE);
    expect(existsSync(join(dir, OPTIMIZED_GRAPH_FILE))).toBe(true);

    const restart = await embed(dir, { persistOptimizedGraph: true });
    expect(restart.graph).toBe('optimized-cached');
    expect(maxDiff(original.rows, restart.rows)).toBeLessThan(OPTIMIZED_GRAPH_TOLERANCE);
    expect(maxDiff(original.rows, first.rows)).toBeLessThan(OPTIMIZED_GRAPH_TOLERANCE);
  });

  it('optimises again when the marker no longer names the model file (a changed model)', async () => {
    const markerPath = join(dir, OPTIMIZED_GRAPH_MARKER);
    const marker = JSON.parse(readFileSync(markerPath, 'utf8')) as Record<string, unknown>;
    writeFileSync(markerPath, JSON.stringify({ ...marker, sourceFingerprint: 'another model' }));
    const again = await embed(dir, { persistOptimizedGraph: true });
    expect(again.graph).toBe('optimized-new');
    expect((JSON.parse(readFileSync(markerPath, 'utf8')) as Record<string, unknown>)['sourceFingerprint']).toBe(marker['sourceFingerprint']);
  });
});
