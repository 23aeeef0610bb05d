import type { Headline } from '../types';

/** Longest headline title kept (the sentiment.alerts schema allows 300 chars). */
export const MAX_HEADLINE_TITLE = 300;

/** Most negative first; ties by id so the order never depends on arrival. */
export function compareHeadlines(a: Headline, b: Headline): number {
  if (a.negativeProb !== b.negativeProb) return b.negativeProb - a.negativeProb;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Returns a new list with `h` inserted in order and cut to `max`, or the same list when
 * `h` does not make it (or its id is already there). Never mutates `list`, so alerts may
 * share the arrays the engine keeps.
 */
export function withHeadline(list: readonly Headline[], h: Headline, max: number): readonly Headline[] {
  if (max <= 0 || list.some((x) => x.id === h.id)) return list;
  if (list.length >= max && compareHeadlines(h, list[list.length - 1]) >= 0) return list;
  let i = list.length;
  while (i > 0 && compareHeadlines(h, list[i - 1]) < 0) i--;
  const next = [...list.slice(0, i), { id: h.id, title: clipTitle(h.title), negativeProb: h.negativeProb }, ...list.slice(i)];
  return next.length > max ? next.slice(0, max) : next;
}

function clipTitle(title: string): string {
  if (title.length <= MAX_HEADLINE_TITLE) return title;
  let cut = MAX_HEADLINE_TITLE;
  const last = title.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut--; // do not split a surrogate pair
  return title.slice(0, cut);
}
