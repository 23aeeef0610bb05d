import type { NewsRawValue } from '@tuneline/events';
import type { EntityMatcher } from './entity-matcher';

/**
 * A news.raw record normalised for enrichment, and the text the sentiment model reads.
 * The record is already schema-valid when it gets here (libs/events decodes news.raw with
 * its zod schema: `NewsRawValue`); these functions still refuse what would break scoring,
 * naming the field.
 */

export interface NewsItem {
  readonly id: string;
  readonly source: string;
  /** published_at re-written as UTC ISO-8601 (`Date#toISOString`), so items compare as strings. */
  readonly publishedAt: string;
  readonly publishedAtMs: number;
  readonly title: string;
  readonly body: string;
  readonly language: string;
  /** Trimmed, empty ones dropped, duplicates removed, record order kept. */
  readonly tickers: readonly string[];
  readonly entities: readonly string[];
}

/** Default of SENTIMENT_MAX_TEXT_CHARS: characters of title + body the model reads. */
export const DEFAULT_MAX_TEXT_CHARS = 2000;

function requiredString(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new TypeError(`${field}: expected a string, got ${value === null ? 'null' : typeof value}`);
  return value.trim();
}

function stringList(value: unknown, field: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new TypeError(`${field}: expected an array of strings`);
  const out: string[] = [];
  value.forEach((v: unknown, i) => {
    const s = requiredString(v, `${field}[${i}]`);
    if (s !== '' && !out.includes(s)) out.push(s);
  });
  return out;
}

export function newsItemFromRecord(v: NewsRawValue): NewsItem {
  if (typeof v !== 'object' || v === null) throw new TypeError('record: expected a news.raw object');
  const id = requiredString(v.id, 'id');
  if (id === '') throw new TypeError('id: must not be empty');
  const title = requiredString(v.title, 'title');
  const body = requiredString(v.body, 'body');
  if (title === '' && body === '') throw new TypeError('title: title and body are both empty');
  const publishedAtMs = Date.parse(requiredString(v.published_at, 'published_at'));
  if (!Number.isFinite(publishedAtMs)) throw new RangeError(`published_at: not a valid ISO-8601 time: ${JSON.stringify(v.published_at)}`);
  return {
    id,
    source: requiredString(v.source, 'source'),
    publishedAt: new Date(publishedAtMs).toISOString(),
    publishedAtMs,
    title,
    body,
    language: requiredString(v.language, 'language'),
    tickers: stringList(v.tickers, 'tickers'),
    entities: stringList(v.entities, 'entities'),
  };
}

/**
 * Cuts `text` to at most `maxChars` UTF-16 units, at the last whitespace when that keeps at
 * least half of the budget (a word cut in two reads as a different word to the tokenizer),
 * else hard; never between the halves of a surrogate pair.
 */
export function truncateAtWord(text: string, maxChars: number): string {
  if (!Number.isInteger(maxChars) || maxChars < 1) throw new RangeError(`maxChars: expected an integer >= 1, got ${maxChars}`);
  if (text.length <= maxChars) return text;
  let end = maxChars;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1; // high surrogate: keep the pair whole
  const cut = text.slice(0, end);
  if (/\s/u.test(text.charAt(end))) return cut.trimEnd();
  const space = cut.search(/\s\S*$/u);
  return space >= maxChars / 2 ? cut.slice(0, space).trimEnd() : cut;
}

/**
 * What the model reads: title + ". " + body (just one of them when the other is empty; a
 * title already ending in . ! ? : or … is joined with a space, not a second stop), with every
 * watch-listed mention replaced by "the company" when `masker` is given (EntityMatcher.mask:
 * the service's scoring does so, ADR 0024), cut at a word boundary to `maxChars`
 * (SENTIMENT_MAX_TEXT_CHARS, default 2000).
 */
export function modelText(item: Pick<NewsItem, 'title' | 'body'>, maxChars: number = DEFAULT_MAX_TEXT_CHARS, masker?: Pick<EntityMatcher, 'mask'>): string {
  if (!Number.isInteger(maxChars) || maxChars < 1) throw new RangeError(`maxChars: expected an integer >= 1, got ${maxChars}`);
  const title = item.title.trim();
  const body = item.body.trim();
  const joined = title === '' ? body : body === '' ? title : `${title}${/[.!?:…]$/u.test(title) ? ' ' : '. '}${body}`;
  return truncateAtWord(masker ? masker.mask(joined) : joined, maxChars);
}
