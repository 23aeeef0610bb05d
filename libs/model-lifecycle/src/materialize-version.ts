import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { cp, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { errorMessage, silentLogger, type EventsLogger } from '@tuneline/events';
import { isFeatureModelDir, OPTIMIZED_GRAPH_FILE, OPTIMIZED_GRAPH_MARKER } from '@tuneline/inference';
import { downloadModelDir, REQUIRED_FEATURE_MODEL_FILES, REQUIRED_MODEL_FILES, type FetchFn } from './download-model-dir';
import { ModelFetchFailedError, UnsupportedSourceError } from './errors';
import { verifyChecksums, type ExpectedChecksums } from './verify-checksums';

/** Staging dirs are `<root>/<model>/.tmp-<version>-<random>`: hidden, so never listed as a version. */
export const STAGING_PREFIX = '.tmp-';
/** A refused version found in place is moved to `<root>/<model>/.rejected-<version>-<time>`: hidden, kept for a look. */
export const REJECTED_PREFIX = '.rejected-';

export interface MaterializeRequest {
  /** The local model repository root: the version lands in `<root>/<model>/<version>/`. */
  readonly root: string;
  readonly model: string;
  /** Must not be the version being served (the updater skips versions not newer than it). */
  readonly version: string;
  /** The event's `uri` (file://, http(s)://), if any; wins over `path`. */
  readonly uri?: string;
  /** The event's `path` on the publisher's filesystem. */
  readonly path: string;
  /** The sha256s the event announced; verified first (while streaming for http(s)). */
  readonly checksums: ExpectedChecksums;
  /**
   * Runs after the checksums, before the version becomes visible (labels); throwing
   * discards the copy, so a refused version never appears in the repository.
   */
  readonly check: (dir: string) => Promise<void>;
  readonly fetch?: FetchFn;
  /** Per file of an http(s) download; default DEFAULT_FETCH_TIMEOUT_MS. */
  readonly fetchTimeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly logger?: EventsLogger;
}

export type MaterializedFrom = 'repository' | 'file' | 'http';

export interface Materialized {
  readonly dir: string;
  readonly from: MaterializedFrom;
}

/**
 * Puts a published version into the local repository: already there (e.g. `path` is inside
 * the repository) → checked in place and, if refused, set aside (see setAsideVersion);
 * otherwise copied (file://, local path) or downloaded (http/https) into a hidden staging
 * dir, checked, then renamed into place (atomic on one filesystem), so the repository never
 * holds a half-written or unverified version as `latest`.
 */
/**
 * A version directory may hold ORT's persisted optimised graph (libs/inference), written by a
 * process that serves from it, possibly mid-write (`…tmp-<pid>-<rand>`). It is per machine and
 * ~130 MB, and a copy racing its rename fails with ENOENT: never copy it; the loader rebuilds it.
 */
function notPersistedGraph(src: string): boolean {
  const name = basename(src);
  return !name.startsWith(OPTIMIZED_GRAPH_FILE) && !name.startsWith(OPTIMIZED_GRAPH_MARKER);
}

export async function materializeVersion(req: MaterializeRequest): Promise<Materialized> {
  const logger = req.logger ?? silentLogger;
  const target = join(req.root, req.model, req.version);
  if (existsSync(target)) {
    try {
      await verifyChecksums(target, req.checksums);
      await req.check(target);
    } catch (err) {
      await setAsideVersion(target, logger, errorMessage(err));
      throw err;
    }
    return { dir: target, from: 'repository' };
  }
  const source = sourceOf(req);
  await mkdir(join(req.root, req.model), { recursive: true });
  const staging = join(req.root, req.model, `${STAGING_PREFIX}${req.version}-${randomBytes(4).toString('hex')}`);
  try {
    if (source.kind === 'file') {
      if (!existsSync(source.dir) || !statSync(source.dir).isDirectory()) {
        throw new ModelFetchFailedError(`model directory ${source.dir} does not exist here (publish a uri the replicas can reach)`, false);
      }
      await cp(source.dir, staging, { recursive: true, dereference: true, filter: notPersistedGraph });
    } else {
      await mkdir(staging);
      const { sha256, tokenizerSha256 } = req.checksums;
      await downloadModelDir(source.url, staging, {
        sha256: { 'model.onnx': sha256, ...(tokenizerSha256 ? { 'tokenizer.json': tokenizerSha256 } : {}) },
        ...(req.fetch ? { fetch: req.fetch } : {}),
        ...(req.signal ? { signal: req.signal } : {}),
        ...(req.fetchTimeoutMs !== undefined ? { timeoutMs: req.fetchTimeoutMs } : {}),
      });
    }
    // A ranking head (tuneline.json task "ranking") has no tokenizer; an unreadable tuneline.json counts as a text model here.
    const required = (await isFeatureModelDir(staging).catch(() => false)) ? REQUIRED_FEATURE_MODEL_FILES : REQUIRED_MODEL_FILES;
    for (const f of required) {
      if (!existsSync(join(staging, f))) throw new ModelFetchFailedError(`the published directory has no ${f}`, false);
    }
    // Downloads were hashed as they streamed; a copy is read once more.
    if (source.kind === 'file') await verifyChecksums(staging, req.checksums);
    await req.check(staging);
    if (existsSync(target)) return { dir: target, from: 'repository' }; // another writer won the race
    await rename(staging, target);
    return { dir: target, from: source.kind };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/**
 * Moves a refused version directory aside to a hidden `.rejected-<version>-<time>` sibling,
 * so the next start's `load(model)` (latest) cannot serve it; returns the new path.
 */
export async function setAsideVersion(dir: string, logger: EventsLogger, reason: string): Promise<string> {
  const stamp = new Date().toISOString().replace(/[-:.]/g, '');
  const aside = join(dirname(dir), `${REJECTED_PREFIX}${basename(dir)}-${stamp}`);
  await rename(dir, aside);
  logger.warn({ dir, movedTo: aside, reason }, 'refused version set aside; it will not be served');
  return aside;
}

/**
 * Removes staging dirs a killed process left under `<root>/<model>/` for the given models.
 * Call before following: it assumes no other process stages into this repository root.
 */
export async function sweepStaging(root: string, models: readonly string[], logger: EventsLogger = silentLogger): Promise<string[]> {
  const removed: string[] = [];
  for (const model of models) {
    const dir = join(root, model);
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names.filter((n) => n.startsWith(STAGING_PREFIX))) {
      await rm(join(dir, name), { recursive: true, force: true });
      removed.push(join(dir, name));
    }
  }
  if (removed.length > 0) logger.info({ removed }, 'removed staging dirs left by an earlier run');
  return removed;
}

type Source = { kind: 'file'; dir: string } | { kind: 'http'; url: string };

function sourceOf(req: MaterializeRequest): Source {
  if (!req.uri) return { kind: 'file', dir: resolve(req.path) };
  const url = new URL(req.uri);
  if (url.protocol === 'file:') return { kind: 'file', dir: fileURLToPath(url) };
  if (url.protocol === 'http:' || url.protocol === 'https:') return { kind: 'http', url: url.href };
  throw new UnsupportedSourceError(`cannot fetch a model from ${url.protocol} (file://, http:// and https:// are supported)`);
}
