import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile, truncate } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * On-disk embedding cache keyed by (model checksum, sha256 of text). One append-only file
 * per model: records of 32 hash bytes + dim float32s. A second training run on the same
 * data reads every vector from here and skips the encoder pass.
 */
export class EmbeddingCache {
  private readonly entries = new Map<string, Float32Array>();
  private pending: { key: Buffer; vector: Float32Array }[] = [];

  private constructor(readonly file: string, readonly dim: number) {}

  static async open(root: string, modelSha256: string, dim: number): Promise<EmbeddingCache> {
    if (!/^[0-9a-f]{64}$/.test(modelSha256)) throw new TypeError('modelSha256 must be a sha256 hex digest');
    const cache = new EmbeddingCache(join(root, 'embeddings', `${modelSha256}-${dim}.bin`), dim);
    if (existsSync(cache.file)) {
      const buf = await readFile(cache.file);
      const rec = 32 + dim * 4;
      const whole = buf.length - (buf.length % rec);
      // A torn last record (crash mid-append) is cut off: left in place, every later append
      // would start mid-record and be read back as garbage.
      if (whole < buf.length) await truncate(cache.file, whole);
      for (let off = 0; off + rec <= whole; off += rec) {
        const key = buf.subarray(off, off + 32).toString('hex');
        const vec = new Float32Array(dim);
        Buffer.from(vec.buffer).set(buf.subarray(off + 32, off + rec));
        cache.entries.set(key, vec);
      }
    }
    return cache;
  }

  static keyOf(text: string): string {
    return createHash('sha256').update(text, 'utf8').digest('hex');
  }

  get size(): number {
    return this.entries.size;
  }

  get(text: string): Float32Array | undefined {
    return this.entries.get(EmbeddingCache.keyOf(text));
  }

  put(text: string, vector: Float32Array): void {
    if (vector.length !== this.dim) throw new RangeError(`vector has ${vector.length} dims, cache holds ${this.dim}`);
    const key = EmbeddingCache.keyOf(text);
    if (this.entries.has(key)) return;
    this.entries.set(key, vector);
    this.pending.push({ key: Buffer.from(key, 'hex'), vector });
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    await mkdir(dirname(this.file), { recursive: true });
    const parts = this.pending.flatMap(({ key, vector }) => [key, Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength)]);
    this.pending = [];
    await appendFile(this.file, Buffer.concat(parts));
  }
}
