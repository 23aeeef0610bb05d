import { chunkRecords, commitOffsetAfter, notYetCommitted, transactionalIdOf } from './batch-chunks';

const records = (...offsets: string[]) => offsets.map((offset) => ({ offset }));

describe('batch offsets', () => {
  it('keeps the records at or after the committed position', () => {
    expect(notYetCommitted(records('4', '5', '7'), '5')).toEqual(records('5', '7'));
    expect(notYetCommitted(records('4', '5'), undefined)).toEqual(records('4', '5'));
    expect(notYetCommitted(records('9007199254740993'), '9007199254740992')).toHaveLength(1);
    expect(notYetCommitted(records('4'), '9')).toEqual([]);
  });

  it('cuts a batch into chunks of at most maxRecords, in order', () => {
    expect(chunkRecords([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunkRecords([], 2)).toEqual([]);
    expect(() => chunkRecords([1], 0)).toThrow(RangeError);
    expect(() => chunkRecords([1], 1.5)).toThrow(/maxBatchRecords/);
  });

  it('commits past the batch end on the last chunk (a transaction marker is never handed over), else past the chunk', () => {
    expect(commitOffsetAfter('7', '8', true)).toBe('9');
    expect(commitOffsetAfter('7', '8', false)).toBe('8');
    expect(commitOffsetAfter('7', '7', true)).toBe('8');
    expect(commitOffsetAfter('7', undefined, true)).toBe('8');
    expect(commitOffsetAfter('7', '3', true)).toBe('8');
  });

  it('names transactional ids per input partition', () => {
    expect(transactionalIdOf('sentiment-monitor.windows', 'sentiment.window-events', 4)).toBe('sentiment-monitor.windows.sentiment.window-events.4');
  });
});
