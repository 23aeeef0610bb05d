import { EntityMatcher, entitiesOf, parseWatchList, type WatchEntity } from './entity-matcher';

const WATCH: WatchEntity[] = [
  { name: 'Acme', aliases: ['Acme Corp'], tickers: ['ACM'] },
  { name: 'Acme Robotics', tickers: ['ACMR'] },
  { name: 'Northwind Bank', aliases: ['Northwind', 'NW Bank'], tickers: ['NWB'] },
  { name: 'Société Lumière', aliases: ['Lumiere'], tickers: ['L'] },
  { name: '华星科技', aliases: ['Huaxing'] },
];
const m = new EntityMatcher(WATCH);

describe('EntityMatcher.match: names and aliases', () => {
  it.each([
    ['Acme beats estimates', ['Acme']],
    ['ACME BEATS ESTIMATES', ['Acme']],
    ["Acme's margin fell", ['Acme']],
    ['Acme’s margin fell', ['Acme']],
    ['Shares of Acme Corp. rose', ['Acme']],
    ['An ACME-led consortium', ['Acme']],
    ['(Acme) and "Acme"', ['Acme']],
    ['Acme/Northwind deal', ['Acme', 'Northwind Bank']],
    ['acme.', ['Acme']],
  ])('%s → %j', (text, expected) => {
    expect(m.match(text)).toEqual(expected);
  });

  it.each([
    'The Acmeist movement',
    'Acmes everywhere',
    'Acme2 launched',
    'SuperAcme',
    'Ácmeist art',
    'acme_bot posted',
    'Northwindy weather',
  ])('never fires inside another word: %s', (text) => {
    expect(m.match(text)).toEqual([]);
  });

  it('prefers the longest name at a position and keeps both when both appear', () => {
    expect(m.match('Acme Robotics unveils a robot')).toEqual(['Acme Robotics']);
    expect(m.match('Acme Robotics and Acme settle')).toEqual(['Acme Robotics', 'Acme']);
  });

  it('treats whitespace runs and hyphens inside a name alike', () => {
    expect(m.match('NORTHWIND  bank and Northwind-Bank')).toEqual(['Northwind Bank']);
    expect(m.match('Northwind\nBank')).toEqual(['Northwind Bank']);
    expect(m.match('NW–Bank')).toEqual(['Northwind Bank']);
  });

  it('folds accents, case and full-width forms', () => {
    expect(m.match('SOCIETE LUMIERE cuts jobs')).toEqual(['Société Lumière']);
    expect(m.match('Société Lumière cuts jobs')).toEqual(['Société Lumière']);
    expect(m.match('Lumière rallies')).toEqual(['Société Lumière']);
    expect(m.match('ＡＣＭＥ rallies')).toEqual(['Acme']);
  });

  it('matches names in scripts without spaces without a word boundary', () => {
    expect(m.match('今日华星科技股价上涨')).toEqual(['华星科技']);
  });

  it('orders by first appearance and dedupes', () => {
    expect(m.match('Northwind slips; Acme rises; Northwind Bank again; $ACM')).toEqual(['Northwind Bank', 'Acme']);
  });

  it('returns nothing for empty text or an empty watch-list', () => {
    expect(m.match('')).toEqual([]);
    expect(new EntityMatcher([]).match('Acme')).toEqual([]);
  });
});

describe('EntityMatcher.match: tickers', () => {
  it.each([
    ['NWB falls 5%', ['Northwind Bank']],
    ['$NWB falls', ['Northwind Bank']],
    ['Shares (NWB.) fell', ['Northwind Bank']],
    ["NWB's results", ['Northwind Bank']],
    ['$L jumps', ['Société Lumière']],
  ])('%s → %j', (text, expected) => {
    expect(m.match(text)).toEqual(expected);
  });

  it.each(['nwb falls', 'NWBX falls', 'XNWB falls', 'L jumps', 'ACMRX'])('is case-sensitive and whole-token: %s', (text) => {
    expect(m.match(text)).toEqual([]);
  });

  it('distinguishes tickers that prefix each other', () => {
    expect(m.match('ACMR and ACM')).toEqual(['Acme Robotics', 'Acme']);
  });

  it('matches only cashtags when bare tickers are off', () => {
    const cash = new EntityMatcher(WATCH, { bareTickers: false });
    expect(cash.match('NWB falls')).toEqual([]);
    expect(cash.match('$NWB falls')).toEqual(['Northwind Bank']);
  });
});

describe('EntityMatcher.canonical', () => {
  it('maps names, aliases and tickers to the canonical name', () => {
    expect(m.canonical('northwind')).toBe('Northwind Bank');
    expect(m.canonical(' NW  Bank ')).toBe('Northwind Bank');
    expect(m.canonical('NWB')).toBe('Northwind Bank');
    expect(m.canonical('$nwb')).toBe('Northwind Bank');
    expect(m.canonical('societe lumiere')).toBe('Société Lumière');
  });

  it('returns undefined for what is not watch-listed', () => {
    expect(m.canonical('Globex')).toBeUndefined();
    expect(m.canonical('')).toBeUndefined();
  });
});

