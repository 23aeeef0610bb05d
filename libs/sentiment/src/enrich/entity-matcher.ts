import { foldText, NAME_SEPARATOR_SOURCE, nameKey } from './text-fold';

/**
 * Finds watch-listed companies in free text and canonicalises names from record fields.
 *
 * Names and aliases: case-, accent- and width-insensitive (text-fold.ts); whitespace and
 * hyphens inside a name are interchangeable ("Northwind Bank" = "Northwind-Bank" =
 * "NORTHWIND  bank"). A match needs a boundary on both sides: the neighbouring character must
 * not be a letter, digit, combining mark or "_" (Unicode-aware, so "Acme" never fires in
 * "Acmeist", "Acme2" or "Ácmeist"), so punctuation ends a name: "Acme's", "Acme.", "(Acme)",
 * "ACME-led", "Acme/Globex" all match "Acme". Plurals and derived words ("Acmes") do not.
 * Scripts written without spaces (Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar) have no
 * word boundaries to test, so a name edge in those scripts matches without one.
 * Where names overlap, the longest one at a position wins ("Acme Robotics" over "Acme").
 *
 * Tickers: case-sensitive whole tokens, bare ("NWB") or as cashtags ("$NWB"), with the same
 * boundary rule ("NWBX" and "nwb" do not match "NWB"). One-letter tickers (and any shorter
 * than `minBareTickerLength`) only match as cashtags, since "A" is also a word.
 *
 * `match` returns canonical names in order of first appearance in the text, deduplicated.
 */
export interface WatchEntity {
  readonly name: string;
  readonly aliases?: readonly string[];
  readonly tickers?: readonly string[];
}

/** One mention of a watch-listed entity in a text: [start, end) UTF-16 offsets. */
export interface EntityMention {
  readonly start: number;
  readonly end: number;
  readonly name: string;
}

/** What `EntityMatcher.mask` puts where a watch-listed name was: the usual anonymous subject of financial news. */
export const ENTITY_PLACEHOLDER = 'the company';
/**
 * Whether text that ends in `tail` is where a sentence starts: nothing yet, or . ! ? and
 * whitespace. Given only the tail (the last placeholder and the text after it), never the
 * whole output: testing the output so far with /(?:^|[.!?]\s+)$/ per mention was quadratic
 * (a 20 000-character body dense with mentions took ~37 ms to mask).
 */
function atSentenceStart(tail: string): boolean {
  if (tail.length === 0) return true;
  let i = tail.length;
  while (i > 0 && /\s/u.test(tail.charAt(i - 1))) i--;
  return i > 0 && i < tail.length && '.!?'.includes(tail.charAt(i - 1));
}

export interface EntityMatcherOptions {
  /** Match tickers without a "$" in front (default true). */
  readonly bareTickers?: boolean;
  /** Shortest ticker matched bare (default 2). */
  readonly minBareTickerLength?: number;
}

const MAX_NAME_CHARS = 200;
const MAX_TICKER_CHARS = 16;
const WORD_CHAR = '[\\p{L}\\p{N}\\p{M}_]';
const NO_SPACE_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'); // '-' is literal outside a class (and may not be escaped under /u)
}

/** The regex source of one folded name key, with boundaries where its edges need them. */
function namePattern(key: string): string {
  const body = key.split(' ').map(escapeRegExp).join(NAME_SEPARATOR_SOURCE);
  const first = String.fromCodePoint(key.codePointAt(0) as number);
  const last = Array.from(key).pop() as string;
  const before = NO_SPACE_SCRIPT.test(first) ? '' : `(?<!${WORD_CHAR})`;
  const after = NO_SPACE_SCRIPT.test(last) ? '' : `(?!${WORD_CHAR})`;
  return `${before}${body}${after}`;
}

function checkText(value: unknown, field: string, max: number): string {
  if (typeof value !== 'string') throw new TypeError(`${field}: expected a string`);
  const s = value.trim();
  if (s === '' || s.length > max) throw new TypeError(`${field}: expected 1..${max} characters, got ${JSON.stringify(value)}`);
  return s;
}

function optionalList(value: unknown, field: string): readonly unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new TypeError(`${field}: expected an array of strings`);
  return value;
}

export class EntityMatcher {
  /** Folded name/alias key → canonical name. */
  private readonly names = new Map<string, string>();
  /** Ticker (as configured, case-sensitive) → canonical name. */
  private readonly tickers = new Map<string, string>();
  /** Upper-cased ticker → canonical name, for record fields (see canonical). */
  private readonly tickersUpper = new Map<string, string>();
  private readonly nameRegex: RegExp | undefined;
  private readonly tickerRegex: RegExp | undefined;
  /** Canonical names in watch-list order (ties between matches at one offset). */
  readonly entities: readonly string[];

