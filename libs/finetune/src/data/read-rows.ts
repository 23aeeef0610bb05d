import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse } from 'csv-parse/sync';
import { DatasetError } from './dataset-error';

export interface RawRow {
  readonly line: number;
  readonly fields: Readonly<Record<string, unknown>>;
}

/**
 * Reads a CSV (header row, RFC 4180 quoting via csv-parse) or JSONL file into rows that
 * remember their line number. Quoted CSV fields may span lines; the row keeps its first line.
 */
export async function readRows(file: string): Promise<RawRow[]> {
  const text = await readFile(file, 'utf8').catch((err: Error) => {
    throw new DatasetError(file, 0, `cannot read file: ${err.message}`);
  });
  const ext = extname(file).toLowerCase();
  if (ext === '.jsonl' || ext === '.ndjson') return readJsonl(file, text);
  if (ext === '.csv') return readCsv(file, text);
  throw new DatasetError(file, 0, `unsupported file type "${ext}"; use .csv or .jsonl`);
}

function readJsonl(file: string, text: string): RawRow[] {
  const rows: RawRow[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      throw new DatasetError(file, i + 1, `invalid JSON: ${(err as Error).message}`);
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw new DatasetError(file, i + 1, 'each line must be a JSON object');
    rows.push({ line: i + 1, fields: value as Record<string, unknown> });
  });
  return rows;
}

function readCsv(file: string, text: string): RawRow[] {
  try {
    const records = parse(text, { columns: true, skip_empty_lines: true, bom: true, relax_column_count: false, info: true }) as
      { record: Record<string, string>; info: { lines: number } }[];
    // info.lines is the line a record ends on; count back its own line breaks to its first line.
    return records.map(({ record, info }) => {
      const breaks = Object.values(record).reduce((n, v) => n + (v.match(/\r?\n/g)?.length ?? 0), 0);
      return { line: info.lines - breaks, fields: record };
    });
  } catch (err) {
    const e = err as Error & { lines?: number };
    throw new DatasetError(file, e.lines ?? 0, `invalid CSV: ${e.message}`);
  }
}
