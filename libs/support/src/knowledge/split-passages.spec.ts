import { splitArticle } from './split-passages';
import type { Article } from './article';

const article = (body: string): Article => ({ id: 'fees', title: 'Fees', intents: ['exchange_rate'], body });

describe('splitArticle', () => {
  it('starts a passage at each heading and packs a section\'s short paragraphs together', () => {
    const ps = splitArticle(article('Intro line.\n\n## Cards\n\nCard fee one.\n\nCard fee two.\n\n## Transfers\n\nTransfer fee.'));
    expect(ps.map((p) => [p.id, p.heading, p.text])).toEqual([
      ['fees#0', '', 'Intro line.'],
      ['fees#1', 'Cards', 'Card fee one.\n\nCard fee two.'],
      ['fees#2', 'Transfers', 'Transfer fee.'],
    ]);
    expect(ps[1]?.embedText).toBe('Fees — Cards\nCard fee one.\n\nCard fee two.');
    expect(ps.every((p) => p.articleId === 'fees' && p.title === 'Fees' && p.intents[0] === 'exchange_rate')).toBe(true);
  });

  it('keeps every passage within maxChars, cutting long paragraphs at sentence ends', () => {
    const sentence = 'This sentence is about forty characters. ';
    const ps = splitArticle(article(sentence.repeat(10).trim()), { maxChars: 100 });
    expect(ps.length).toBeGreaterThanOrEqual(4);
    ps.forEach((p) => expect(p.text.length).toBeLessThanOrEqual(100));
    ps.forEach((p) => expect(p.text).toMatch(/\.$/)); // cut between sentences, not inside one
    expect(ps.map((p) => p.text).join(' ')).toBe(sentence.repeat(10).trim());
  });

  it('hard-cuts a single sentence longer than maxChars and splits Chinese at 。', () => {
    const long = splitArticle(article('x'.repeat(250)), { maxChars: 100 });
    expect(long.map((p) => p.text.length)).toEqual([100, 100, 50]);
    const zh = splitArticle(article('第一句话很长很长很长。'.repeat(12)), { maxChars: 60 });
    expect(zh.length).toBeGreaterThan(1);
    zh.forEach((p) => expect(p.text.endsWith('。')).toBe(true));
  });

  it('strips Markdown emphasis and links from passage text', () => {
    const [p] = splitArticle(article('Go to **Card > Freeze** or see [our guide](https://example.com).'));
    expect(p?.text).toBe('Go to Card > Freeze or see our guide.');
  });

  it('rejects a maxChars too small to hold a sentence', () => {
    expect(() => splitArticle(article('x'), { maxChars: 10 })).toThrow(RangeError);
  });
});
