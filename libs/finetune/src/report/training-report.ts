import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EvaluationReport } from '../eval/metrics';
import type { ModelCard } from '../export/model-card';
import { DEFAULT_TRAIN_OPTIONS, type TrainOptions } from '../train/train-options';
import { confusionMatrixSvg } from './confusion-chart';
import { lineChartSvg } from './line-chart';
import { renderPng } from './render-png';

export const REPORT_FILES = {
  markdown: 'report.md',
  loss: 'loss.png',
  metrics: 'metrics.png',
  confusion: 'confusion.png',
} as const;

export type ReportFiles = { readonly [K in keyof typeof REPORT_FILES]: string };

/** Train and validation loss per epoch, with the best epoch marked. */
export function lossChartSvg(card: ModelCard): string {
  const h = card.history;
  return lineChartSvg({
    title: `Loss per epoch — ${card.name} v${card.version}`,
    xLabel: 'epoch', yLabel: 'loss',
    x: h.map((r) => r.epoch),
    series: [
      { name: 'train loss', values: h.map((r) => r.trainLoss) },
      { name: 'validation loss', values: h.map((r) => r.valLoss), dashed: true },
    ],
    ...(card.training.bestEpoch > 0 ? { marker: { x: card.training.bestEpoch, label: `best epoch ${card.training.bestEpoch}` } } : {}),
  });
}

/** Validation accuracy and macro-F1 per epoch on a fixed 0–1 axis. */
export function metricsChartSvg(card: ModelCard): string {
  const h = card.history;
  return lineChartSvg({
    title: `Validation metrics — ${card.name} v${card.version}`,
    xLabel: 'epoch', yLabel: 'score',
    x: h.map((r) => r.epoch),
    yDomain: [0, 1],
    series: [
      { name: 'accuracy', values: h.map((r) => r.valAccuracy) },
      { name: 'macro-F1', values: h.map((r) => r.valMacroF1) },
    ],
    ...(card.training.bestEpoch > 0 ? { marker: { x: card.training.bestEpoch, label: `best epoch ${card.training.bestEpoch}` } } : {}),
  });
}

export function confusionChartSvg(card: ModelCard, labels: readonly string[]): string {
  return confusionMatrixSvg(labels, card.metrics.validation.confusion, {
    title: `Confusion matrix — validation (${card.metrics.validation.count} rows)`,
  });
}

/** Markdown table cell: pipes escaped, line breaks flattened. */
function cell(value: string | number): string {
  return String(value).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

const f4 = (n: number) => (Number.isFinite(n) ? n.toFixed(4) : String(n));
const pct = (n: number) => `${(n * 100).toFixed(1)}%`;
const secs = (n: number) => `${n < 10 ? n.toFixed(3) : n.toFixed(1)} s`;

function table(header: readonly string[], rows: readonly (readonly (string | number)[])[], align?: readonly ('l' | 'r')[]): string {
  const sep = header.map((_, i) => ((align?.[i] ?? 'l') === 'r' ? '---:' : '---'));
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header.map(cell)), line(sep), ...rows.map((r) => line(r.map(cell)))].join('\n');
}

function metricsRows(cal: EvaluationReport, uncal: EvaluationReport): (string | number)[][] {
  return [
    ['accuracy', f4(cal.accuracy), f4(uncal.accuracy)],
    ['macro-F1', f4(cal.macroF1), f4(uncal.macroF1)],
    ['ECE (15 bins)', f4(cal.ece), f4(uncal.ece)],
    ['NLL', f4(cal.nll), f4(uncal.nll)],
    ['rows', cal.count, uncal.count],
  ];
}

