import { appendFileSync, mkdtempSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddingCache } from './embedding-cache';

const SHA = 'a'.repeat(64);

describe('EmbeddingCache', () => {
  it('persists vectors keyed by text and model checksum', async () => {
    const root = mkdtempSync(join(tmpdir(), 'emb-'));
    const c1 = await EmbeddingCache.open(root, SHA, 3);
    c1.put('hello', Float32Array.from([1, 2, 3]));
    c1.put('hello', Float32Array.from([9, 9, 9])); // first write wins; same text, same model
    await c1.flush();
    const c2 = await EmbeddingCache.open(root, SHA, 3);
    expect(c2.size).toBe(1);
    expect(Array.from(c2.get('hello') ?? [])).toEqual([1, 2, 3]);
    expect(c2.get('other')).toBeUndefined();
    const otherModel = await EmbeddingCache.open(root, 'b'.repeat(64), 3);
    expect(otherModel.get('hello')).toBeUndefined();
  });

  it('ignores a torn trailing record', async () => {
    const root = mkdtempSync(join(tmpdir(), 'emb-'));
    const c = await EmbeddingCache.open(root, SHA, 2);
    c.put('x', Float32Array.from([1, 2]));
    await c.flush();
    appendFileSync(c.file, Buffer.alloc(10));
    expect((await EmbeddingCache.open(root, SHA, 2)).size).toBe(1);
  });

  it('truncates a torn last record on open, so later appends stay readable', async () => {
    const root = mkdtempSync(join(tmpdir(), 'emb-'));
    const c1 = await EmbeddingCache.open(root, SHA, 4);
    c1.put('kept', Float32Array.from([1, 2, 3, 4]));
    c1.put('torn', Float32Array.from([5, 6, 7, 8]));
    await c1.flush();
    const record = statSync(c1.file).size / 2;
    truncateSync(c1.file, record + 20); // crash in the middle of the second record
    const c2 = await EmbeddingCache.open(root, SHA, 4);
    expect(c2.size).toBe(1);
    expect(statSync(c2.file).size).toBe(record);
    c2.put('after', Float32Array.from([9, 10, 11, 12]));
    await c2.flush();
    const c3 = await EmbeddingCache.open(root, SHA, 4);
    expect(c3.size).toBe(2);
    expect(Array.from(c3.get('kept') ?? [])).toEqual([1, 2, 3, 4]);
    expect(Array.from(c3.get('after') ?? [])).toEqual([9, 10, 11, 12]);
    expect(c3.get('torn')).toBeUndefined();
  });

  it('rejects bad arguments', async () => {
    await expect(EmbeddingCache.open('/tmp', 'nothex', 3)).rejects.toThrow(TypeError);
    const c = await EmbeddingCache.open(mkdtempSync(join(tmpdir(), 'emb-')), SHA, 3);
    expect(() => c.put('x', new Float32Array(2))).toThrow(/2 dims/);
  });
});
