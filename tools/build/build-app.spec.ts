import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildApp, BuildUsageError, type BuildSummary } from './build-app';
import type { Lockfile, ProductionManifest, RootManifest } from './prune-package';

const ROOT = resolve(__dirname, '..', '..');
const GUARD = join(__dirname, 'fixtures', 'require-guard.js');
const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

// The trainer is the smallest app with a run-and-exit mode (`--help`), so the bundle is loaded
// for real (every external required at start-up) without starting a server.
describe('buildApp (trainer)', () => {
  let out: string;
  let summary: BuildSummary;
  beforeAll(async () => {
    // Inside the workspace (git-ignored tmp/): the bundle's externals resolve from the root
    // node_modules, and the require guard checks that main.js asks only for declared ones.
    mkdirSync(join(ROOT, 'tmp'), { recursive: true });
    out = join(mkdtempSync(join(ROOT, 'tmp', 'build-spec-')), 'trainer');
    summary = await buildApp({ workspaceRoot: ROOT, app: 'trainer', outDir: out });
  }, 60_000);
  afterAll(() => rmSync(resolve(out, '..'), { recursive: true, force: true }));

  it('emits plain JavaScript that loads and runs the CLI using only its declared packages', () => {
    const main = join(out, 'main.js');
    expect(spawnSync(process.execPath, ['--check', main]).status).toBe(0);
    const manifest = readJson<ProductionManifest>(join(out, 'package.json'));
    const run = spawnSync(process.execPath, ['-r', GUARD, main, '--help'], {
      cwd: out,
      encoding: 'utf8',
      env: { ...process.env, GUARD_MAIN: main, GUARD_ALLOWED: Object.keys(manifest.dependencies).join(',') },
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Usage: tuneline/);
    expect(run.stdout).toContain('finetune');
  });

  it('writes a package.json of root dependencies only, pinned to the lockfile versions', () => {
    const root = readJson<RootManifest>(join(ROOT, 'package.json'));
    const lock = readJson<Lockfile>(join(ROOT, 'package-lock.json'));
    const manifest = readJson<ProductionManifest>(join(out, 'package.json'));
    expect(manifest).toMatchObject({ name: '@tuneline/trainer', private: true, main: 'main.js' });
    expect(manifest.dependencies).toEqual(summary.dependencies);
    expect(Object.keys(manifest.dependencies)).toEqual(expect.arrayContaining(['onnxruntime-node', 'commander', 'zod']));
    for (const [name, version] of Object.entries(manifest.dependencies)) {
      expect(root.dependencies).toHaveProperty([name]);
      expect(version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(version).toBe(lock.packages[`node_modules/${name}`]?.version);
    }
    expect(Object.keys(manifest.dependencies).filter((n) => root.devDependencies?.[n])).toEqual([]);
  });

  it('writes a lockfile subset that npm ci can install from: root entry, every dependency, no dev entries', () => {
    const pruned = readJson<Lockfile>(join(out, 'package-lock.json'));
    const manifest = readJson<ProductionManifest>(join(out, 'package.json'));
    expect(pruned.packages['']?.dependencies).toEqual(manifest.dependencies);
    for (const name of Object.keys(manifest.dependencies)) expect(pruned.packages).toHaveProperty([`node_modules/${name}`]);
    expect(Object.values(pruned.packages).filter((e) => e.dev || e.devOptional)).toEqual([]);
    expect(Object.keys(pruned.packages)).not.toContain('node_modules/typescript');
  });

  it('copies the sample data of the projects it inlined', () => {
    expect(summary.assets).toContain('libs/finetune/samples');
    expect(existsSync(join(out, 'libs/finetune/samples/support-intents.jsonl'))).toBe(true);
  });

  it('replaces its own outputs on a rebuild and keeps files an earlier step put in the dir', async () => {
    mkdirSync(join(out, 'web'), { recursive: true });
    writeFileSync(join(out, 'web', 'index.html'), '<html></html>');
    writeFileSync(join(out, 'main.js'), 'stale');
    await buildApp({ workspaceRoot: ROOT, app: 'trainer', outDir: out });
    expect(readFileSync(join(out, 'main.js'), 'utf8')).not.toBe('stale');
    expect(readFileSync(join(out, 'web', 'index.html'), 'utf8')).toBe('<html></html>');
  });
});

describe('buildApp arguments', () => {
  it('rejects an unknown app and a name that is not a plain directory name', async () => {
    await expect(buildApp({ workspaceRoot: ROOT, app: 'no-such-app', outDir: join(ROOT, 'tmp', 'never') })).rejects.toThrow(BuildUsageError);
    await expect(buildApp({ workspaceRoot: ROOT, app: '../libs', outDir: join(ROOT, 'tmp', 'never') })).rejects.toThrow(/invalid app name/);
  });
});
