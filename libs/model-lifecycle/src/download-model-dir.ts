import { join } from 'node:path';
import { MODEL_CONFIG_FILE, streamToFile } from '@tuneline/inference';
import { ChecksumMismatchError, ModelFetchFailedError, ModelLifecycleError } from './errors';

/** What a served text model directory needs (see @tuneline/inference loadModelDir). */
export const REQUIRED_MODEL_FILES: readonly string[] = ['model.onnx', 'tokenizer.json'];
/**
 * What a feature-input model directory (tuneline.json task "ranking": a ranking head) needs:
 * it takes float rows, so it has no tokenizer.
 */
export const REQUIRED_FEATURE_MODEL_FILES: readonly string[] = ['model.onnx'];
/** Fetched when the store has them; a 404 is fine (HF exports have no tuneline.json, embedders no labels). */
export const OPTIONAL_MODEL_FILES: readonly string[] = [MODEL_CONFIG_FILE, 'labels.json', 'model-card.json'];

/**
 * Longest one file's GET may take, headers and body together. A store that stalls mid-body
 * would otherwise hold the model's lane forever; a timeout is retriable like a 5xx.
 */
export const DEFAULT_FETCH_TIMEOUT_MS = 300_000;

export type FetchFn = typeof fetch;

export interface DownloadOptions {
  readonly fetch?: FetchFn;
  /** Aborts the download (the follower stopping). */
  readonly signal?: AbortSignal;
  /** Per file; default DEFAULT_FETCH_TIMEOUT_MS. */
  readonly timeoutMs?: number;
  /** sha256 by file name, checked on the bytes as they stream in: a differing file is never written. */
  readonly sha256?: Readonly<Record<string, string>>;
}

/**
 * Downloads a model directory from an http(s) model store into `dest` (an existing, empty
 * staging dir): one GET per file under the base URL, streamed to disk while hashed (no
 * weights in memory, no second read). 5xx, 429, network errors and timeouts are retriable;
 * 4xx on a required file and a sha256 mismatch (ChecksumMismatchError) are not.
 */
export async function downloadModelDir(baseUri: string, dest: string, options: DownloadOptions = {}): Promise<void> {
  const fetchFn = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1) throw new RangeError(`fetchTimeoutMs: expected an integer >= 1, got ${timeoutMs}`);
  const base = baseUri.endsWith('/') ? baseUri : `${baseUri}/`;
  // tokenizer.json may be absent here: only tuneline.json says whether the directory needs one
  // (a ranking head does not); materializeVersion checks the required files by kind afterwards.
  for (const [file, required] of [
    ['model.onnx', true] as const,
    ['tokenizer.json', false] as const,
    ...OPTIONAL_MODEL_FILES.map((f) => [f, false] as const),
  ]) {
    const url = new URL(file, base).href;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const broke = (what: string, err: unknown): ModelFetchFailedError =>
      new ModelFetchFailedError(`GET ${url}${what}: ${timeout.aborted ? `timed out after ${timeoutMs} ms` : (err as Error).message}`, true, { cause: err });
    let res: Response;
    try {
      res = await fetchFn(url, { signal });
    } catch (err) {
      throw broke(' failed', err);
    }
    if (res.status === 404 && !required) continue;
    if (!res.ok || !res.body) {
      await res.body?.cancel().catch(() => undefined);
      throw new ModelFetchFailedError(`GET ${url} answered ${res.status} ${res.statusText}`, res.status >= 500 || res.status === 429);
    }
    const target = join(dest, file);
    const want = options.sha256?.[file];
    try {
      await streamToFile(res.body, target, (actual) => {
        if (want !== undefined && actual !== want) throw new ChecksumMismatchError(target, want, actual);
      });
    } catch (err) {
      if (err instanceof ModelLifecycleError) throw err;
      throw broke(': download broke off', err);
    }
  }
}
