import { constants, createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { extname } from 'node:path';
import { createInterface } from 'node:readline';
import { DatasetError, PAIR_TEXT_SEPARATOR } from '@tuneline/finetune';
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

function fromJson(source: string, line: number, raw: string): InputText {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch (err) {
    throw new DatasetError(source, line, `invalid JSON: ${(err as Error).message}`);
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new DatasetError(source, line, 'each line must be a JSON object');
  const o = v as Record<string, unknown>;
  const str = (k: string) => (typeof o[k] === 'string' && (o[k] as string).trim() !== '' ? (o[k] as string) : undefined);
  const text = str('text') ?? (str('text_a') && str('text_b') ? `${str('text_a')}${PAIR_TEXT_SEPARATOR}${str('text_b')}` : undefined);
  if (text === undefined) throw new DatasetError(source, line, 'missing field "text" (or "text_a" and "text_b"): a non-empty string');
  const id = o['id'];
  return { line, text, ...(typeof id === 'string' || typeof id === 'number' ? { id: String(id) } : {}) };
}

/**
 * Reads texts to classify, one per line: plain text (blank lines skipped) or JSONL with
 * "text" (or "text_a"/"text_b" for pair models) and an optional "id". Bad lines are a
 * DatasetError naming the line. Streams, so large files never sit in memory whole.
 */
export async function* readInputTexts(input: NodeJS.ReadableStream, source: string, format: InputFormat = 'auto',
  maxChars = DEFAULT_INPUT_LIMITS.maxTextChars): AsyncGenerator<InputText> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  let mode: 'text' | 'jsonl' | undefined = format === 'auto' ? undefined : format;
  let n = 0;
  for await (const raw of lines) {
    n++;
    if (raw.trim() === '') continue;
    mode ??= detect(source, raw);
    const item = mode === 'jsonl' ? fromJson(source, n, raw) : { line: n, text: raw };
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
