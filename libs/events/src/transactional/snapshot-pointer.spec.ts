import { StageStateError } from '../errors';
import { formatSnapshotPointer, parseSnapshotPointer, samePointer } from './snapshot-pointer';

describe('snapshot pointer in offset metadata', () => {
  const pointer = { changelog: 'sentiment.window-state', partition: 3, offset: '9007199254740993', chunks: 2 };

  it('round-trips, offsets beyond 2^53 included', () => {
    expect(parseSnapshotPointer(formatSnapshotPointer(pointer))).toEqual(pointer);
    expect(formatSnapshotPointer(pointer).length).toBeLessThan(4096);
  });

  it('reads empty metadata as no pointer', () => {
    for (const empty of [null, undefined, '']) expect(parseSnapshotPointer(empty)).toBeUndefined();
  });

  it('refuses metadata it did not write, naming it', () => {
    const bad = [
      'hello',
      '{"v":2,"changelog":"c","partition":0,"offset":"1","chunks":1}',
      '{"v":1,"changelog":"","partition":0,"offset":"1","chunks":1}',
      '{"v":1,"changelog":"c","partition":-1,"offset":"1","chunks":1}',
      '{"v":1,"changelog":"c","partition":0,"offset":"-1","chunks":1}',
      '{"v":1,"changelog":"c","partition":0,"offset":"1","chunks":0}',
      '[1]',
    ];
    for (const metadata of bad) {
      expect(() => parseSnapshotPointer(metadata)).toThrow(StageStateError);
    }
    expect(() => parseSnapshotPointer('hello')).toThrow(/not a state snapshot pointer: "hello"/);
  });

  it('compares pointers field by field', () => {
    expect(samePointer(pointer, { ...pointer })).toBe(true);
    expect(samePointer(pointer, { ...pointer, offset: '1' })).toBe(false);
    expect(samePointer(pointer, { ...pointer, chunks: 1 })).toBe(false);
    expect(samePointer(undefined, undefined)).toBe(true);
    expect(samePointer(pointer, undefined)).toBe(false);
  });
});