/** The report as Markdown; images are referenced by file name next to it. */
export function trainingReportMarkdown(card: ModelCard, labels: readonly string[]): string {
  const cal = card.metrics.validation;
  const uncal = card.metrics.validationUncalibrated;
  const hp = card.hyperParameters;
  const t = card.training;
  const trainTotal = Object.values(card.data.classCounts).reduce((a, b) => a + b, 0);
  const best = card.history.find((r) => r.epoch === t.bestEpoch);
  const out: string[] = [];

  out.push(`# Training report: ${card.name} v${card.version}`, '');
  out.push(`Task **${card.task}**, ${labels.length} labels, created ${card.createdAt}. ` +
    `Validation accuracy **${f4(cal.accuracy)}**, macro-F1 **${f4(cal.macroF1)}**.`, '');

  out.push('## Base model', '');
  out.push(table(['field', 'value'], [
    ['id', card.baseModel.id],
    ['sha256', `\`${card.baseModel.sha256}\``],
    ['pooling', card.baseModel.pooling],
    ['embedding dimension', card.baseModel.dimension],
  ]), '');

  out.push('## Data', '');
  out.push(`File \`${card.data.file}\` (sha256 \`${card.data.sha256}\`): ${card.data.rows} rows, ` +
    `${card.data.trainRows} for training, ${card.data.validationRows} for validation.`, '');
  out.push(table(['label', 'train rows', 'train share', 'validation rows'], labels.map((l) => {
    const n = card.data.classCounts[l] ?? 0;
    return [l, n, trainTotal ? pct(n / trainTotal) : '—', cal.perClass[l]?.support ?? 0];
  }), ['l', 'r', 'r', 'r']), '');

  out.push('## Hyper-parameters', '');
  const keys = Object.keys(DEFAULT_TRAIN_OPTIONS) as (keyof TrainOptions)[];
  const unused = new Set<keyof TrainOptions>(hp.head === 'linear' ? ['hiddenDim', 'dropout'] : []);
  out.push(table(['parameter', 'value', 'default'],
    keys.map((k) => [unused.has(k) ? `${k} (unused by the linear head)` : k, String(hp[k]), String(DEFAULT_TRAIN_OPTIONS[k])]), ['l', 'r', 'r']), '');

  out.push('## Final metrics (validation, best epoch)', '');
  out.push(table(['metric', 'calibrated', 'uncalibrated'], metricsRows(cal, uncal), ['l', 'r', 'r']), '');
  out.push(`Temperature **${f4(card.temperature)}** (fitted on validation; the served graph divides logits by it). ` +
    `Calibration moved ECE from ${f4(uncal.ece)} to ${f4(cal.ece)}. ` +
    `Fused ONNX graph vs trained head: max |Δp| = ${card.fusedGraphMaxAbsDiff.toExponential(2)}; embedding cosine vs training ≥ ${card.fusedEmbeddingMinCosine.toFixed(4)}.`, '');
  const ex = card.exemplars;
  const headOnly = card.metrics.validationHeadOnly;
  if (ex && headOnly) {
    out.push(`Exemplar vote fused in (k ${ex.k}, temperature ${ex.temperature}, head weight ${ex.weight}; ${ex.count} training exemplars, ` +
      `${(ex.bytes / 2 ** 20).toFixed(1)} MiB in model.onnx): the metrics above are the blend's; the head alone scored accuracy ${f4(headOnly.accuracy)}, ` +
      `macro-F1 ${f4(headOnly.macroF1)}, ECE ${f4(headOnly.ece)}.`, '');
  }

  out.push('## Per-class results', '');
  out.push(table(['label', 'precision', 'recall', 'F1', 'support'], labels.map((l) => {
    const m = cal.perClass[l];
    return m ? [l, f4(m.precision), f4(m.recall), f4(m.f1), m.support] : [l, '—', '—', '—', 0];
  }), ['l', 'r', 'r', 'r', 'r']), '');

  out.push('## Training', '');
  out.push(table(['field', 'value'], [
    ['epochs run', `${t.epochsRun} of ${t.epochLimit}${t.epochLimit > hp.epochs ? ` (${hp.epochs} raised to reach ${hp.minSteps} steps)` : ''}`],
    ['best epoch', best ? `${t.bestEpoch} (validation macro-F1 ${f4(best.valMacroF1)}, loss ${f4(best.valLoss)})` : t.bestEpoch],
    ['stopped early', t.stoppedEarly ? `yes (no better epoch for ${hp.patience} epochs)` : 'no'],
    ['weights kept', `epoch ${t.bestEpoch}`],
    ['total time', secs(t.seconds)],
    ['embedding time', secs(t.embedSeconds)],
    ['embedding cache hits', t.cacheHits],
    ['head training time', secs(card.history.reduce((a, r) => a + r.seconds, 0))],
  ]), '');

  out.push('## Curves', '');
  out.push(`![Loss per epoch](${REPORT_FILES.loss})`, '');
  out.push(`![Validation accuracy and macro-F1 per epoch](${REPORT_FILES.metrics})`, '');
  out.push('## Confusion matrix', '');
  out.push('Rows are true labels, columns predicted labels; colour is the share of the row.', '');
  out.push(`![Confusion matrix](${REPORT_FILES.confusion})`, '');

  out.push('## Epoch history', '');
  out.push(table(['epoch', 'train loss', 'val loss', 'val accuracy', 'val macro-F1', 'learning rate', 'seconds'],
    card.history.map((r) => [r.epoch, f4(r.trainLoss), f4(r.valLoss), f4(r.valAccuracy), f4(r.valMacroF1), r.learningRate.toExponential(2), r.seconds.toFixed(3)]),
    ['r', 'r', 'r', 'r', 'r', 'r', 'r']), '');
  return out.join('\n');
}

/** Writes report.md, loss.png, metrics.png and confusion.png into `outDir`; returns their paths. */
export async function writeTrainingReport(outDir: string, card: ModelCard, labels: readonly string[]): Promise<ReportFiles> {
  await mkdir(outDir, { recursive: true });
  const files: ReportFiles = {
    markdown: join(outDir, REPORT_FILES.markdown),
    loss: join(outDir, REPORT_FILES.loss),
    metrics: join(outDir, REPORT_FILES.metrics),
    confusion: join(outDir, REPORT_FILES.confusion),
  };
  await writeFile(files.loss, renderPng(lossChartSvg(card)));
  await writeFile(files.metrics, renderPng(metricsChartSvg(card)));
  await writeFile(files.confusion, renderPng(confusionChartSvg(card, labels)));
  await writeFile(files.markdown, trainingReportMarkdown(card, labels));
  return files;
}
