import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';

/**
 * Benchmark text: Banking77 and Financial PhraseBank training texts from ../shared when
 * present (real lengths), else the project's own sample data. Says which it used.
 */
export function loadSentences(root: string, count: number): { texts: string[]; source: string } {
  const shared = join(root, '..', 'shared', 'datasets');
  const texts: string[] = [];
  let source: string;
  const bank = join(shared, 'banking77', 'train.csv');
  const fin = join(shared, 'financial_phrasebank', 'train.jsonl');
  if (existsSync(bank) && existsSync(fin)) {
    const finTexts = readFileSync(fin, 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { text: string }).text);
    const bankRows = parse(readFileSync(bank, 'utf8'), { columns: true, skip_empty_lines: true }) as { text: string }[];
    const bankTexts = bankRows.map((r) => r.text);
    for (let i = 0; texts.length < count && (i < bankTexts.length || i < finTexts.length); i++) {
      if (bankTexts[i]) texts.push(bankTexts[i] as string);
      if (finTexts[i] && texts.length < count) texts.push(finTexts[i] as string);
    }
    source = '../shared/datasets (banking77 + financial_phrasebank train texts, interleaved)';
  } else {
    const samples = join(root, 'libs', 'finetune', 'samples');
    const lines = ['support-intents.jsonl', 'financial-sentiment.jsonl']
      .flatMap((f) => readFileSync(join(samples, f), 'utf8').split('\n').filter(Boolean))
      .map((l) => (JSON.parse(l) as { text: string }).text);
    while (texts.length < count) texts.push(...lines.slice(0, count - texts.length));
    source = 'libs/finetune/samples (shared datasets not found)';
  }
  return { texts: texts.map((t) => t.trim()).filter(Boolean).slice(0, count), source };
}
