import { rankingChangeLines, topChanged } from './ranking-change';

const items = (...ids: string[]) => ids.map((itemId, n) => ({ itemId, title: `Title ${itemId}`, score: 1 - n / 10 }));

describe('the demo ranking after likes', () => {
  it('an unchanged top is reported as unchanged, with the wait and why, not listed as the new ranking', () => {
    const before = items('a', 'b', 'c', 'd');
    const lines = rankingChangeLines(before, items('a', 'b', 'c', 'x'), 3, 15_000);
    expect(lines[0]).toBe('-- after: the top 3 did not change within 15 s of the likes.');
    expect(lines.join('\n')).toMatch(/consumes user\.events/);
    expect(lines.some((l) => l.includes('Title a'))).toBe(false);
  });

  it('a changed top is listed, its newcomers marked (new)', () => {
    const lines = rankingChangeLines(items('a', 'b', 'c'), items('b', 'x', 'a'), 3, 2_000);
    expect(lines[0]).toBe('-- after');
    expect(lines.slice(1).map((l) => l.trim())).toEqual([
      expect.stringMatching(/^1\. Title b +1\.000$/),
      expect.stringMatching(/^2\. Title x +0\.900 {2}\(new\)$/),
      expect.stringMatching(/^3\. Title a +0\.800$/),
    ]);
  });

  it('only the first `top` ids count as a change', () => {
    expect(topChanged(items('a', 'b', 'c'), items('a', 'b', 'z'), 2)).toBe(false);
    expect(topChanged(items('a', 'b', 'c'), items('b', 'a', 'c'), 2)).toBe(true);
  });
});
