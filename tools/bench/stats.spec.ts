import { median } from './stats';

describe('median', () => {
  it('takes the middle value of an odd count and the mean of the two middle values of an even one, in any order', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([0.87, 1.64, 1.49, 1.5, 1.2])).toBe(1.49);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('leaves its input unsorted and refuses an empty list', () => {
    const xs = [3, 1, 2];
    median(xs);
    expect(xs).toEqual([3, 1, 2]);
    expect(() => median([])).toThrow(/no values/);
  });
});
