import { appendFileSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HiddenStateCache } from './hidden-state-cache';

const SHA = 'c'.repeat(64);

describe('HiddenStateCache', () => {
  it('keeps variable-length records across a re-open and cuts a torn last one', async () => {
    const root = mkdtempSync(join(tmpdir(), 'hsc-'));
    const c1 = await HiddenStateCache.open(root, SHA, 2, 3);
    c1.put('one token', Float32Array.of(1, 2, 3));
    c1.put('two tokens', Float32Array.of(4, 5, 6, 7, 8, 9));
    await c1.flush();
    const whole = statSync(c1.file).size;
    expect(whole).toBe(2 * 36 + 9 * 4);
    appendFileSync(c1.file, Buffer.alloc(10, 1));
    const c2 = await HiddenStateCache.open(root, SHA, 2, 3);
    expect(c2.size).toBe(2);
    expect(Array.from(c2.get('two tokens') ?? [])).toEqual([4, 5, 6, 7, 8, 9]);
    expect(statSync(c2.file).size).toBe(whole);
    expect((await HiddenStateCache.open(root, SHA, 3, 3)).size).toBe(0);
  });

  it('rejects a bad checksum and states that are not whole tokens', async () => {
    await expect(HiddenStateCache.open('/tmp', 'nothex', 2, 3)).rejects.toThrow(TypeError);
    const c = await HiddenStateCache.open(mkdtempSync(join(tmpdir(), 'hsc-')), SHA, 2, 3);
    expect(() => c.put('x', new Float32Array(4))).toThrow(RangeError);
    expect(() => c.put('x', new Float32Array(0))).toThrow(RangeError);
  });
});