describe('EntityMatcher: bad watch-lists', () => {
  it.each<[string, unknown, RegExp]>([
    ['not an array', { name: 'x' }, /^watchList: expected an array/],
    ['a null entry', [null], /^watchList\[0\]: expected/],
    ['an empty name', [{ name: ' ' }], /^watchList\[0\]\.name: expected 1\.\.200/],
    ['a duplicate name', [{ name: 'A' }, { name: 'A' }], /^watchList\[1\]\.name: "A" is listed twice/],
    ['an alias owned by another', [{ name: 'A' }, { name: 'B', aliases: ['a'] }], /^watchList\[1\]\.aliases\[0\]: "a" already names "A"/],
    ['a shared ticker', [{ name: 'A', tickers: ['X'] }, { name: 'B', tickers: ['x'] }], /^watchList\[1\]\.tickers\[0\]: "x" already belongs to "A"/],
    ['a ticker with $', [{ name: 'A', tickers: ['$A'] }], /^watchList\[0\]\.tickers\[0\]: a ticker has no spaces/],
    ['a long ticker', [{ name: 'A', tickers: ['X'.repeat(17)] }], /^watchList\[0\]\.tickers\[0\]: expected 1\.\.16/],
    ['aliases not an array', [{ name: 'A', aliases: 'a' }], /^watchList\[0\]\.aliases: expected an array/],
    ['a name of marks only', [{ name: '\u0301' }], /nothing to match once folded/],
  ])('%s', (_what, list, message) => {
    expect(() => new EntityMatcher(list as WatchEntity[])).toThrow(TypeError);
    expect(() => new EntityMatcher(list as WatchEntity[])).toThrow(message);
  });

  it('rejects a bad minBareTickerLength and non-string input', () => {
    expect(() => new EntityMatcher([], { minBareTickerLength: 0 })).toThrow(RangeError);
    expect(() => m.match(undefined as unknown as string)).toThrow(/^text: expected a string/);
  });
});

describe('parseWatchList', () => {
  it('returns a typed copy of a valid file and rejects a bad one', () => {
    expect(parseWatchList([{ name: 'A', aliases: ['Ay'], tickers: ['AA'], extra: 1 }])).toEqual([{ name: 'A', aliases: ['Ay'], tickers: ['AA'] }]);
    expect(() => parseWatchList([{ name: 'A', tickers: [1] }])).toThrow(/^watchList\[0\]\.tickers: expected an array of strings/);
    expect(() => parseWatchList([{ name: 'A' }, { name: 'A' }])).toThrow(/listed twice/);
  });
});

describe('entitiesOf', () => {
  it('canonicalises record entities and tickers, keeps unknown ones verbatim, then adds text matches, deduped', () => {
    const record = { entities: ['northwind', 'Globex Ltd', 'Globex Ltd'], tickers: ['ACMR', 'ZZZ', 'NWB'] };
    expect(entitiesOf(record, 'Acme and Northwind Bank news', m)).toEqual(['Northwind Bank', 'Globex Ltd', 'Acme Robotics', 'ZZZ', 'Acme']);
  });
});

describe('EntityMatcher.mentions and mask', () => {
  it('gives each mention its span in the original text, accents and tickers included', () => {
    const text = 'SOCIÉTÉ LUMIÈRE and $NWB: Northwind-Bank fell';
    expect(m.mentions(text).map((h) => [text.slice(h.start, h.end), h.name])).toEqual([
      ['SOCIÉTÉ LUMIÈRE', 'Société Lumière'],
      ['$NWB', 'Northwind Bank'],
      ['Northwind-Bank', 'Northwind Bank'],
    ]);
  });

  it('replaces every mention with "the company", capitalised where a sentence starts', () => {
    expect(m.mask('Acme Robotics: profit fell. Acme Corp\'s rival (ACM) rose, as did NW Bank.')).toBe(
      'The company: profit fell. The company\'s rival (the company) rose, as did the company.',
    );
    expect(m.mask('Shares of Acmeist rose')).toBe('Shares of Acmeist rose'); // no mention, unchanged
    expect(m.mask('Huaxing: 华星科技盈利', 'X Co')).toBe('X Co: X Co盈利');
  });

  it('replaces overlapping mentions once, as their union, and refuses an empty placeholder', () => {
    const overlapping = new EntityMatcher([{ name: 'Acme Robotics', tickers: ['Acme'] }]);
    expect(overlapping.mask('Acme Robotics sued')).toBe('The company sued');
    expect(() => m.mask('Acme', ' ')).toThrow(/placeholder/);
    expect(() => m.mask(42 as unknown as string)).toThrow(TypeError);
  });
});