  constructor(watchList: readonly WatchEntity[], options: EntityMatcherOptions = {}) {
    if (!Array.isArray(watchList)) throw new TypeError('watchList: expected an array of { name, aliases?, tickers? }');
    const bare = options.bareTickers ?? true;
    const minBare = options.minBareTickerLength ?? 2;
    if (!Number.isInteger(minBare) || minBare < 1) throw new RangeError(`minBareTickerLength: expected an integer >= 1, got ${minBare}`);
    const canonicals: string[] = [];
    const bareTickers: string[] = [];
    const cashTickers: string[] = [];
    watchList.forEach((entry: WatchEntity, i) => {
      const at = `watchList[${i}]`;
      if (typeof entry !== 'object' || entry === null) throw new TypeError(`${at}: expected { name, aliases?, tickers? }`);
      const name = checkText(entry.name, `${at}.name`, MAX_NAME_CHARS);
      if (canonicals.includes(name)) throw new TypeError(`${at}.name: "${name}" is listed twice`);
      canonicals.push(name);
      const surface = [name, ...optionalList(entry.aliases, `${at}.aliases`).map((a, j) => checkText(a, `${at}.aliases[${j}]`, MAX_NAME_CHARS))];
      surface.forEach((s, j) => {
        const key = nameKey(s);
        const field = j === 0 ? `${at}.name` : `${at}.aliases[${j - 1}]`;
        if (key === '') throw new TypeError(`${field}: "${s}" has nothing to match once folded`);
        const owner = this.names.get(key);
        if (owner !== undefined && owner !== name) throw new TypeError(`${field}: "${s}" already names "${owner}"`);
        this.names.set(key, name);
      });
      optionalList(entry.tickers, `${at}.tickers`).forEach((t, j) => {
        const field = `${at}.tickers[${j}]`;
        const ticker = checkText(t, field, MAX_TICKER_CHARS);
        if (/[\s$]/u.test(ticker)) throw new TypeError(`${field}: a ticker has no spaces or "$", got ${JSON.stringify(t)}`);
        const owner = this.tickersUpper.get(ticker.toUpperCase());
        if (owner !== undefined && owner !== name) throw new TypeError(`${field}: "${ticker}" already belongs to "${owner}"`);
        this.tickers.set(ticker, name);
        this.tickersUpper.set(ticker.toUpperCase(), name);
        (bare && Array.from(ticker).length >= minBare ? bareTickers : cashTickers).push(ticker);
      });
    });
    this.entities = canonicals;
    // Longest first: in an alternation the first alternative that matches wins.
    const byLength = (a: string, b: string) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0);
    const keys = [...this.names.keys()].sort(byLength);
    if (keys.length > 0) this.nameRegex = new RegExp(keys.map(namePattern).join('|'), 'gu');
    const alternatives = [
      ...(bareTickers.length ? [`\\$?(?:${bareTickers.sort(byLength).map(escapeRegExp).join('|')})`] : []),
      ...(cashTickers.length ? [`\\$(?:${cashTickers.sort(byLength).map(escapeRegExp).join('|')})`] : []),
    ];
    if (alternatives.length > 0) this.tickerRegex = new RegExp(`(?<!${WORD_CHAR})(?:${alternatives.join('|')})(?!${WORD_CHAR})`, 'gu');
  }

  /** Watch-listed entities mentioned in `text`: canonical names, first appearance first, each once. */
  match(text: string): string[] {
    return [...new Set(this.mentions(text).map((h) => h.name))];
  }

  /**
   * Every watch-listed mention in `text`: [start, end) in `text`'s UTF-16 offsets and the
   * canonical name, in order of start (ties in watch-list order); mentions may overlap
   * (a ticker inside a name).
   */
  mentions(text: string): EntityMention[] {
    if (typeof text !== 'string') throw new TypeError('text: expected a string');
    const hits: EntityMention[] = [];
    if (this.nameRegex) {
      const folded = foldText(text);
      for (const m of folded.text.matchAll(this.nameRegex)) {
        const name = this.names.get(nameKey(m[0]));
        if (name === undefined) continue;
        // The end: the original offset of the first folded unit after the match (a code
        // point that folds to several units maps them all to its own offset).
        let after = m.index + m[0].length;
        const last = folded.origin[after - 1] ?? 0;
        while (after < folded.origin.length && folded.origin[after] === last) after++;
        hits.push({ start: folded.origin[m.index] ?? 0, end: folded.origin[after] ?? text.length, name });
      }
    }
    if (this.tickerRegex) {
      for (const m of text.matchAll(this.tickerRegex)) {
        const name = this.tickers.get(m[0].replace(/^\$/u, ''));
        if (name !== undefined) hits.push({ start: m.index, end: m.index + m[0].length, name });
      }
    }
    return hits.sort((a, b) => a.start - b.start || this.entities.indexOf(a.name) - this.entities.indexOf(b.name));
  }

  /**
   * `text` with every watch-listed mention replaced by `placeholder` ("The company" at the
   * start of the text or of a sentence), for the sentiment model: a company's name is no
   * evidence about the news' tone, yet with some names in it the classifier found less of
   * the negative news (ADR 0024). Overlapping mentions are replaced once, as their union.
   */
  mask(text: string, placeholder: string = ENTITY_PLACEHOLDER): string {
    if (typeof placeholder !== 'string' || placeholder.trim() === '') throw new TypeError('placeholder: expected a non-empty string');
    const spans = this.mentions(text);
    if (spans.length === 0) return text;
    const parts: string[] = [];
    let last = ''; // the placeholder put in last ('' before the first)
    let at = 0;
    for (const { start, end } of spans) {
      if (start < at) {
        if (end > at) at = end; // overlaps the span already replaced: widen it
        continue;
      }
      const gap = text.slice(at, start);
      last = atSentenceStart(last + gap) ? placeholder.charAt(0).toUpperCase() + placeholder.slice(1) : placeholder;
      parts.push(gap, last);
      at = end;
    }
    parts.push(text.slice(at));
    return parts.join('');
  }

  /**
   * The canonical name for a record's entity or ticker when it is watch-listed, else undefined.
   * Names compare folded (like `match`); tickers exactly, then upper-cased ("nwb", "$NWB" →
   * the NWB entity): a record field is structured data, not prose that could say "on" or "it".
   */
  canonical(nameOrTicker: string): string | undefined {
    if (typeof nameOrTicker !== 'string') throw new TypeError('nameOrTicker: expected a string');
    const s = nameOrTicker.trim();
    if (s === '') return undefined;
    const ticker = s.replace(/^\$/u, '');
    return this.tickers.get(ticker) ?? this.tickersUpper.get(ticker.toUpperCase()) ?? this.names.get(nameKey(s));
  }
}

