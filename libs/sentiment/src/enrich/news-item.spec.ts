import { TOPICS, validateValue, type NewsRawValue } from '@tuneline/events';
import { EntityMatcher } from './entity-matcher';
import { DEFAULT_MAX_TEXT_CHARS, modelText, newsItemFromRecord, truncateAtWord } from './news-item';

const record: NewsRawValue = {
  id: 'n-1',
  source: 'wire',
  published_at: '2025-01-06T10:00:00+02:00',
  title: '  Northwind Bank fined ',
  body: 'The regulator fined the bank.',
  language: 'en',
  tickers: ['NWB', ' NWB ', ''],
  entities: ['Northwind Bank'],
};

describe('newsItemFromRecord', () => {
  it('trims, normalises the time to UTC and dedupes the lists', () => {
    const item = newsItemFromRecord(record);
    expect(item).toEqual({
      id: 'n-1', source: 'wire', publishedAt: '2025-01-06T08:00:00.000Z', publishedAtMs: Date.UTC(2025, 0, 6, 8),
      title: 'Northwind Bank fined', body: 'The regulator fined the bank.', language: 'en', tickers: ['NWB'], entities: ['Northwind Bank'],
    });
  });

  it('takes what the news.raw schema decodes', () => {
    expect(newsItemFromRecord(validateValue(TOPICS.newsRaw, { ...record, tickers: ['NWB', ' NWB '] })).tickers).toEqual(['NWB']);
  });

  it('defaults absent tickers and entities to empty lists', () => {
    const item = newsItemFromRecord({ ...record, tickers: undefined, entities: undefined });
    expect(item.tickers).toEqual([]);
    expect(item.entities).toEqual([]);
  });

  it('rejects an empty title and body, a bad time and non-string fields, naming the field', () => {
    expect(() => newsItemFromRecord({ ...record, title: ' ', body: '' })).toThrow(/^title: title and body are both empty/);
    expect(() => newsItemFromRecord({ ...record, published_at: 'yesterday' })).toThrow(RangeError);
    expect(() => newsItemFromRecord({ ...record, published_at: 'yesterday' })).toThrow(/published_at/);
    expect(() => newsItemFromRecord({ ...record, id: 7 } as unknown as NewsRawValue)).toThrow(/^id: expected a string/);
    expect(() => newsItemFromRecord({ ...record, tickers: ['A', 3] } as unknown as NewsRawValue)).toThrow(/^tickers\[1\]/);
    expect(() => newsItemFromRecord(null as unknown as NewsRawValue)).toThrow(TypeError);
  });
});

describe('modelText', () => {
  it('joins title and body with ". ", or a space after a title that already ends a sentence', () => {
    expect(modelText({ title: 'Acme beats', body: 'Profit rose.' }, 100)).toBe('Acme beats. Profit rose.');
    expect(modelText({ title: 'Acme beats!', body: 'Profit rose.' }, 100)).toBe('Acme beats! Profit rose.');
    expect(modelText({ title: '', body: 'Only body.' }, 100)).toBe('Only body.');
    expect(modelText({ title: 'Only title', body: ' ' }, 100)).toBe('Only title');
  });

  it('truncates at a word boundary to maxChars (default 2000)', () => {
    expect(modelText({ title: 'Acme beats', body: 'profit estimates again' }, 20)).toBe('Acme beats. profit');
    const long = modelText({ title: 't', body: 'word '.repeat(1000) });
    expect(long.length).toBeLessThanOrEqual(DEFAULT_MAX_TEXT_CHARS);
    expect(long.endsWith('word')).toBe(true);
  });

  it('masks watch-listed mentions when given a matcher, before cutting to maxChars', () => {
    const matcher = new EntityMatcher([{ name: 'Acme Robotics', tickers: ['ACMR'] }]);
    expect(modelText({ title: 'Acme Robotics sued', body: 'ACMR fell.' }, 100, matcher)).toBe('The company sued. The company fell.');
    expect(modelText({ title: 'Acme Robotics sued', body: 'ACMR fell.' }, 100)).toBe('Acme Robotics sued. ACMR fell.');
    expect(modelText({ title: 'Acme Robotics sued', body: 'ACMR fell.' }, 20, matcher)).toBe('The company sued.');
  });

  it('rejects a maxChars that is not a positive integer', () => {
    expect(() => modelText({ title: 'a', body: '' }, 0)).toThrow(RangeError);
    expect(() => modelText({ title: 'a', body: '' }, 1.5)).toThrow(/maxChars/);
  });
});

describe('truncateAtWord', () => {
  it('leaves short text alone and cuts hard when the last space is too early', () => {
    expect(truncateAtWord('short', 10)).toBe('short');
    expect(truncateAtWord('a supercalifragilistic', 10)).toBe('a supercal');
  });

  it('cuts cleanly when the cut falls on a space', () => {
    expect(truncateAtWord('alpha beta gamma', 10)).toBe('alpha beta');
  });

  it('never splits a surrogate pair', () => {
    const out = truncateAtWord('abcd😀efgh', 5);
    expect(out).toBe('abcd');
    expect(truncateAtWord('abc😀', 5)).toBe('abc😀');
  });
});
