import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SupportContentError } from '../errors';
import { sampleContentPaths } from '../samples';
import { loadArticlesFromDir } from './load-articles';
import { parseJsonArticles, parseMarkdownArticle } from './parse-articles';

describe('article parsing', () => {
  it('reads Markdown front matter and drops the title heading from the body', () => {
    const a = parseMarkdownArticle('---\nid: pin\nintents: pin_reset, card_lost\n---\n# Your PIN\n\n## Forgot it\n\nSee the app.\n', 'pin.md', 'fallback');
    expect(a).toEqual({ id: 'pin', title: 'Your PIN', intents: ['pin_reset', 'card_lost'], body: '## Forgot it\n\nSee the app.' });
  });

  it('defaults the id to the file name and accepts no front matter and CRLF line ends', () => {
    const a = parseMarkdownArticle('# Fees\r\n\r\nNo fees.\r\n', 'fees.md', 'fees');
    expect([a.id, a.title, a.intents, a.body]).toEqual(['fees', 'Fees', [], 'No fees.']);
  });

  it.each([
    ['no title', '---\nid: x\n---\nbody', /has no title/],
    ['no body', '# Title\n', /has no body/],
    ['bad id', '---\nid: ../etc\ntitle: T\n---\nbody', /bad article id/],
    ['bad front matter', '---\nnot a pair\n---\n# T\nbody', /bad front-matter line/],
  ])('rejects Markdown with %s', (_why, md, message) => {
    expect(() => parseMarkdownArticle(md, 'a.md', 'a')).toThrow(message);
  });

  it('reads JSON arrays and { articles } objects, and rejects bad entries', () => {
    const one = { id: 'a', title: 'A', body: 'text' };
    expect(parseJsonArticles([one], 'a.json')).toEqual([{ ...one, intents: [] }]);
    expect(parseJsonArticles({ articles: [{ ...one, intents: ['x'] }] }, 'a.json')[0]?.intents).toEqual(['x']);
    expect(() => parseJsonArticles({}, 'a.json')).toThrow(/expected an array/);
    expect(() => parseJsonArticles([{ id: 'a', title: 'A' }], 'a.json')).toThrow(/article #0 needs string id, title and body/);
    expect(() => parseJsonArticles([{ ...one, intents: [1] }], 'a.json')).toThrow(/intents must be a list/);
  });

  it('loads the sample directories: Markdown in English, JSON in Chinese', () => {
    const en = loadArticlesFromDir(sampleContentPaths('en').articlesDir);
    const zh = loadArticlesFromDir(sampleContentPaths('zh').articlesDir);
    expect(en.length).toBeGreaterThanOrEqual(10);
    expect(en.map((a) => a.id)).toContain('top-ups');
    expect(en.find((a) => a.id === 'top-ups')?.intents).toEqual([]);
    expect(zh.map((a) => a.id)).toContain('zh-lost-card');
  });

  it('rejects duplicate ids, empty directories and invalid JSON files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'support-kb-'));
    expect(() => loadArticlesFromDir(dir)).toThrow(/no .md or .json articles/);
    writeFileSync(join(dir, 'a.md'), '---\nid: same\n---\n# A\nbody');
    writeFileSync(join(dir, 'b.md'), '---\nid: same\n---\n# B\nbody');
    expect(() => loadArticlesFromDir(dir)).toThrow(/duplicate article id "same"/);
    writeFileSync(join(dir, 'b.md'), '# B\nbody');
    writeFileSync(join(dir, 'c.json'), '{ not json');
    expect(() => loadArticlesFromDir(dir)).toThrow(SupportContentError);
    expect(() => loadArticlesFromDir(join(dir, 'missing'))).toThrow(/cannot list articles/);
  });
});
