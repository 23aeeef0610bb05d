import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  cachedOptimizedGraph, OPTIMIZED_GRAPH_FILE, OPTIMIZED_GRAPH_MARKER, optimizedGraphPaths, promoteOptimizedGraph, sourceFingerprint,
} from './optimized-graph';

function modelWithCandidate(): string {
  const dir = mkdtempSync(join(tmpdir(), 'opt-graph-unit-'));
  const onnx = join(dir, 'model.onnx');
  writeFileSync(onnx, 'original graph');
  writeFileSync(optimizedGraphPaths(onnx).candidate, 'optimised graph');
  return onnx;
}

describe('persisted ORT-optimised graph', () => {
  it('keeps a candidate within tolerance and serves it while the marker names this model and ORT', async () => {
    const onnx = modelWithCandidate();
    const fp = await sourceFingerprint(onnx);
    expect(await cachedOptimizedGraph(onnx, fp)).toBeUndefined();
    const kept = await promoteOptimizedGraph(onnx, fp, 3e-6);
    expect(kept).toBe(join(onnx, '..', OPTIMIZED_GRAPH_FILE));
    expect(readFileSync(kept as string, 'utf8')).toBe('optimised graph');
    expect(existsSync(optimizedGraphPaths(onnx).candidate)).toBe(false);
    expect(await cachedOptimizedGraph(onnx, fp)).toBe(kept);
    expect(await cachedOptimizedGraph(onnx, 'another size:another mtime')).toBeUndefined();
  });

  it('rejects and deletes a candidate whose outputs differ beyond 1e-4, or are not numbers', async () => {
    for (const diff of [2e-4, Number.NaN, Infinity]) {
      const onnx = modelWithCandidate();
      expect(await promoteOptimizedGraph(onnx, await sourceFingerprint(onnx), diff)).toBeUndefined();
      expect(existsSync(optimizedGraphPaths(onnx).candidate)).toBe(false);
      expect(existsSync(join(onnx, '..', OPTIMIZED_GRAPH_MARKER))).toBe(false);
    }
  });

  it('ignores a graph whose marker names another ORT version or CPU, or is unreadable', async () => {
    const onnx = modelWithCandidate();
    const fp = await sourceFingerprint(onnx);
    await promoteOptimizedGraph(onnx, fp, 0);
    const marker = join(onnx, '..', OPTIMIZED_GRAPH_MARKER);
    const parsed = JSON.parse(readFileSync(marker, 'utf8')) as Record<string, unknown>;
    writeFileSync(marker, JSON.stringify({ ...parsed, ortVersion: '0.0.1' }));
    expect(await cachedOptimizedGraph(onnx, fp)).toBeUndefined();
    writeFileSync(marker, JSON.stringify({ ...parsed, cpu: 'another CPU' }));
    expect(await cachedOptimizedGraph(onnx, fp)).toBeUndefined();
    writeFileSync(marker, JSON.stringify(parsed));
    expect(await cachedOptimizedGraph(onnx, fp)).toBeDefined();
    writeFileSync(marker, '{ not json');
    expect(await cachedOptimizedGraph(onnx, fp)).toBeUndefined();
  });
});
