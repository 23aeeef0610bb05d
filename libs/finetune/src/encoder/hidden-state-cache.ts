import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile, truncate } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * On-disk cache of the hidden states entering the first trained layer, keyed by (model
 * checksum, k, sha256 of text), like the embedding cache. A record is 32 key bytes, the
 * token count (uint32) and tokens × dim float32s, unpadded: padding does not change a
 * real token's hidden state (masked keys get weight exp(−huge) = 0).
 */
export class HiddenStateCache {
  private readonly entries = new Map<string, Float32Array>();
  private pending: Buffer[] = [];

  private constructor(readonly file: string, readonly dim: number) {}

  static async open(root: string, modelSha256: string, layers: number, dim: number): Promise<HiddenStateCache> {
    if (!/^[0-9a-f]{64}$/.test(modelSha256)) throw new TypeError('modelSha256 must be a sha256 hex digest');
    const cache = new HiddenStateCache(join(root, 'hidden-states', `${modelSha256}-k${layers}-${dim}.bin`), dim);
    if (!existsSync(cache.file)) return cache;
    const buf = await readFile(cache.file);
    let off = 0;
    while (off + 36 <= buf.length) {
      const tokens = buf.readUInt32LE(off + 32);
      const end = off + 36 + tokens * dim * 4;
      if (end > buf.length) break;
      const vec = new Float32Array(tokens * dim);
      Buffer.from(vec.buffer).set(buf.subarray(off + 36, end));
      cache.entries.set(buf.subarray(off, off + 32).toString('hex'), vec);
      off = end;
    }
    // A torn last record (crash mid-append) is cut off so later appends stay aligned.
    if (off < buf.length) await truncate(cache.file, off);
    return cache;
  }

  static keyOf(text: string): string {
    return createHash('sha256').update(text, 'utf8').digest('hex');
  }

  get size(): number {
    return this.entries.size;
  }

  get(text: string): Float32Array | undefined {
    return this.entries.get(HiddenStateCache.keyOf(text));
  }

  put(text: string, states: Float32Array): void {
    if (states.length === 0 || states.length % this.dim !== 0) throw new RangeError(`states length ${states.length} is not a positive multiple of ${this.dim}`);
    const key = HiddenStateCache.keyOf(text);
    if (this.entries.has(key)) return;
    this.entries.set(key, states);
    const head = Buffer.alloc(36);
    Buffer.from(key, 'hex').copy(head);
    head.writeUInt32LE(states.length / this.dim, 32);
    this.pending.push(head, Buffer.from(states.buffer, states.byteOffset, states.byteLength));
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    await mkdir(dirname(this.file), { recursive: true });
    const data = Buffer.concat(this.pending);
    this.pending = [];
    await appendFile(this.file, data);
  }
}
