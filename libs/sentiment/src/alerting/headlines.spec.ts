import { MAX_HEADLINE_TITLE, withHeadline } from './headlines';
import type { Headline } from '../types';

const h = (id: string, negativeProb: number, title = `t-${id}`): Headline => ({ id, title, negativeProb });

describe('withHeadline', () => {
  it('keeps the most negative first, bounded, ties by id', () => {
    let list: readonly Headline[] = [];
    for (const x of [h('a', 0.7), h('b', 0.9), h('c', 0.8), h('d', 0.9), h('e', 0.6)]) list = withHeadline(list, x, 3);
    expect(list.map((x) => x.id)).toEqual(['b', 'd', 'c']);
  });

  it('returns the same list when the headline does not make it or is a repeat', () => {
    const list = [h('a', 0.9), h('b', 0.8)];
    expect(withHeadline(list, h('c', 0.7), 2)).toBe(list);
    expect(withHeadline(list, h('a', 0.99), 5)).toBe(list);
    expect(withHeadline(list, h('z', 1), 0)).toBe(list);
  });

  it('never mutates the list it is given', () => {
    const list = [h('a', 0.9), h('b', 0.5)];
    const next = withHeadline(list, h('c', 0.7), 2);
    expect(list.map((x) => x.id)).toEqual(['a', 'b']);
    expect(next.map((x) => x.id)).toEqual(['a', 'c']);
  });

  it('clips long titles without splitting a surrogate pair', () => {
    const long = `${'x'.repeat(MAX_HEADLINE_TITLE - 1)}😀tail`;
    const [kept] = withHeadline([], h('a', 0.9, long), 1);
    expect(kept.title.length).toBe(MAX_HEADLINE_TITLE - 1);
    expect(withHeadline([], h('b', 0.9, 'y'.repeat(400)), 1)[0].title.length).toBe(MAX_HEADLINE_TITLE);
  });
});
