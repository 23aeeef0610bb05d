/**
 * Splits an article into passages: sections start at headings; a section's paragraphs
 * are packed together up to `maxChars`; a paragraph longer than that is cut at sentence
 * ends (. ! ? 。！？), and a sentence longer than that at `maxChars`. Small passages keep
 * a citation precise; packing keeps a one-line paragraph from becoming a passage alone.
 */
import type { Article, Passage } from './article';

export const DEFAULT_PASSAGE_MAX_CHARS = 600;

export interface SplitOptions {
  readonly maxChars?: number;
}

function sentences(paragraph: string): string[] {
  return paragraph.match(/[^.!?。！？]+(?:[.!?。！？]+["')\]]*\s*|$)/g)?.map((s) => s.trim()).filter(Boolean) ?? [paragraph];
}

function pack(units: readonly string[], maxChars: number, joiner: string): string[] {
  const out: string[] = [];
  let current = '';
  for (const unit of units) {
    if (current && current.length + joiner.length + unit.length > maxChars) {
      out.push(current);
      current = '';
    }
    current = current ? current + joiner + unit : unit;
  }
  if (current) out.push(current);
  return out;
}

function chunks(paragraph: string, maxChars: number): string[] {
  if (paragraph.length <= maxChars) return [paragraph];
  const pieces = sentences(paragraph).flatMap((s) => {
    const cut: string[] = [];
    for (let i = 0; i < s.length; i += maxChars) cut.push(s.slice(i, i + maxChars));
    return cut;
  });
  return pack(pieces, maxChars, ' ');
}

// Markdown emphasis and link syntax is noise to the reader of a citation and to the encoder.
function plain(text: string): string {
  return text.replace(/\[([^\]]+)\]\([^)]*\)/g, '$1').replace(/(\*\*|__|`)/g, '').trim();
}

export function splitArticle(article: Article, options: SplitOptions = {}): Passage[] {
  const maxChars = options.maxChars ?? DEFAULT_PASSAGE_MAX_CHARS;
  if (!Number.isInteger(maxChars) || maxChars < 50) throw new RangeError(`maxChars: ${maxChars} must be an integer >= 50`);
  const sections: { heading: string; paragraphs: string[] }[] = [{ heading: '', paragraphs: [] }];
  for (const block of article.body.replace(/\r\n?/g, '\n').split(/\n\s*\n/)) {
    const lines = block.split('\n');
    let paragraph: string[] = [];
    const flush = () => {
      const p = plain(paragraph.join('\n'));
      if (p) sections[sections.length - 1]?.paragraphs.push(p);
      paragraph = [];
    };
    for (const line of lines) {
      const h = /^#{1,6}\s+(.+)$/.exec(line.trim());
      if (h) {
        flush();
        sections.push({ heading: plain(h[1] as string), paragraphs: [] });
      } else paragraph.push(line);
    }
    flush();
  }
  const passages: Passage[] = [];
  for (const section of sections) {
    const units = section.paragraphs.flatMap((p) => chunks(p, maxChars));
    for (const text of pack(units, maxChars, '\n\n')) {
      const context = [article.title, section.heading].filter(Boolean).join(' — ');
      passages.push({
        id: `${article.id}#${passages.length}`,
        articleId: article.id,
        title: article.title,
        heading: section.heading,
        text,
        embedText: `${context}\n${text}`,
        intents: article.intents,
      });
    }
  }
  return passages;
}
