/**
 * Production build of one app: `tsx tools/build/build-app.ts <app> [--out <dir>]`
 * (Nx: `npx nx run <app>:build`). Emits to dist/apps/<app>/ (or --out):
 *   main.js (+ .map)     esbuild bundle, workspace libs inlined, npm packages external
 *   package.json         the packages main.js requires, exact versions from package-lock.json
 *   package-lock.json    the root lockfile cut down to them, for `npm ci --omit=dev`
 *   <project>/samples/   runtime data of every inlined project (see assets.ts)
 * Any app with apps/<app>/src/main.ts can be built; see deploy/docker/README.md.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { copyRuntimeAssets } from './assets';
import { bundleApp, bundledInputs, externalImports } from './bundle';
import { productionLock, productionManifest, PruneError, type Lockfile, type RootManifest } from './prune-package';

export interface BuildOptions {
  workspaceRoot: string;
  app: string;
  /** Defaults to `<workspaceRoot>/dist/apps/<app>`; what an earlier build wrote there is replaced. */
  outDir?: string;
}

export interface BuildSummary {
  outDir: string;
  dependencies: Record<string, string>;
  assets: string[];
  bundledFiles: number;
}

const APP_NAME = /^[a-z][a-z0-9-]*$/;
/** What buildApp writes into the output dir (asset dirs land under apps/ and libs/). */
const OWN_OUTPUTS = ['main.js', 'main.js.map', 'package.json', 'package-lock.json', 'apps', 'libs'] as const;

export class BuildUsageError extends Error {}

export async function buildApp(o: BuildOptions): Promise<BuildSummary> {
  if (!APP_NAME.test(o.app)) throw new BuildUsageError(`invalid app name "${o.app}" (expected a dir name under apps/)`);
  const appRoot = join(o.workspaceRoot, 'apps', o.app);
  const entry = join(appRoot, 'src', 'main.ts');
  if (!existsSync(entry)) throw new BuildUsageError(`no app "${o.app}": ${entry} does not exist`);
  const outDir = resolve(o.outDir ?? join(o.workspaceRoot, 'dist', 'apps', o.app));
  // Only this build's own outputs: a step that ran before it (the console's build-web into
  // dist/apps/console/web) keeps its files.
  for (const own of OWN_OUTPUTS) rmSync(join(outDir, own), { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });

  const { metafile } = await bundleApp(o.workspaceRoot, entry, outDir, appRoot);
  const root = JSON.parse(readFileSync(join(o.workspaceRoot, 'package.json'), 'utf8')) as RootManifest;
  const lock = JSON.parse(readFileSync(join(o.workspaceRoot, 'package-lock.json'), 'utf8')) as Lockfile;
  const manifest = productionManifest(o.app, root, lock, externalImports(metafile));
  writeFileSync(join(outDir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(join(outDir, 'package-lock.json'), `${JSON.stringify(productionLock(manifest, lock), null, 2)}\n`);
  const inputs = bundledInputs(metafile);
  const assets = copyRuntimeAssets(o.workspaceRoot, inputs, outDir);
  return { outDir, dependencies: manifest.dependencies, assets, bundledFiles: inputs.length };
}

function parseArgs(argv: readonly string[]): { app: string; outDir?: string } {
  const [app, ...rest] = argv;
  if (!app || app.startsWith('-')) throw new BuildUsageError('usage: build-app.ts <app> [--out <dir>]');
  if (rest.length === 0) return { app };
  if (rest.length === 2 && rest[0] === '--out' && rest[1]) return { app, outDir: rest[1] };
  throw new BuildUsageError(`unexpected arguments: ${rest.join(' ')} (usage: build-app.ts <app> [--out <dir>])`);
}

if (require.main === module) {
  const started = Date.now();
  const workspaceRoot = resolve(__dirname, '..', '..');
  Promise.resolve()
    .then(() => buildApp({ workspaceRoot, ...parseArgs(process.argv.slice(2)) }))
    .then((s) => {
      const deps = Object.entries(s.dependencies).map(([n, v]) => `${n}@${v}`).join(', ');
      process.stdout.write(
        `built ${s.outDir} in ${((Date.now() - started) / 1000).toFixed(1)} s: ${s.bundledFiles} workspace files inlined; ` +
          `runtime packages: ${deps || 'none'}; assets: ${s.assets.join(', ') || 'none'}\n`,
      );
    })
    .catch((err: unknown) => {
      const known = err instanceof BuildUsageError || err instanceof PruneError;
      process.stderr.write(`build failed: ${known ? err.message : err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
      process.exitCode = err instanceof BuildUsageError ? 2 : 1;
    });
}
