import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { MODEL_CONFIG_FILE } from '@tuneline/inference';
import { ModelFetchFailedError } from './errors';

/** What a served model directory needs (see @tuneline/inference loadModelDir). */
export const REQUIRED_MODEL_FILES: readonly string[] = ['model.onnx', 'tokenizer.json'];
/** Fetched when the store has them; a 404 is fine (HF exports have no tuneline.json, embedders no labels). */
export const OPTIONAL_MODEL_FILES: readonly string[] = [MODEL_CONFIG_FILE, 'labels.json', 'model-card.json'];

export type FetchFn = typeof fetch;

/**
 * Downloads a model directory from an http(s) model store into `dest` (an existing, empty
 * staging dir): one GET per file under the base URL, streamed to disk so weights never sit
 * in memory. 5xx and network errors are retriable; 4xx on a required file is not.
 */
export async function downloadModelDir(baseUri: string, dest: string, fetchFn: FetchFn = fetch, signal?: AbortSignal): Promise<void> {
  const base = baseUri.endsWith('/') ? baseUri : `${baseUri}/`;
  for (const [file, required] of [
    ...REQUIRED_MODEL_FILES.map((f) => [f, true] as const),
    ...OPTIONAL_MODEL_FILES.map((f) => [f, false] as const),
  ]) {
    const url = new URL(file, base).href;
    let res: Response;
    try {
      res = await fetchFn(url, signal ? { signal } : {});
    } catch (err) {
      throw new ModelFetchFailedError(`GET ${url} failed: ${(err as Error).message}`, true, { cause: err });
    }
    if (res.status === 404 && !required) continue;
    if (!res.ok || !res.body) {
      throw new ModelFetchFailedError(`GET ${url} answered ${res.status} ${res.statusText}`, res.status >= 500 || res.status === 429);
    }
    try {
      await pipeline(Readable.fromWeb(res.body as unknown as WebReadableStream<Uint8Array>), createWriteStream(join(dest, file)));
    } catch (err) {
      throw new ModelFetchFailedError(`GET ${url}: download broke off: ${(err as Error).message}`, true, { cause: err });
    }
  }
}
