import { packageNameOf, productionLock, productionManifest, PruneError, resolveInLock, withRuntimePeers, type Lockfile, type RootManifest } from './prune-package';

const root: RootManifest = {
  name: '@tuneline/source',
  version: '0.1.0',
  license: 'Apache-2.0',
  engines: { node: '>=20.3' },
  dependencies: { a: '1.0.0', core: '2.0.0', adapter: '2.0.0' },
  devDependencies: { tool: '9.0.0' },
};

const lock: Lockfile = {
  lockfileVersion: 3,
  packages: {
    '': { name: '@tuneline/source', version: '0.1.0' },
    'node_modules/a': { version: '1.0.0', dependencies: { b: '^2.0.0' }, optionalDependencies: { native: '1.0.0' } },
    'node_modules/a/node_modules/b': { version: '2.1.0' },
    'node_modules/b': { version: '1.5.0', dev: true },
    'node_modules/native': { version: '1.0.0', optional: true },
    'node_modules/core': { version: '2.0.0', peerDependencies: { adapter: '2.x' }, peerDependenciesMeta: { adapter: { optional: true } } },
    'node_modules/adapter': { version: '2.0.0' },
    'node_modules/tool': { version: '9.0.0', dev: true },
  },
};

describe('packageNameOf', () => {
  it('keeps the package part of an import path and drops node builtins', () => {
    expect(packageNameOf('@nestjs/core/injector')).toBe('@nestjs/core');
    expect(packageNameOf('zod/v4')).toBe('zod');
    expect(packageNameOf('node:fs')).toBeUndefined();
    expect(packageNameOf('fs/promises')).toBeUndefined();
  });
});

describe('resolveInLock', () => {
  it('prefers a nested copy, like Node does, and falls back to the hoisted one', () => {
    expect(resolveInLock(lock, 'node_modules/a', 'b')).toBe('node_modules/a/node_modules/b');
    expect(resolveInLock(lock, '', 'b')).toBe('node_modules/b');
    expect(resolveInLock(lock, 'node_modules/a', 'missing')).toBeUndefined();
  });
});

describe('productionManifest', () => {
  it('lists the required packages at the lockfile versions, plus root dependencies they load as peers', () => {
    const m = productionManifest('svc', root, lock, ['a/sub', 'core', 'node:path']);
    expect(m).toEqual({
      name: '@tuneline/svc',
      version: '0.1.0',
      private: true,
      license: 'Apache-2.0',
      main: 'main.js',
      engines: { node: '>=20.3' },
      dependencies: { a: '1.0.0', adapter: '2.0.0', core: '2.0.0' },
    });
    expect(withRuntimePeers(root, lock, ['a'])).toEqual(['a']);
  });

  it('refuses a devDependency or an undeclared package with the fix in the message', () => {
    expect(() => productionManifest('svc', root, lock, ['tool'])).toThrow(PruneError);
    expect(() => productionManifest('svc', root, lock, ['tool'])).toThrow(/"tool".*only a devDependency/);
    expect(() => productionManifest('svc', root, lock, ['b'])).toThrow(/"b" at run time but it is not a dependency/);
  });
});

describe('productionLock', () => {
  it('keeps exactly the reachable entries, drops dev flags and marks optional-only ones optional', () => {
    const m = productionManifest('svc', root, lock, ['a']);
    const pruned = productionLock(m, lock);
    expect(Object.keys(pruned.packages).sort()).toEqual(['', 'node_modules/a', 'node_modules/a/node_modules/b', 'node_modules/native']);
    expect(pruned.packages['']).toMatchObject({ name: '@tuneline/svc', dependencies: { a: '1.0.0' } });
    expect(pruned.packages['node_modules/native']?.optional).toBe(true);
    expect(pruned.packages['node_modules/a']?.optional).toBeUndefined();
    expect(Object.values(pruned.packages).some((e) => e.dev)).toBe(false);
  });
});
