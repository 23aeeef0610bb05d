import { existsSync, readFileSync } from 'node:fs';
import { extname, join, relative, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { UsageError } from './bench-cli';

/**
 * Benchmark text. The published figures are measured on the Banking77 and Financial
 * PhraseBank training texts in ../shared; any other file can be given with --texts. The
 * project's short sample texts run 2–3x faster, so they are used only when asked for by
 * name (`--texts samples`), never as a silent fallback.
 */
export type TextSource =
  | { readonly kind: 'samples' }
  | { readonly kind: 'files'; readonly files: readonly string[]; readonly field: string };

export const SAMPLE_TEXTS = 'samples';
export const DEFAULT_TEXT_FILES = '../shared/datasets/banking77/train.csv,../shared/datasets/financial_phrasebank/train.jsonl';
const SAMPLE_FILES = ['libs/finetune/samples/support-intents.jsonl', 'libs/finetune/samples/financial-sentiment.jsonl'];

/** Checks that every file exists (paths relative to root), else a UsageError saying what to pass instead. */
export function resolveTextSource(texts: string, field: string, root: string): TextSource {
  if (texts === SAMPLE_TEXTS) return { kind: 'samples' };
  const files = texts.split(',').map((f) => resolve(root, f.trim()));
  const missing = files.filter((f) => !existsSync(f));
  if (missing.length) {
    throw new UsageError(`text file not found: ${missing.join(', ')}.\n`
      + 'The published figures use the ../shared/datasets training texts. Pass --texts <file>[,<file>…] (CSV with a header, '
      + 'JSONL, or .txt with one text a line; --text-field names the column), or --texts samples to measure on '
      + 'libs/finetune/samples: short texts that run 2–3x faster, not comparable with docs/benchmarks.md.');
  }
  return { kind: 'files', files, field };
}

export function describeTextSource(source: TextSource, root: string): string {
  if (source.kind === 'samples') return `${SAMPLE_FILES.join(' + ')} (sample texts asked for; not comparable with shared-data runs)`;
  return `${source.files.map((f) => relative(root, f)).join(' + ')} (field ${source.field}${source.files.length > 1 ? ', interleaved' : ''})`;
}

/** The --texts/--text-field part of a reproducible command line; empty for the defaults. */
export function textFlags(source: TextSource, root: string): string {
  if (source.kind === 'samples') return ` --texts ${SAMPLE_TEXTS}`;
  const files = source.files.map((f) => relative(root, f)).join(',');
  return (files === DEFAULT_TEXT_FILES ? '' : ` --texts ${files}`) + (source.field === 'text' ? '' : ` --text-field ${source.field}`);
}

/** Records of a CSV (header row), JSONL or plain-text file. */
export function readRecords(file: string): Record<string, unknown>[] {
  const body = readFileSync(file, 'utf8');
  const ext = extname(file).toLowerCase();
  if (ext === '.csv') return parse(body, { columns: true, skip_empty_lines: true }) as Record<string, unknown>[];
  if (ext === '.jsonl' || ext === '.ndjson') return body.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Record<string, unknown>);
  if (ext === '.txt') return body.split('\n').filter((l) => l.trim()).map((text) => ({ text }));
  throw new UsageError(`${file}: unsupported format ${ext || '(no extension)'}; use .csv, .jsonl or .txt`);
}

/** The string field of every record; a record without it is a UsageError (wrong --text-field). */
export function fieldOf(file: string, records: readonly Record<string, unknown>[], field: string): string[] {
  return records.map((r, i) => {
    const v = r[field];
    if (typeof v !== 'string') throw new UsageError(`${file}: record ${i + 1} has no string field "${field}" (fields: ${Object.keys(r).join(', ')})`);
    return v;
  });
}

/** `count` texts, the files interleaved (short questions and long news sentences mixed), trimmed. */
export function loadSentences(root: string, source: TextSource, count: number): string[] {
  const perFile = source.kind === 'samples'
    ? [SAMPLE_FILES.flatMap((f) => fieldOf(f, readRecords(join(root, f)), 'text'))]
    : source.files.map((f) => fieldOf(f, readRecords(f), source.field));
  const texts: string[] = [];
  const longest = Math.max(...perFile.map((t) => t.length));
  for (let i = 0; texts.length < count && i < longest; i++) {
    for (const t of perFile) if (t[i] && texts.length < count) texts.push(t[i] as string);
  }
  // Samples are few: repeat them to reach `count` (the old fallback did the same).
  if (source.kind === 'samples') {
    const all = [...texts];
    while (all.length && texts.length < count) texts.push(...all.slice(0, count - texts.length));
  }
  return texts.map((t) => t.trim()).filter(Boolean).slice(0, count);
}

/** How the parent hands the text source to tools/bench/inference-worker.ts. */
export const TEXTS_ENV = 'BENCH_TEXTS';

export function textSourceFromEnv(env: NodeJS.ProcessEnv = process.env): TextSource {
  const raw = env[TEXTS_ENV];
  if (!raw) throw new Error(`${TEXTS_ENV} is not set: the worker is started by tools/bench/inference.ts or batch-tuning.ts`);
  return JSON.parse(raw) as TextSource;
}
