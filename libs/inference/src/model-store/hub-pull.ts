import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ModelFetchError } from '../errors';
import { fetchFollowingRedirects } from './fetch-redirects';
import { streamToFile } from './stream-to-file';

/**
 * Pulls a Hugging Face-format ONNX model (`<repo>@<revision>`) from the Hub, for users
 * with network access. Every weight file is verified by sha256: against a pin given by
 * the caller, else against the Hub's `X-Linked-Etag` (the LFS object's sha256).
 */
export const DEFAULT_HUB_ENDPOINT = 'https://huggingface.co';

export interface HubPullOptions {
  /** Hub base URL (default DEFAULT_HUB_ENDPOINT); callers read `HF_ENDPOINT`, the library reads no environment. */
  readonly endpoint?: string;
  readonly cacheRoot: string;
  readonly token?: string;
  /** sha256 pins by file path inside the repo, e.g. `{ 'onnx/model.onnx': '…' }`. */
  readonly sha256?: Readonly<Record<string, string>>;
  /** Accept weights that can be verified by neither a pin nor the Hub's LFS hash. */
  readonly allowUnverified?: boolean;
  readonly fetchImpl?: typeof fetch;
  readonly log?: (message: string) => void;
}

export interface HubPullResult {
  readonly dir: string;
  readonly files: Readonly<Record<string, string>>;
}

const ONNX_CANDIDATES = ['onnx/model.onnx', 'model.onnx'];
const REQUIRED = ['tokenizer.json'];
const OPTIONAL = ['config.json', 'tokenizer_config.json', '1_Pooling/config.json'];

export function parseHubSpec(spec: string): { repo: string; revision: string } {
  const match = /^([\w.-]+\/[\w.-]+)@([\w./-]+)$/.exec(spec);
  if (!match) throw new TypeError(`hub spec must look like "<owner>/<repo>@<revision>", got "${spec}"`);
  return { repo: match[1] as string, revision: match[2] as string };
}

export function hubModelDir(cacheRoot: string, repo: string, revision: string): string {
  return join(cacheRoot, 'models', 'hub', repo.replace('/', '__'), revision.replace(/\//g, '_'));
}

export async function pullFromHub(spec: string, options: HubPullOptions): Promise<HubPullResult> {
  const { repo, revision } = parseHubSpec(spec);
  const endpoint = (options.endpoint ?? DEFAULT_HUB_ENDPOINT).replace(/\/$/, '');
  const fetchImpl = options.fetchImpl ?? fetch;
  const dir = hubModelDir(options.cacheRoot, repo, revision);
  const tmp = `${dir}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  const files: Record<string, string> = {};

  const get = async (path: string, required: boolean): Promise<boolean> => {
    const url = `${endpoint}/${repo}/resolve/${encodeURIComponent(revision)}/${path}`;
    const { response: res, headerSeen } = await fetchFollowingRedirects(url, options.token ? `Bearer ${options.token}` : undefined, fetchImpl);
    // An unread body holds its socket until GC: cancel what we do not stream to disk.
    if (res.status === 404 && !required) {
      await res.body?.cancel();
      return false;
    }
    if (!res.ok || !res.body) {
      await res.body?.cancel();
      throw new ModelFetchError(`${url}: HTTP ${res.status}`);
    }
    // LFS files answer with a redirect carrying the object's sha256 in X-Linked-Etag.
    const linked = (headerSeen('x-linked-etag') ?? '').replace(/"/g, '');
    const expected = options.sha256?.[path] ?? (/^[0-9a-f]{64}$/.test(linked) ? linked : undefined);
    if (!expected && path.endsWith('.onnx') && !options.allowUnverified) {
      await res.body.cancel();
      throw new ModelFetchError(`${path} could not be verified: pass its sha256 (--sha256 ${path}=<hex>) or allow unverified downloads`);
    }
    const target = join(tmp, path.startsWith('onnx/') ? path.slice('onnx/'.length) : path);
    await mkdir(dirname(target), { recursive: true });
    const { sha256, bytes } = await streamToFile(res.body, target, (sha) => {
      if (expected && expected !== sha) throw new ModelFetchError(`checksum mismatch for ${repo}@${revision}/${path}: expected ${expected}, got ${sha}`);
    });
    files[path] = sha256;
    options.log?.(`${path}: ${bytes} bytes, sha256 ${sha256}`);
    return true;
  };

  try {
    let gotOnnx = false;
    for (const candidate of ONNX_CANDIDATES) {
      if (await get(candidate, false)) { gotOnnx = true; break; }
    }
    if (!gotOnnx) throw new ModelFetchError(`${repo}@${revision} has no ONNX graph (tried ${ONNX_CANDIDATES.join(', ')})`);
    for (const f of REQUIRED) await get(f, true);
    for (const f of OPTIONAL) await get(f, false);
    await writeFile(join(tmp, 'hub-lock.json'), JSON.stringify({ repo, revision, endpoint, files }, null, 2) + '\n');
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
  if (existsSync(dir)) await rm(dir, { recursive: true, force: true });
  await mkdir(dirname(dir), { recursive: true });
  await rename(tmp, dir);
  return { dir, files };
}
