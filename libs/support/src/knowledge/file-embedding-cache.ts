/**
 * Embedding cache on local disk: one append-only JSON-lines file per model checksum
 * (`<dir>/<checksum>.jsonl`, lines `{"h": textHash, "v": base64 float32}`), read once
 * on first use. A torn or corrupt line (crash mid-append) is skipped: that text is
 * simply embedded again. Meant for one process per directory (the service's start-up).
 */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EmbeddingCache } from './embedding-cache';

const CHECKSUM = /^[A-Za-z0-9._-]{1,128}$/;

function encode(v: Float32Array): string {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
}

function decode(b64: string): Float32Array | undefined {
  const buf = Buffer.from(b64, 'base64');
  if (buf.byteLength === 0 || buf.byteLength % 4 !== 0) return undefined;
  // Copy into a fresh, aligned buffer: Buffer pools do not guarantee 4-byte alignment.
  return new Float32Array(new Uint8Array(buf).buffer);
}

export class FileEmbeddingCache implements EmbeddingCache {
  private readonly loaded = new Map<string, Promise<Map<string, Float32Array>>>();

  constructor(private readonly dir: string) {
    if (!dir) throw new TypeError('dir is required');
  }

  private fileOf(modelChecksum: string): string {
    // The checksum becomes a file name, so it must not be able to climb out of the directory.
    if (!CHECKSUM.test(modelChecksum)) throw new RangeError(`modelChecksum: "${modelChecksum}" must match ${CHECKSUM}`);
    return join(this.dir, `${modelChecksum}.jsonl`);
  }

  private entries(modelChecksum: string): Promise<Map<string, Float32Array>> {
    let p = this.loaded.get(modelChecksum);
    if (!p) {
      p = this.read(this.fileOf(modelChecksum));
      this.loaded.set(modelChecksum, p);
    }
    return p;
  }

  private async read(file: string): Promise<Map<string, Float32Array>> {
    const map = new Map<string, Float32Array>();
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return map;
      throw err;
    }
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        const { h, v } = JSON.parse(line) as { h?: unknown; v?: unknown };
        const vec = typeof v === 'string' ? decode(v) : undefined;
        if (typeof h === 'string' && vec) map.set(h, vec);
      } catch {
        // torn last line: skip it, the text is re-embedded and appended again
      }
    }
    return map;
  }

  async getMany(modelChecksum: string, textHashes: readonly string[]): Promise<(Float32Array | undefined)[]> {
    const map = await this.entries(modelChecksum);
    return textHashes.map((h) => map.get(h));
  }

  async setMany(modelChecksum: string, entries: readonly (readonly [string, Float32Array])[]): Promise<void> {
    const file = this.fileOf(modelChecksum);
    const map = await this.entries(modelChecksum);
    const fresh = entries.filter(([h]) => !map.has(h));
    if (fresh.length === 0) return;
    await mkdir(this.dir, { recursive: true });
    // Start on a new line in case the file ends in a torn record.
    await appendFile(file, '\n' + fresh.map(([h, v]) => JSON.stringify({ h, v: encode(v) })).join('\n') + '\n');
    for (const [h, v] of fresh) map.set(h, Float32Array.from(v));
  }
}
