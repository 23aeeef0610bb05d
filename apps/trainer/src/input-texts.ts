import { constants, createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { extname } from 'node:path';
import { createInterface } from 'node:readline';
import { DatasetError, joinPairText, type DatasetFields } from '@tuneline/finetune';
import { DEFAULT_INPUT_LIMITS } from '@tuneline/inference';

export type InputFormat = 'auto' | 'text' | 'jsonl';
export const INPUT_FORMATS: readonly InputFormat[] = ['auto', 'text', 'jsonl'];

export interface InputText {
  readonly line: number;
  readonly text: string;
  readonly id?: string;
}

export const STDIN_NAME = '<stdin>';

/** `.jsonl`/`.ndjson` files are JSONL, other files plain text; stdin is JSONL when its first line is a JSON object. */
function detect(source: string, firstLine: string): 'text' | 'jsonl' {
  if (source !== STDIN_NAME) return ['.jsonl', '.ndjson'].includes(extname(source).toLowerCase()) ? 'jsonl' : 'text';
  const trimmed = firstLine.trim();
  if (!trimmed.startsWith('{')) return 'text';
  try {
    const v: unknown = JSON.parse(trimmed);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? 'jsonl' : 'text';
  } catch {
    return 'text';
  }
}

function fromJson(source: string, line: number, raw: string, fields: DatasetFields): InputText {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch (err) {
    throw new DatasetError(source, line, `invalid JSON: ${(err as Error).message}`);
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new DatasetError(source, line, 'each line must be a JSON object');
  const o = v as Record<string, unknown>;
  const str = (k: string) => (typeof o[k] === 'string' && (o[k] as string).trim() !== '' ? (o[k] as string) : undefined);
  const [textCol, aCol, bCol] = [fields.text ?? 'text', fields.textA ?? 'text_a', fields.textB ?? 'text_b'];
  const a = str(aCol), b = str(bCol);
  // Pairs are joined exactly as in training (joinPairText), or the model sees other texts.
  const text = str(textCol) ?? (a !== undefined && b !== undefined ? joinPairText(a, b) : undefined);
  if (text === undefined) {
    const wanted = `missing field "${textCol}" (or "${aCol}" and "${bCol}")`;
    // None of the columns at all is a naming difference: show what the line has and the flags that map it.
    const absent = ![textCol, aCol, bCol].some((k) => k in o);
    throw new DatasetError(source, line, absent
      ? `${wanted} (columns found: ${Object.keys(o).join(', ') || 'none'}); name the columns with --text-field, or --text-a-field and --text-b-field`
      : `${wanted}: a non-empty string`);
  }
  const id = o['id'];
  return { line, text, ...(typeof id === 'string' || typeof id === 'number' ? { id: String(id) } : {}) };
}

export interface ReadInputOptions {
  /** Longer texts are a DatasetError (default: the inference library's limit). */
  readonly maxChars?: number;
  /** JSONL column names when they are not text / text_a / text_b. */
  readonly fields?: DatasetFields;
}

/**
 * Reads texts to classify, one per line: plain text (blank lines skipped) or JSONL with
 * "text" (or "text_a"/"text_b" for pair models) and an optional "id". Bad lines are a
 * DatasetError naming the line. Streams, so large files never sit in memory whole.
 */
export async function* readInputTexts(input: NodeJS.ReadableStream, source: string, format: InputFormat = 'auto',
  options: ReadInputOptions = {}): AsyncGenerator<InputText> {
  const maxChars = options.maxChars ?? DEFAULT_INPUT_LIMITS.maxTextChars;
  const lines = createInterface({ input, crlfDelay: Infinity });
  let mode: 'text' | 'jsonl' | undefined = format === 'auto' ? undefined : format;
  let n = 0;
  for await (const raw of lines) {
    n++;
    if (raw.trim() === '') continue;
    mode ??= detect(source, raw);
    const item = mode === 'jsonl' ? fromJson(source, n, raw, options.fields ?? {}) : { line: n, text: raw };
    if (item.text.length > maxChars) throw new DatasetError(source, n, `text has ${item.text.length} characters; limit is ${maxChars}`);
    yield item;
  }
}

/** The --file, or stdin without one; an unreadable file is a DatasetError like an unreadable dataset. */
export async function openInput(file: string | undefined, stdin: NodeJS.ReadableStream): Promise<{ stream: NodeJS.ReadableStream; source: string }> {
  if (!file) return { stream: stdin, source: STDIN_NAME };
  await access(file, constants.R_OK).catch((err: Error) => {
    throw new DatasetError(file, 0, `cannot read file: ${err.message}`);
  });
  return { stream: createReadStream(file), source: file };
}
