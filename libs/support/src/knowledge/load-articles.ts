import { readdirSync, readFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { SupportContentError } from '../errors';
import type { Article } from './article';
import { parseJsonArticles, parseMarkdownArticle } from './parse-articles';

/**
 * Every `.md` and `.json` article file of a directory (not recursive), in file-name
 * order so passage order and ids are stable. Duplicate ids fail: citations would be ambiguous.
 */
export function loadArticlesFromDir(dir: string): Article[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => ['.md', '.json'].includes(extname(n))).sort();
  } catch (err) {
    throw new SupportContentError(`cannot list articles: ${(err as Error).message}`, dir);
  }
  const articles = names.flatMap((name) => {
    const path = join(dir, name);
    const text = readFileSync(path, 'utf8');
    if (extname(name) === '.md') return [parseMarkdownArticle(text, path, basename(name, '.md'))];
    try {
      return parseJsonArticles(JSON.parse(text), path);
    } catch (err) {
      if (err instanceof SupportContentError) throw err;
      throw new SupportContentError(`invalid JSON: ${(err as Error).message}`, path);
    }
  });
  const seen = new Set<string>();
  for (const a of articles) {
    if (seen.has(a.id)) throw new SupportContentError(`duplicate article id "${a.id}"`, dir);
    seen.add(a.id);
  }
  if (articles.length === 0) throw new SupportContentError('no .md or .json articles', dir);
  return articles;
}
