import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bundleApp, bundledInputs, externalImports } from './bundle';

const ROOT = resolve(__dirname, '..', '..');

describe('bundleApp', () => {
  let out: string;
  beforeAll(() => {
    // Inside the workspace's git-ignored tmp/ so node_modules resolves as it does for dist/.
    mkdirSync(join(ROOT, 'tmp'), { recursive: true });
    out = mkdtempSync(join(ROOT, 'tmp', 'bundle-spec-'));
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it("gives each inlined lib file its own __dirname under the bundle dir; the app's files keep main.js's", async () => {
    const app = join(__dirname, 'fixtures', 'dirname-app');
    const { mainFile, metafile } = await bundleApp(ROOT, join(app, 'main.ts'), out, app);
    const printed = JSON.parse(execFileSync(process.execPath, [mainFile], { encoding: 'utf8' })) as Record<string, string>;
    expect(printed).toEqual({
      ownDir: join(out, 'tools/build/fixtures/dirname-lib/src'),
      samplesDir: join(out, 'tools/build/fixtures/dirname-lib/samples'),
      text: 'uses __dirname',
      mainDir: out,
    });
    expect(bundledInputs(metafile)).toEqual(
      expect.arrayContaining(['tools/build/fixtures/dirname-app/main.ts', 'tools/build/fixtures/dirname-lib/src/where.ts']),
    );
    expect(externalImports(metafile)).toEqual(['node:path']);
  });
});
