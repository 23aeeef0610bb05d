import { parse } from 'csv-parse/sync';
import { RecommendDataError } from './data-error';

/** One CSV record as strings by header name, with the line it starts on. */
export interface CsvRecord {
  readonly line: number;
  readonly fields: Readonly<Record<string, string>>;
}

/**
 * Parses CSV text with a header row (RFC 4180 quoting via csv-parse) and checks that every
 * `required` column is there, so a wrong file fails once, naming the column, not per row.
 */
export function csvRecords(text: string, source: string, required: readonly string[]): CsvRecord[] {
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(text, { columns: true, skip_empty_lines: true, bom: true, info: true }) as typeof records;
  } catch (err) {
    const e = err as Error & { lines?: number };
    throw new RecommendDataError(source, e.lines ?? 0, `invalid CSV: ${e.message}`, { cause: err });
  }
  const header = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const columns = new Set(header.split(',').map((c) => c.trim().replace(/^"|"$/g, '')));
  const missing = required.filter((c) => !columns.has(c));
  if (missing.length > 0) throw new RecommendDataError(source, 1, `missing column(s) ${missing.join(', ')} (header: ${header})`);
  // info.lines is the line a record ends on; quoted fields may span lines, so count those back.
  return records.map(({ record, info }) => {
    const breaks = Object.values(record).reduce((n, v) => n + (v.match(/\r?\n/g)?.length ?? 0), 0);
    return { line: info.lines - breaks, fields: record };
  });
}
