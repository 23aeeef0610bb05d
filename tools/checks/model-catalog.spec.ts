import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { findCatalogEntry, MODEL_ALIASES, MODEL_CATALOG } from '@tuneline/inference';

const ROOT = resolve(__dirname, '../..');

describe('model catalog and git hygiene', () => {
  it('pins every model by version and sha256, and aliases resolve', () => {
    for (const m of MODEL_CATALOG) {
      expect(m.maven.version).toMatch(/^\d+\.\d+\.\d+/);
      for (const sha of [m.maven.sha256, m.files.onnx.sha256, m.files.tokenizer.sha256]) expect(sha).toMatch(/^[0-9a-f]{64}$/);
    }
    for (const target of Object.values(MODEL_ALIASES)) expect(findCatalogEntry(target)).toBeDefined();
    expect(findCatalogEntry('zh')?.language).toBe('zh');
  });

  it('git tracks no weights, jars or other large binaries', () => {
    const files = execFileSync('git', ['ls-files'], { cwd: ROOT }).toString().split('\n');
    expect(files.filter((f) => /\.(onnx|jar|bin|safetensors|pt)$/.test(f))).toEqual([]);
  });
});
