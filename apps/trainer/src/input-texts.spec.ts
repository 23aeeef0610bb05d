import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { DatasetError, joinPairText, type DatasetFields } from '@tuneline/finetune';
import { openInput, readInputTexts, STDIN_NAME, type InputFormat, type InputText } from './input-texts';

async function read(text: string, source = STDIN_NAME, format: InputFormat = 'auto', maxChars?: number, fields?: DatasetFields): Promise<InputText[]> {
  const out: InputText[] = [];
  const options = { ...(maxChars !== undefined ? { maxChars } : {}), ...(fields ? { fields } : {}) };
  for await (const t of readInputTexts(Readable.from([text]), source, format, options)) out.push(t);
  return out;
}

describe('predict input', () => {
  it('plain text: one text per line, blank lines skipped, line numbers kept', async () => {
    expect(await read('first\n\n  \nsecond\r\nthird')).toEqual([
      { line: 1, text: 'first' }, { line: 4, text: 'second' }, { line: 5, text: 'third' }]);
  });

  it('stdin starting with a JSON object is JSONL: text, optional id, pair fields', async () => {
    const input = '{"id":1,"text":"a"}\n{"text":"b","label":"x"}\n{"text_a":"q","text_b":"d"}\n';
    expect(await read(input)).toEqual([{ line: 1, text: 'a', id: '1' }, { line: 2, text: 'b' }, { line: 3, text: 'q [SEP] d' }]);
  });

  it('JSONL texts from columns named otherwise (--text-field, --text-a-field, --text-b-field)', async () => {
    expect(await read('{"body":"a","id":"7"}\n', STDIN_NAME, 'auto', undefined, { text: 'body' })).toEqual([{ line: 1, text: 'a', id: '7' }]);
    expect(await read('{"q":"how","d":"doc"}\n', STDIN_NAME, 'auto', undefined, { textA: 'q', textB: 'd' })).toEqual([{ line: 1, text: joinPairText('how', 'doc') }]);
  });

  it('a missing text column lists the columns found and the flags to set', async () => {
    await expect(read('{"body":"a","id":1}\n')).rejects.toThrow(
      `${STDIN_NAME}:1: missing field "text" (or "text_a" and "text_b") (columns found: body, id); name the columns with --text-field, or --text-a-field and --text-b-field`);
  });

  it('a stdin line that merely starts with "{" stays text', async () => {
    expect(await read('{braces} in a headline\n')).toEqual([{ line: 1, text: '{braces} in a headline' }]);
  });

  it('file format follows the extension; --format overrides', async () => {
    expect(await read('{"text":"a"}\n', 'in.txt')).toEqual([{ line: 1, text: '{"text":"a"}' }]);
    expect(await read('{"text":"a"}\n', 'in.jsonl')).toEqual([{ line: 1, text: 'a' }]);
    expect(await read('{"text":"a"}\n', 'in.txt', 'jsonl')).toEqual([{ line: 1, text: 'a' }]);
  });

  it('bad JSONL lines and over-long texts are DatasetErrors naming the line', async () => {
    await expect(read('{"text":"a"}\n{"text":""}\n')).rejects.toThrow(`${STDIN_NAME}:2: missing field "text"`);
    await expect(read('{"text":"a"}\nnot json\n', STDIN_NAME, 'jsonl')).rejects.toThrow(/<stdin>:2: invalid JSON/);
    await expect(read('[1]\n', 'x.jsonl')).rejects.toThrow('x.jsonl:1: each line must be a JSON object');
    await expect(read('short\nmuch too long\n', 'x.txt', 'auto', 8)).rejects.toThrow(new DatasetError('x.txt', 2, 'text has 13 characters; limit is 8'));
  });

  it('opens stdin without --file and refuses an unreadable file as bad data', async () => {
    const stdin = Readable.from(['x']);
    expect((await openInput(undefined, stdin)).source).toBe(STDIN_NAME);
    const dir = mkdtempSync(join(tmpdir(), 'input-'));
    writeFileSync(join(dir, 'a.txt'), 'hello\n');
    expect((await openInput(join(dir, 'a.txt'), stdin)).source).toBe(join(dir, 'a.txt'));
    await expect(openInput(join(dir, 'missing.txt'), stdin)).rejects.toThrow(DatasetError);
  });
});
