/**
 * Folding for name matching: compatibility forms unified (NFKD: full-width "ＡＣＭＥ" is
 * "ACME"), lower-cased, accents dropped ("Société" is "societe"), typographic apostrophes made
 * ASCII. `origin[i]` is the offset in the original text of folded unit i, so matches found in
 * the folded text can be ordered against matches found in the original (tickers).
 */
export interface FoldedText {
  readonly text: string;
  readonly origin: readonly number[];
}

const APOSTROPHES = new Set(['\u2018', '\u2019', '\u02bc', '\uff07']);
const MARKS = /\p{M}/gu;

function foldCodePoint(cp: string): string {
  if (APOSTROPHES.has(cp)) return "'";
  return cp.normalize('NFKD').toLowerCase().replace(MARKS, '');
}

export function foldText(text: string): FoldedText {
  let out = '';
  const origin: number[] = [];
  let i = 0;
  for (const cp of text) {
    const code = cp.charCodeAt(0);
    // ASCII fast path: most news text is ASCII and normalize() per character is slow.
    const folded = code < 0x80 ? (code >= 0x41 && code <= 0x5a ? String.fromCharCode(code + 32) : cp) : foldCodePoint(cp);
    out += folded;
    for (let k = 0; k < folded.length; k++) origin.push(i);
    i += cp.length;
  }
  return { text: out, origin };
}

/** Separators inside a multi-word name: any run of whitespace or hyphen/dash characters. */
export const NAME_SEPARATOR_SOURCE = '[\\s\\u002d\\u2010-\\u2015]+';
const NAME_SEPARATOR = new RegExp(NAME_SEPARATOR_SOURCE, 'gu');

/** The lookup key of a name or alias: folded, separators collapsed to one space, trimmed. */
export function nameKey(name: string): string {
  return foldText(name).text.replace(NAME_SEPARATOR, ' ').trim();
}
