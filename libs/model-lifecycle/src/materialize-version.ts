import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { cp, mkdir, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { downloadModelDir, REQUIRED_MODEL_FILES, type FetchFn } from './download-model-dir';
import { ModelFetchFailedError, UnsupportedSourceError } from './errors';

export interface MaterializeRequest {
  /** The local model repository root: the version lands in `<root>/<model>/<version>/`. */
  readonly root: string;
  readonly model: string;
  readonly version: string;
  /** The event's `uri` (file://, http(s)://), if any; wins over `path`. */
  readonly uri?: string;
  /** The event's `path` on the publisher's filesystem. */
  readonly path: string;
  /**
   * Runs on the fetched copy before it becomes visible (checksums, labels); throwing
   * discards the copy, so a refused version never appears in the repository.
   */
  readonly check: (dir: string) => Promise<void>;
  readonly fetch?: FetchFn;
  readonly signal?: AbortSignal;
}

export type MaterializedFrom = 'repository' | 'file' | 'http';

export interface Materialized {
  readonly dir: string;
  readonly from: MaterializedFrom;
}

/**
 * Puts a published version into the local repository: already there (e.g. `path` is inside
 * the repository) → checked in place; otherwise copied (file://, local path) or downloaded
 * (http/https) into a hidden staging dir, checked, then renamed into place (atomic on one
 * filesystem), so the repository never holds a half-written or unverified version.
 */
export async function materializeVersion(req: MaterializeRequest): Promise<Materialized> {
  const target = join(req.root, req.model, req.version);
  if (existsSync(target)) {
    await req.check(target);
    return { dir: target, from: 'repository' };
  }
  const source = sourceOf(req);
  await mkdir(join(req.root, req.model), { recursive: true });
  // listVersions skips dot-dirs and `.tmp-` names, so the staging dir is never served.
  const staging = join(req.root, req.model, `.tmp-${req.version}-${randomBytes(4).toString('hex')}`);
  try {
    if (source.kind === 'file') {
      if (!existsSync(source.dir) || !statSync(source.dir).isDirectory()) {
        throw new ModelFetchFailedError(`model directory ${source.dir} does not exist here (publish a uri the replicas can reach)`, false);
      }
      await cp(source.dir, staging, { recursive: true, dereference: true });
    } else {
      await mkdir(staging);
      await downloadModelDir(source.url, staging, req.fetch, req.signal);
    }
    for (const f of REQUIRED_MODEL_FILES) {
      if (!existsSync(join(staging, f))) throw new ModelFetchFailedError(`the published directory has no ${f}`, false);
    }
    await req.check(staging);
    if (existsSync(target)) return { dir: target, from: 'repository' }; // another writer won the race
    await rename(staging, target);
    return { dir: target, from: source.kind };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

type Source = { kind: 'file'; dir: string } | { kind: 'http'; url: string };

function sourceOf(req: MaterializeRequest): Source {
  if (!req.uri) return { kind: 'file', dir: resolve(req.path) };
  const url = new URL(req.uri);
  if (url.protocol === 'file:') return { kind: 'file', dir: fileURLToPath(url) };
  if (url.protocol === 'http:' || url.protocol === 'https:') return { kind: 'http', url: url.href };
  throw new UnsupportedSourceError(`cannot fetch a model from ${url.protocol} (file://, http:// and https:// are supported)`);
}
