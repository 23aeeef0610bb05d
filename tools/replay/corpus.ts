import type { CorpusLabel, LabelledSentence } from './synthesize';

const LABELS: readonly CorpusLabel[] = ['negative', 'neutral', 'positive'];

/** Labelled rows → corpus sentences; labels compare case-insensitively, anything else names the row. */
export function toCorpus(rows: readonly { text: string; label: string }[], file: string): LabelledSentence[] {
  return rows.map((r, i) => {
    const label = String(r.label).trim().toLowerCase();
    if (!(LABELS as readonly string[]).includes(label)) {
      throw new RangeError(`${file}: record ${i + 1} has label ${JSON.stringify(r.label)}; expected negative, neutral or positive`);
    }
    return { text: r.text, label: label as CorpusLabel };
  });
}
