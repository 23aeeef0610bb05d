import { StageStateError } from '../errors';
import type { StageSnapshotValue } from '../schemas';
import { joinSnapshot, splitSnapshot } from './snapshot-chunks';

const jsonBytes = (s: string): number => Buffer.byteLength(JSON.stringify(s), 'utf8') - 2;

describe('splitSnapshot', () => {
  it('keeps a small text whole and an empty one as one empty piece', () => {
    expect(splitSnapshot('{"a":1}', 100)).toEqual(['{"a":1}']);
    expect(splitSnapshot('', 100)).toEqual(['']);
  });

  it('cuts by JSON-encoded UTF-8 bytes, escapes and multi-byte characters included', () => {
    const text = `${'"\\\n'.repeat(50)}${'é€'.repeat(40)}${'\u0001'.repeat(30)}${'😀'.repeat(25)}\ud800x`;
    for (const max of [6, 7, 16, 64, 1000]) {
      const pieces = splitSnapshot(text, max);
      expect(pieces.join('')).toBe(text);
      for (const piece of pieces) expect(jsonBytes(piece)).toBeLessThanOrEqual(max);
      // Tight: a piece is only cut when the next character would not fit.
      for (let i = 0; i < pieces.length - 1; i++) {
        const nextChar = pieces[i + 1].codePointAt(0) ?? 0;
        expect(jsonBytes(pieces[i] + String.fromCodePoint(nextChar))).toBeGreaterThan(max);
      }
    }
  });

  it('never separates the halves of a surrogate pair', () => {
    const pieces = splitSnapshot('a😀😀😀', 7);
    expect(pieces).toEqual(['a😀', '😀', '😀']);
  });

  it('refuses a budget too small for one escaped character', () => {
    expect(() => splitSnapshot('x', 5)).toThrow(new RangeError('maxChunkBytes: expected an integer >= 6, got 5'));
  });
});

describe('joinSnapshot', () => {
  const chunk = (i: number, n: number, data: string, over: Partial<StageSnapshotValue> = {}): StageSnapshotValue => ({
    v: 1,
    groupId: 'g',
    partition: 2,
    nextOffset: '10',
    chunk: i,
    chunks: n,
    data,
    savedAt: '2026-11-28T10:00:00.000Z',
    ...over,
  });
  const id = { groupId: 'g', partition: 2 };

  it('joins the chunks of one snapshot in order', () => {
    expect(joinSnapshot([chunk(0, 3, 'ab'), chunk(1, 3, 'cd'), chunk(2, 3, 'e')], id)).toBe('abcde');
    expect(joinSnapshot([chunk(0, 1, '')], id)).toBe('');
  });

  it('refuses incomplete, foreign or mixed chunks', () => {
    expect(() => joinSnapshot([], id)).toThrow(StageStateError);
    expect(() => joinSnapshot([chunk(1, 2, 'x')], id)).toThrow(/expected chunk 0 first/);
    expect(() => joinSnapshot([chunk(0, 2, 'x')], id)).toThrow(/expected 2 chunks, got 1/);
    expect(() => joinSnapshot([chunk(0, 1, 'x', { groupId: 'other' })], id)).toThrow(/belongs to other\/2/);
    expect(() => joinSnapshot([chunk(0, 2, 'x'), chunk(1, 2, 'y', { nextOffset: '7' })], id)).toThrow(/chunk 1 is chunk 1\/2 at 7/);
  });
});
