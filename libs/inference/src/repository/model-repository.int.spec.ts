import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareVersions, ModelRepository } from './model-repository';
import type { InferenceMetrics } from '../metrics';
import { resolveModelDir } from '../model-store/resolve-model';

describe('ModelRepository with the real int8 encoder', () => {
  const root = mkdtempSync(join(tmpdir(), 'repo-'));
  mkdirSync(join(root, 'encoder'));
  for (const v of ['1', '2', '10']) symlinkSync(resolveModelDir('int8', process.env), join(root, 'encoder', v));

  it('lists versions numerically and serves the latest by default', async () => {
    const repo = new ModelRepository({ root });
    try {
      expect(repo.listModels()).toEqual(['encoder']);
      expect(repo.listVersions('encoder')).toEqual(['1', '2', '10']);
      expect(repo.isReady('encoder')).toBe(false);
      expect(() => repo.get('encoder')).toThrow(/not loaded yet/);
      const loaded = await repo.load('encoder');
      expect(loaded.version).toBe('10');
      expect(repo.isReady('encoder')).toBe(true);
    } finally {
      await repo.close();
    }
  });

  it('hot-swaps versions under continuous load with zero failed requests and no UNAVAILABLE in the request metric', async () => {
    const outcomes = new Map<string, number>();
    const metrics: InferenceMetrics = {
      observeBatch: () => undefined,
      observeRequest: (_m, _p, _s, outcome) => outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1),
    };
    const repo = new ModelRepository({ root, modelOptions: { metrics } });
    await repo.load('encoder', '1');
    const versionsSeen = new Set<string>();
    let ok = 0;
    const failures: unknown[] = [];
    let running = true;
    const client = async (id: number) => {
      while (running) {
        try {
          const r = await repo.infer('encoder', [`caller ${id} asks about card ${ok}`]);
          versionsSeen.add(r.version);
          ok++;
        } catch (err) {
          failures.push(err);
        }
      }
    };
    const clients = Array.from({ length: 8 }, (_, i) => client(i));
    await new Promise((r) => setTimeout(r, 300));
    await repo.load('encoder', '2');
    await new Promise((r) => setTimeout(r, 300));
    await repo.load('encoder', '10');
    await new Promise((r) => setTimeout(r, 300));
    running = false;
    await Promise.all(clients);
    await repo.close();
    expect(failures).toEqual([]);
    expect([...versionsSeen].sort()).toEqual(['1', '10', '2']);
    expect(ok).toBeGreaterThan(20);
    expect(outcomes.has('UNAVAILABLE')).toBe(false);
    expect(outcomes.get('ok')).toBeGreaterThanOrEqual(ok);
  }, 30_000); // three real session loads and drains: 6.7 s at load average 11 on 2 cores

  it('fails clearly for unknown models and versions', async () => {
    const repo = new ModelRepository({ root });
    expect(() => repo.listVersions('nope')).toThrow(/model "nope" is not in repository/);
    await expect(repo.load('encoder', '7')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(() => new ModelRepository({ root: '' })).toThrow(TypeError);
  });

  it('orders versions naturally', () => {
    expect(['1.20.0-beta30', '1.9.0', '1.19.0-beta29'].sort(compareVersions)).toEqual(['1.9.0', '1.19.0-beta29', '1.20.0-beta30']);
  });
});
