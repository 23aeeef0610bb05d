import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { catalogModelDir, defaultCacheRoot, findCatalogEntry } from '@tuneline/inference';

/**
 * Integration tests run the real pretrained encoders. `npm test` fetches them first
 * (tools/test.sh); when one is missing the test fails with the command to run.
 */
export function cachedModelDir(name: string): string {
  const entry = findCatalogEntry(name);
  if (!entry) throw new Error(`unknown catalog model ${name}`);
  const dir = catalogModelDir(defaultCacheRoot(), entry);
  if (!existsSync(join(dir, '.verified'))) {
    throw new Error(`model ${entry.name} is not fetched; run \`npm run models:fetch -- ${entry.name}\` (npm test does this for you)`);
  }
  return dir;
}
