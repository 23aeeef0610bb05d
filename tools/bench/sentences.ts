import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

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
    // Banking77 rows are `text,category`; a quoted field may hold commas and newlines.
    const bankTexts = parseCsvFirstColumn(readFileSync(bank, 'utf8')).slice(1);
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

function parseCsvFirstColumn(csv: string): string[] {
  const out: string[] = [];
  let field = '';
  let col = 0;
  let quoted = false;
  for (let i = 0; i < csv.length; i++) {
    const c = csv[i];
    if (quoted) {
      if (c === '"' && csv[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { if (col === 0) out.push(field); field = ''; col++; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && csv[i + 1] === '\n') i++;
      if (col === 0 && field) out.push(field);
      field = ''; col = 0;
    } else field += c;
  }
  return out;
}
