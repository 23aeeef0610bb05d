/**
 * esbuild step of the production build: one CommonJS file per app with every workspace lib
 * inlined (tsconfig paths) and every npm package left external, so native and optional
 * packages (onnxruntime-node, @huggingface/tokenizers, …) load from node_modules as usual.
 */
import { build, type Metafile, type Plugin } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';

export interface BundleResult {
  /** Absolute path of the emitted main.js. */
  mainFile: string;
  metafile: Metafile;
}

const BUNDLE_DIR_MODULE = 'tuneline:bundle-dir';

/**
 * In a bundle every file shares main.js's `__dirname`. That is right for the app's own files
 * (they look "beside main.js", e.g. the console's web/), but libs find their sample data with
 * `resolve(__dirname, '..', 'samples')`: each workspace file outside `appRoot` that mentions
 * `__dirname` gets its own module-level `__dirname` = `<bundle dir>/<its relative dir>` (esbuild
 * renames it apart from the real one), and the build copies those data dirs to the same layout.
 * The prelude stays on the file's first line so source-map line numbers do not move.
 */
export function workspaceDirnamePlugin(workspaceRoot: string, appRoot: string): Plugin {
  const appPrefix = `${resolve(appRoot)}${sep}`;
  return {
    name: 'workspace-dirname',
    setup(b) {
      b.onResolve({ filter: /^tuneline:bundle-dir$/ }, () => ({ path: BUNDLE_DIR_MODULE, namespace: 'tuneline' }));
      b.onLoad({ filter: /.*/, namespace: 'tuneline' }, () => ({ contents: 'export const bundleDir = __dirname;', loader: 'js' }));
      b.onLoad({ filter: /\.ts$/ }, async (args) => {
        if (args.path.includes(`${sep}node_modules${sep}`) || args.path.startsWith(appPrefix)) return undefined;
        const source = await readFile(args.path, 'utf8');
        if (!source.includes('__dirname')) return undefined;
        const rel = relative(workspaceRoot, dirname(args.path)).split(sep).join('/');
        const prelude =
          `import { bundleDir as __tunelineBundleDir } from '${BUNDLE_DIR_MODULE}'; ` +
          `import { join as __tunelineJoin } from 'node:path'; ` +
          `const __dirname = __tunelineJoin(__tunelineBundleDir, ${JSON.stringify(rel)}); `;
        return { contents: prelude + source, loader: 'ts' };
      });
    },
  };
}

/**
 * Bundles `entry` (absolute) to `<outDir>/main.js` with a linked source map; files under
 * `appRoot` (the app's project dir) keep main.js's own `__dirname`.
 */
export async function bundleApp(workspaceRoot: string, entry: string, outDir: string, appRoot: string): Promise<BundleResult> {
  const mainFile = join(outDir, 'main.js');
  const result = await build({
    absWorkingDir: workspaceRoot,
    entryPoints: [entry],
    outfile: mainFile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // Bare imports stay external; @tuneline/* still resolve through tsconfig paths first.
    packages: 'external',
    tsconfig: join(workspaceRoot, 'tsconfig.base.json'),
    sourcemap: 'linked',
    sourcesContent: false,
    // Nest and the services log class names; keep them readable.
    keepNames: true,
    metafile: true,
    logLevel: 'warning',
    plugins: [workspaceDirnamePlugin(workspaceRoot, appRoot)],
  });
  return { mainFile, metafile: result.metafile };
}

/** Workspace source files the bundle inlined, relative to the workspace root. */
export function bundledInputs(metafile: Metafile): string[] {
  return Object.keys(metafile.inputs).filter((p) => !p.startsWith('node_modules/'));
}

/** Import paths the bundle leaves to `require` at run time (packages and node builtins). */
export function externalImports(metafile: Metafile): string[] {
  const found = new Set<string>();
  for (const output of Object.values(metafile.outputs)) {
    for (const imp of output.imports) if (imp.external) found.add(imp.path);
  }
  return [...found].sort();
}
