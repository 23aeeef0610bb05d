// Builds the console SPA (apps/console/web) into static files: one ES module bundle (Lit and
// the views, esbuild, minified, with a source map), index.html and styles.css. Output: OUT_DIR
// or dist/apps/console/web, which the BFF serves. Takes about a second.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const out = resolve(root, process.env.OUT_DIR || 'dist/apps/console/web');
mkdirSync(out, { recursive: true });
const started = Date.now();
await build({
  entryPoints: [join(here, 'web/main.ts')],
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  outfile: join(out, 'app.js'),
  tsconfig: join(here, 'web/tsconfig.json'),
  logLevel: 'warning',
});
for (const f of ['index.html', 'styles.css']) copyFileSync(join(here, 'web', f), join(out, f));
process.stdout.write(`console SPA built into ${out} in ${Date.now() - started} ms\n`);
