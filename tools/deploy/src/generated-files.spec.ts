/** The committed generated files equal what the registries produce now (regenerate: generate.ts). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { DEPLOY_DIR, GENERATED, modelCatalogYaml } from './generated-files';
import { clusterEntries } from './model-plan';

describe.each(GENERATED.map((g) => [g.path, g] as const))('deploy/%s', (path, file) => {
  it('is up to date (npx tsx --tsconfig tools/deploy/tsconfig.json tools/deploy/src/generate.ts)', () => {
    expect(readFileSync(join(DEPLOY_DIR, path), 'utf8')).toBe(file.render());
  });
});

describe('model-catalog', () => {
  const data = (parseAllDocuments(modelCatalogYaml())[0]?.toJS() as { data: Record<string, string> }).data;

  it('fetches and verifies every model the init containers wait for, by the catalog sha256s', () => {
    const entries = clusterEntries();
    expect(data['WAIT_MODELS']?.split(',')).toEqual(entries.map((e) => `${e.name}/${e.maven.version}`));
    for (const e of entries) {
      expect(data['fetch.sh']).toContain(`-Dartifact=${e.maven.groupId}:${e.maven.artifactId}:${e.maven.version}`);
      for (const sha of [e.maven.sha256, e.files.onnx.sha256, e.files.tokenizer.sha256]) expect(data['fetch.sh']).toContain(`check ${sha} `);
    }
  });
});
