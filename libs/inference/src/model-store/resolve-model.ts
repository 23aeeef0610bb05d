import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ModelNotFoundError } from '../errors';
import { DEFAULT_MODEL_NAME, findCatalogEntry } from './catalog';
import { catalogModelDir } from './maven-fetch';

/**
 * `.cache` at the workspace root, unless TUNELINE_CACHE points elsewhere. The caller
 * passes its environment (a CLI: `process.env`; a service: its parsed config), so the
 * library itself never reads the process environment.
 */
export function defaultCacheRoot(env: Readonly<Record<string, string | undefined>>): string {
  if (env['TUNELINE_CACHE']) return resolve(env['TUNELINE_CACHE']);
  let dir = process.cwd();
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, 'nx.json'))) return join(dir, '.cache');
    dir = resolve(dir, '..');
  }
  return resolve('.cache');
}

/**
 * Where a model lives on disk. Accepts a directory path, a catalog name or alias
 * (`default`, `zh`, `int8`), or nothing (then TUNELINE_MODEL_DIR, TUNELINE_MODEL, default).
 */
export function resolveModelDir(spec: string | undefined, env: Readonly<Record<string, string | undefined>>): string {
  const wanted = spec ?? env['TUNELINE_MODEL_DIR'] ?? env['TUNELINE_MODEL'] ?? DEFAULT_MODEL_NAME;
  if (existsSync(wanted)) return resolve(wanted);
  const entry = findCatalogEntry(wanted);
  if (!entry) throw new ModelNotFoundError(`"${wanted}" is neither a model directory nor a catalog model name`);
  const dir = catalogModelDir(defaultCacheRoot(env), entry);
  if (!existsSync(join(dir, '.verified'))) {
    throw new ModelNotFoundError(`model ${entry.name} is not in the cache (${dir}); run \`npm run models:fetch -- ${entry.name}\``);
  }
  return dir;
}
