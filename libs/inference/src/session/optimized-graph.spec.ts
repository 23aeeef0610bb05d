import { existsSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  cachedOptimizedGraph, OPTIMIZED_GRAPH_FILE, OPTIMIZED_GRAPH_MARKER, optimizedGraphPaths, promoteOptimizedGraph, sourceFingerprint,
  STALE_CANDIDATE_MS, sweepStaleCandidates, type OptimizedGraphPaths,
} from './optimized-graph';

function modelWithCandidate(): { onnx: string; paths: OptimizedGraphPaths } {
  const dir = mkdtempSync(join(tmpdir(), 'opt-graph-unit-'));
  const onnx = join(dir, 'model.onnx');
  writeFileSync(onnx, 'original graph');
  const paths = optimizedGraphPaths(onnx);
  writeFileSync(paths.candidate, 'optimised graph');
  return { onnx, paths };
}

describe('persisted ORT-optimised graph', () => {
  it('keeps a candidate within tolerance and serves it while the marker names this model and ORT', async () => {
    const { onnx, paths } = modelWithCandidate();
    const fp = await sourceFingerprint(onnx);
    expect(await cachedOptimizedGraph(onnx, fp)).toBeUndefined();
    const kept = await promoteOptimizedGraph(paths, fp, 3e-6);
    expect(kept).toBe(join(onnx, '..', OPTIMIZED_GRAPH_FILE));
    expect(readFileSync(kept as string, 'utf8')).toBe('optimised graph');
    // Candidate renamed, marker written aside and renamed: nothing temporary is left.
    expect(readdirSync(dirname(onnx)).sort()).toEqual(['model.onnx', OPTIMIZED_GRAPH_FILE, OPTIMIZED_GRAPH_MARKER].sort());
    expect(await cachedOptimizedGraph(onnx, fp)).toBe(kept);
    expect(await cachedOptimizedGraph(onnx, 'another size:another mtime')).toBeUndefined();
  });

  it('rejects and deletes a candidate whose outputs differ beyond 1e-4, or are not numbers', async () => {
    for (const diff of [2e-4, Number.NaN, Infinity]) {
      const { onnx, paths } = modelWithCandidate();
      expect(await promoteOptimizedGraph(paths, await sourceFingerprint(onnx), diff)).toBeUndefined();
      expect(existsSync(paths.candidate)).toBe(false);
      expect(existsSync(join(onnx, '..', OPTIMIZED_GRAPH_MARKER))).toBe(false);
    }
  });

  it('ignores a graph whose marker names another ORT version or CPU, or is unreadable', async () => {
    const { onnx, paths } = modelWithCandidate();
    const fp = await sourceFingerprint(onnx);
    await promoteOptimizedGraph(paths, fp, 0);
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

  it('gives every load its own candidate path, so racing loads of one model never write the same file', () => {
    const onnx = join(tmpdir(), 'some-model', 'model.onnx');
    const a = optimizedGraphPaths(onnx);
    const b = optimizedGraphPaths(onnx);
    expect(a.graph).toBe(b.graph);
    expect(a.candidate).not.toBe(b.candidate);
    expect(a.candidate.startsWith(`${a.graph}.tmp-${process.pid}-`)).toBe(true);
  });

  it('sweeps candidates a killed load left once they are stale, and leaves fresh ones and the graph alone', async () => {
    const { onnx, paths } = modelWithCandidate();
    await promoteOptimizedGraph(paths, await sourceFingerprint(onnx), 0);
    const stale = optimizedGraphPaths(onnx).candidate;
    const staleMarker = `${join(dirname(onnx), OPTIMIZED_GRAPH_MARKER)}.tmp-1-deadbeef`;
    const fresh = optimizedGraphPaths(onnx).candidate;
    for (const f of [stale, staleMarker, fresh]) writeFileSync(f, 'partial graph');
    const old = (Date.now() - STALE_CANDIDATE_MS - 60_000) / 1000;
    for (const f of [stale, staleMarker]) utimesSync(f, old, old);
    await sweepStaleCandidates(onnx);
    expect([stale, staleMarker, fresh].map((f) => existsSync(f))).toEqual([false, false, true]);
    expect(existsSync(paths.graph) && existsSync(paths.marker) && existsSync(onnx)).toBe(true);
  });
});
