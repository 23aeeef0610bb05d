import { IdIndex } from './id-index';

describe('IdIndex', () => {
  it('numbers ids in insertion order and keeps the first position of a repeat', () => {
    const index = IdIndex.of(['b', 'a', 'b', 'c']);
    expect(index.ids).toEqual(['b', 'a', 'c']);
    expect(index.indexOf('c')).toBe(2);
    expect(index.add('a')).toBe(1);
    expect(index.add('d')).toBe(3);
    expect(index.size).toBe(4);
  });

  it('answers -1 for an unknown id and throws outside the range', () => {
    const index = IdIndex.of(['x']);
    expect(index.indexOf('y')).toBe(-1);
    expect(index.has('y')).toBe(false);
    expect(index.idAt(0)).toBe('x');
    expect(() => index.idAt(1)).toThrow(RangeError);
  });

  it('rejects an empty or non-string id', () => {
    expect(() => IdIndex.of([''])).toThrow(/id must be a non-empty string/);
    expect(() => new IdIndex().add(3 as unknown as string)).toThrow(TypeError);
  });
});
