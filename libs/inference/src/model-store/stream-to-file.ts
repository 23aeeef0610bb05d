import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';

export interface StreamedFile {
  readonly sha256: string;
  readonly bytes: number;
}

/**
 * Writes a response body to `<target>.part` while hashing it, so weights of any size
 * never sit in memory; renames it to `target` only when `verify(sha256)` accepts, and
 * deletes the part file on any failure. `verify` throws to refuse.
 */
export async function streamToFile(
  body: ReadableStream<Uint8Array>,
  target: string,
  verify: (sha256: string) => void,
): Promise<StreamedFile> {
  const part = `${target}.part`;
  const hash = createHash('sha256');
  let bytes = 0;
  const hashing = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  try {
    await pipeline(Readable.fromWeb(body as NodeReadableStream<Uint8Array>), hashing, createWriteStream(part));
    const sha256 = hash.digest('hex');
    verify(sha256);
    await rename(part, target);
    return { sha256, bytes };
  } catch (err) {
    await rm(part, { force: true });
    throw err;
  }
}
