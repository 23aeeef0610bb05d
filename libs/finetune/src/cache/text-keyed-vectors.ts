import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile, truncate } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * An append-only file of float32 vectors keyed by sha256 of their text: records of 32 key
 * bytes, a header of the subclass's layout and the floats. The base of the embedding and
 * hidden-state caches, so both read, cut torn records and append the same way.
 */
export abstract class TextKeyedVectors {
  private readonly entries = new Map<string, Float32Array>();
  private pending: Buffer[] = [];

  protected constructor(readonly file: string, readonly dim: number) {}

  /** Bytes after the 32 key bytes and before the floats. */
  protected abstract readonly headerBytes: number;
  /** Float count of the record whose header starts at `off` in `buf`. */
  protected abstract floatsAt(buf: Buffer, off: number): number;
  /** The header written before `vector`'s floats (empty when the layout has none). */
  protected abstract headerOf(vector: Float32Array): Buffer;
  /** Throws a RangeError when `vector` does not fit the layout. */
  protected abstract check(vector: Float32Array): void;

  static keyOf(text: string): string {
    return createHash('sha256').update(text, 'utf8').digest('hex');
  }

  /** Caches are keyed by the model's checksum: anything else would mix two models' vectors. */
  protected static assertSha256(modelSha256: string): void {
    if (!/^[0-9a-f]{64}$/.test(modelSha256)) throw new TypeError('modelSha256 must be a sha256 hex digest');
  }

  /** Reads the file's whole records into memory. */
  protected async load(): Promise<this> {
    if (!existsSync(this.file)) return this;
    const buf = await readFile(this.file);
    const head = 32 + this.headerBytes;
    let off = 0;
    while (off + head <= buf.length) {
      const end = off + head + this.floatsAt(buf, off + 32) * 4;
      if (end > buf.length) break;
      const vec = new Float32Array((end - off - head) / 4);
      Buffer.from(vec.buffer).set(buf.subarray(off + head, end));
      this.entries.set(buf.subarray(off, off + 32).toString('hex'), vec);
      off = end;
    }
    // A torn last record (crash mid-append) is cut off: left in place, every later append
    // would start mid-record and be read back as garbage.
    if (off < buf.length) await truncate(this.file, off);
    return this;
  }

  get size(): number {
    return this.entries.size;
  }

  get(text: string): Float32Array | undefined {
    return this.entries.get(TextKeyedVectors.keyOf(text));
  }

  put(text: string, vector: Float32Array): void {
    this.check(vector);
    const key = TextKeyedVectors.keyOf(text);
    if (this.entries.has(key)) return;
    this.entries.set(key, vector);
    this.pending.push(Buffer.from(key, 'hex'), this.headerOf(vector), Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength));
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    await mkdir(dirname(this.file), { recursive: true });
    const data = Buffer.concat(this.pending);
    this.pending = [];
    await appendFile(this.file, data);
  }
}
