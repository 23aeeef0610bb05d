/**
 * Runtime data files of a bundle. Workspace projects keep the files they read at run time in a
 * `samples/` dir beside `src/` (found with `resolve(__dirname, '..', 'samples')`); the bundle's
 * rewritten `__dirname` (bundle.ts) points into `<out>/<project>/src`, so each `samples/` of a
 * project the bundle inlined is copied to `<out>/<project>/samples`.
 */
import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';

/** Asset dir names a workspace project may hold next to its `src/`. */
export const RUNTIME_ASSET_DIRS = ['samples'] as const;

/** `libs/support` for `libs/support/src/x.ts`; undefined for files outside apps/ and libs/. */
export function projectRootOf(input: string): string | undefined {
  const match = /^((?:apps|libs)\/[^/]+)\//.exec(input);
  return match?.[1];
}

/** Copies the asset dirs of every project in `inputs`; returns the copied dirs (relative). */
export function copyRuntimeAssets(workspaceRoot: string, inputs: readonly string[], outDir: string): string[] {
  const projects = [...new Set(inputs.map(projectRootOf).filter((p): p is string => p !== undefined))].sort();
  const copied: string[] = [];
  for (const project of projects) {
    for (const dir of RUNTIME_ASSET_DIRS) {
      const from = join(workspaceRoot, project, dir);
      if (!existsSync(from)) continue;
      cpSync(from, join(outDir, project, dir), { recursive: true });
      copied.push(`${project}/${dir}`);
    }
  }
  return copied;
}
