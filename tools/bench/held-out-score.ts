import { Classifier } from '@tuneline/inference';
import { evaluate } from '@tuneline/finetune';
import type { Row } from './labelled-data';

/**
 * Scores an exported model on the held-out rows through the serving path (Classifier on the
 * fused graph, batches of 256): the quality benches' one measure of a trained model.
 */
export async function scoreHeldOut(dir: string, rows: readonly Row[]): Promise<{ accuracy: number; macroF1: number }> {
  const clf = await Classifier.load(dir);
  try {
    const labels = clf.labels;
    const P = new Float64Array(rows.length * labels.length);
    for (let s = 0; s < rows.length; s += 256) {
      const out = await clf.model.infer(rows.slice(s, s + 256).map((r) => r.text));
      out.forEach((p, i) => P.set(p, (s + i) * labels.length));
    }
    const idx = new Map(labels.map((l, i) => [l, i]));
    const rep = evaluate(P, rows.length, labels, Int32Array.from(rows.map((r) => idx.get(r.label) ?? -1)));
    return { accuracy: rep.accuracy, macroF1: rep.macroF1 };
  } finally {
    await clf.dispose();
  }
}
