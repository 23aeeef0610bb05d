import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TextTokenizer } from './text-tokenizer';
import { resolveModelDir } from '../model-store/resolve-model';

interface Case { text: string; maxLength: number; ids: number[]; typeIds: number[] }
interface Fixture { reference: string; models: { model: string; cases: Case[] }[] }

// Ids were produced by Hugging Face's Rust tokenizers (tools/models/tokenizer-fixtures.py).
const fixture = JSON.parse(readFileSync(join(__dirname, '../../test/fixtures/tokenizer-parity.json'), 'utf8')) as Fixture;

describe.each(fixture.models.map((m) => [m.model, m.cases] as const))('tokenizer parity with %s', (model, cases) => {
  const path = join(resolveModelDir(model, process.env), 'tokenizer.json');

  it.each(cases.map((c, i) => [i, c.maxLength, c.text.slice(0, 40), c] as const))('case %i (max %i): %s', async (_i, maxLength, _t, c) => {
    const tok = await TextTokenizer.fromFile(path, maxLength);
    const enc = tok.encode(c.text);
    expect([...enc.ids]).toEqual(c.ids);
    expect([...enc.typeIds]).toEqual(c.typeIds);
    const untruncated = (await TextTokenizer.fromFile(path, 1_000_000)).encode(c.text).ids.length;
    expect(enc.truncated).toBe(untruncated > maxLength);
  });

  it('covers non-ASCII and Chinese text and a truncated case', () => {
    expect(cases.some((c) => /[\u4e00-\u9fff]/.test(c.text))).toBe(true);
    expect(cases.some((c) => c.ids.length === c.maxLength)).toBe(true);
  });
});
