import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { streamToFile } from './stream-to-file';

const bodyOf = (chunks: string[]) => new Response(new ReadableStream<Uint8Array>({
  start(c) {
    for (const s of chunks) c.enqueue(new TextEncoder().encode(s));
    c.close();
  },
})).body as ReadableStream<Uint8Array>;

describe('streamToFile', () => {
  it('hashes the chunks it writes and renames into place when verified', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stream-'));
    const target = join(dir, 'model.onnx');
    const seen: string[] = [];
    const res = await streamToFile(bodyOf(['abc', 'def']), target, (sha) => seen.push(sha));
    const want = createHash('sha256').update('abcdef').digest('hex');
    expect(res).toEqual({ sha256: want, bytes: 6 });
    expect(seen).toEqual([want]);
    expect(readFileSync(target, 'utf8')).toBe('abcdef');
    expect(readdirSync(dir)).toEqual(['model.onnx']);
  });

  it('deletes the part file and leaves no target when verification refuses', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stream-'));
    const target = join(dir, 'model.onnx');
    await expect(streamToFile(bodyOf(['tampered']), target, () => { throw new Error('checksum mismatch'); })).rejects.toThrow('checksum mismatch');
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });
});
