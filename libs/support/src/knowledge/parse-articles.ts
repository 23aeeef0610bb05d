/**
 * Article parsers. Markdown files carry a front-matter block of `key: value` lines:
 *
 *   ---
 *   id: card-delivery            (optional: defaults to the file name)
 *   title: When your card arrives (optional: defaults to the first `# ` heading)
 *   intents: card_arrival, card_lost
 *   ---
 *
 * JSON files hold an array of { id, title, intents?, body } (or { "articles": [...] }).
 */
import { SupportContentError } from '../errors';
import type { Article } from './article';

const ARTICLE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

function checked(article: Article, source: string): Article {
  if (!ARTICLE_ID.test(article.id)) throw new SupportContentError(`bad article id "${article.id}"`, source);
  if (article.title.trim() === '') throw new SupportContentError(`article ${article.id} has no title`, source);
  if (article.body.trim() === '') throw new SupportContentError(`article ${article.id} has no body`, source);
  return article;
}

function splitList(value: string): string[] {
  return value.split(',').map((s) => s.trim()).filter(Boolean);
}

export function parseMarkdownArticle(markdown: string, source: string, defaultId: string): Article {
  const text = markdown.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const meta: Record<string, string> = {};
  let body = text;
  const fm = /^---\n([\s\S]*?)\n---\n?/.exec(text);
  if (fm) {
    for (const line of (fm[1] ?? '').split('\n')) {
      if (line.trim() === '') continue;
      const m = /^([A-Za-z_]+)\s*:\s*(.*)$/.exec(line);
      if (!m) throw new SupportContentError(`bad front-matter line "${line}"`, source);
      meta[(m[1] as string).toLowerCase()] = (m[2] as string).trim();
    }
    body = text.slice(fm[0].length);
  }
  let title = meta['title'] ?? '';
  const h1 = /^# (.+)\n?/m.exec(body);
  if (!title && h1) title = (h1[1] as string).trim();
  // The title heading is the article's name, not a section of its body.
  if (h1 && (h1[1] as string).trim() === title) body = body.replace(h1[0], '');
  return checked({ id: meta['id'] ?? defaultId, title, intents: splitList(meta['intents'] ?? ''), body: body.trim() }, source);
}

export function parseJsonArticles(json: unknown, source: string): Article[] {
  const list = Array.isArray(json) ? json : (json as { articles?: unknown } | null)?.articles;
  if (!Array.isArray(list)) throw new SupportContentError('expected an array of articles or { "articles": [...] }', source);
  return list.map((raw: unknown, i) => {
    const a = (raw ?? {}) as Record<string, unknown>;
    const intents = a['intents'] ?? [];
    if (typeof a['id'] !== 'string' || typeof a['title'] !== 'string' || typeof a['body'] !== 'string') {
      throw new SupportContentError(`article #${i} needs string id, title and body`, source);
    }
    if (!Array.isArray(intents) || intents.some((x) => typeof x !== 'string')) {
      throw new SupportContentError(`article ${a['id']}: intents must be a list of labels`, source);
    }
    return checked({ id: a['id'], title: a['title'], intents: intents as string[], body: a['body'] }, source);
  });
}
