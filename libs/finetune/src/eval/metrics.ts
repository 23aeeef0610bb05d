/** Classification metrics on predicted probabilities. */
export interface ClassMetrics { readonly precision: number; readonly recall: number; readonly f1: number; readonly support: number }

export interface EvaluationReport {
  readonly accuracy: number;
  readonly macroF1: number;
  readonly perClass: Readonly<Record<string, ClassMetrics>>;
  /** confusion[true][predicted] */
  readonly confusion: readonly (readonly number[])[];
  readonly ece: number;
  readonly nll: number;
  readonly count: number;
}

export function argmaxRows(P: Float64Array, n: number, c: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < c; j++) if ((P[i * c + j] as number) > (P[i * c + best] as number)) best = j;
    out[i] = best;
  }
  return out;
}

export function evaluate(P: Float64Array, n: number, labels: readonly string[], targets: Int32Array, eceBins = 15): EvaluationReport {
  const c = labels.length;
  const pred = argmaxRows(P, n, c);
  const confusion = Array.from({ length: c }, () => new Array<number>(c).fill(0));
  let correct = 0;
  let nll = 0;
  for (let i = 0; i < n; i++) {
    const y = targets[i] as number;
    (confusion[y] as number[])[pred[i] as number]++;
    if (pred[i] === y) correct++;
    nll -= Math.log(Math.max(P[i * c + y] as number, 1e-12));
  }
  const perClass: Record<string, ClassMetrics> = {};
  let f1Sum = 0;
  let present = 0;
  labels.forEach((label, j) => {
    const tp = (confusion[j] as number[])[j] as number;
    const support = (confusion[j] as number[]).reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((a, row) => a + (row[j] as number), 0);
    const precision = predicted ? tp / predicted : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    perClass[label] = { precision, recall, f1, support };
    // Macro-F1 averages over classes present in the evaluated data.
    if (support > 0) { f1Sum += f1; present++; }
  });
  return { accuracy: n ? correct / n : 0, macroF1: present ? f1Sum / present : 0, perClass, confusion, ece: expectedCalibrationError(P, n, c, targets, eceBins), nll: n ? nll / n : 0, count: n };
}

/** ECE: |accuracy − confidence| averaged over equal-width confidence bins, weighted by bin size. */
export function expectedCalibrationError(P: Float64Array, n: number, c: number, targets: Int32Array, bins = 15): number {
  const count = new Float64Array(bins), conf = new Float64Array(bins), acc = new Float64Array(bins);
  const pred = argmaxRows(P, n, c);
  for (let i = 0; i < n; i++) {
    const p = P[i * c + (pred[i] as number)] as number;
    const b = Math.min(bins - 1, Math.floor(p * bins));
    count[b] = (count[b] as number) + 1;
    conf[b] = (conf[b] as number) + p;
    acc[b] = (acc[b] as number) + (pred[i] === targets[i] ? 1 : 0);
  }
  let ece = 0;
  for (let b = 0; b < bins; b++) if (count[b]) ece += Math.abs((acc[b] as number) - (conf[b] as number)) * ((1 / n));
  return ece;
}