/**
 * The entities of an item, for its window events: the record's entities, then its tickers
 * (each canonicalised when watch-listed, else kept verbatim, trimmed), then the watch-list
 * matches in `text`; deduplicated, first occurrence kept.
 */
export function entitiesOf(
  record: { readonly entities: readonly string[]; readonly tickers: readonly string[] },
  text: string,
  matcher: EntityMatcher,
): string[] {
  const out = new Set<string>();
  for (const raw of [...record.entities, ...record.tickers]) {
    const s = raw.trim();
    if (s !== '') out.add(matcher.canonical(s) ?? s);
  }
  for (const name of matcher.match(text)) out.add(name);
  return [...out];
}

/**
 * Checks a parsed watch-list file (e.g. samples/watchlist.json) is an array of
 * { name, aliases?, tickers? } and that an EntityMatcher accepts it; returns it typed.
 */
export function parseWatchList(value: unknown): WatchEntity[] {
  if (!Array.isArray(value)) throw new TypeError('watchList: expected an array of { name, aliases?, tickers? }');
  const list = value.map((v: unknown, i): WatchEntity => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new TypeError(`watchList[${i}]: expected { name, aliases?, tickers? }`);
    const { name, aliases, tickers } = v as Record<string, unknown>;
    const strings = (x: unknown, field: string): string[] | undefined => {
      if (x === undefined) return undefined;
      if (!Array.isArray(x) || x.some((s) => typeof s !== 'string')) throw new TypeError(`watchList[${i}].${field}: expected an array of strings`);
      return x as string[];
    };
    if (typeof name !== 'string') throw new TypeError(`watchList[${i}].name: expected a string`);
    const a = strings(aliases, 'aliases');
    const t = strings(tickers, 'tickers');
    return { name, ...(a ? { aliases: a } : {}), ...(t ? { tickers: t } : {}) };
  });
  new EntityMatcher(list); // the deeper checks: lengths, duplicates, ticker characters
  return list;
}
