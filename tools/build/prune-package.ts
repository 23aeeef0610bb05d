/**
 * The production package.json and package-lock.json of one bundled app: exactly the npm
 * packages its main.js requires, at the root lockfile's versions, plus the lockfile entries
 * they need (transitively) so `npm ci --omit=dev` in the image installs the same tree.
 */
import { builtinModules } from 'node:module';

export interface RootManifest {
  name: string;
  version: string;
  license?: string;
  engines?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

export interface LockEntry {
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
  peer?: boolean;
  [key: string]: unknown;
}

export interface Lockfile {
  name?: string;
  version?: string;
  lockfileVersion: number;
  requires?: boolean;
  packages: Record<string, LockEntry>;
}

export interface ProductionManifest {
  name: string;
  version: string;
  private: true;
  license?: string;
  main: 'main.js';
  engines?: Record<string, string>;
  dependencies: Record<string, string>;
}

/** A bundle needs a package the workspace only has as a devDependency, or not at all. */
export class PruneError extends Error {}

const BUILTINS = new Set(builtinModules);

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`; node builtins → undefined. */
export function packageNameOf(importPath: string): string | undefined {
  if (importPath.startsWith('node:') || BUILTINS.has(importPath.split('/')[0] ?? '')) return undefined;
  const parts = importPath.split('/');
  return importPath.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Where Node would find `dep` when required from the package installed at `from` ('' = root). */
export function resolveInLock(lock: Lockfile, from: string, dep: string): string | undefined {
  let location = from;
  for (;;) {
    const candidate = `${location ? `${location}/` : ''}node_modules/${dep}`;
    if (lock.packages[candidate]) return candidate;
    if (!location) return undefined;
    const cut = location.lastIndexOf('/node_modules/');
    location = cut < 0 ? '' : location.slice(0, cut);
  }
}

function edges(entry: LockEntry, requiredOnly: boolean): string[] {
  const required = Object.keys(entry.dependencies ?? {});
  const peers = Object.keys(entry.peerDependencies ?? {}).filter((p) => !entry.peerDependenciesMeta?.[p]?.optional);
  if (requiredOnly) return [...required, ...peers];
  return [...required, ...peers, ...Object.keys(entry.optionalDependencies ?? {}), ...Object.keys(entry.peerDependenciesMeta ?? {})];
}

/** Lock locations reachable from the root's `deps`; optional edges only when `requiredOnly` is false. */
function closure(lock: Lockfile, deps: readonly string[], requiredOnly: boolean): Set<string> {
  const seen = new Set<string>();
  const queue: Array<[string, string]> = deps.map((d) => ['', d]);
  while (queue.length > 0) {
    const [from, dep] = queue.shift() as [string, string];
    const at = resolveInLock(lock, from, dep);
    if (!at || seen.has(at)) continue;
    seen.add(at);
    for (const next of edges(lock.packages[at] as LockEntry, requiredOnly)) queue.push([at, next]);
  }
  return seen;
}

/**
 * Adds the root dependencies that a required package names as peers (optional ones too): they
 * are loaded from the app's node_modules at run time without the bundle importing them, e.g.
 * @nestjs/core requiring @nestjs/platform-express for NestFactory.create.
 */
export function withRuntimePeers(root: RootManifest, lock: Lockfile, names: readonly string[]): string[] {
  const selected = new Set(names);
  const queue = [...selected];
  while (queue.length > 0) {
    const entry = lock.packages[`node_modules/${queue.shift() as string}`];
    for (const peer of Object.keys(entry?.peerDependencies ?? {})) {
      if (selected.has(peer) || !root.dependencies?.[peer]) continue;
      selected.add(peer);
      queue.push(peer);
    }
  }
  return [...selected].sort();
}

/** The production manifest for the packages a bundle requires (import paths from esbuild). */
export function productionManifest(appName: string, root: RootManifest, lock: Lockfile, externals: readonly string[]): ProductionManifest {
  const names = withRuntimePeers(root, lock, externals.map(packageNameOf).filter((n): n is string => n !== undefined));
  const dependencies: Record<string, string> = {};
  for (const name of names) {
    if (!root.dependencies?.[name]) {
      const where = root.devDependencies?.[name] ? 'is only a devDependency' : 'is not a dependency';
      throw new PruneError(`${appName} requires "${name}" at run time but it ${where} of the root package.json; add it to "dependencies"`);
    }
    const version = lock.packages[`node_modules/${name}`]?.version;
    if (!version) throw new PruneError(`"${name}" is not installed at node_modules/${name} in package-lock.json; run npm install`);
    dependencies[name] = version;
  }
  return {
    name: `@tuneline/${appName}`,
    version: root.version,
    private: true,
    ...(root.license ? { license: root.license } : {}),
    main: 'main.js',
    ...(root.engines ? { engines: root.engines } : {}),
    dependencies,
  };
}

/** The root lockfile cut down to what `manifest`'s dependencies need, flags recomputed for it. */
export function productionLock(manifest: ProductionManifest, lock: Lockfile): Lockfile {
  const deps = Object.keys(manifest.dependencies);
  const all = closure(lock, deps, false);
  const required = closure(lock, deps, true);
  const packages: Record<string, LockEntry> = {
    '': { name: manifest.name, version: manifest.version, license: manifest.license, dependencies: manifest.dependencies },
  };
  for (const at of [...all].sort()) {
    // Everything here is a production package now; it is optional only if no required path reaches it.
    const entry: LockEntry = { ...lock.packages[at] };
    for (const flag of ['dev', 'devOptional', 'optional', 'peer'] as const) delete entry[flag];
    packages[at] = required.has(at) ? entry : { ...entry, optional: true };
  }
  return { name: manifest.name, version: manifest.version, lockfileVersion: lock.lockfileVersion, requires: true, packages };
}
