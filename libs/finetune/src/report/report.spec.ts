import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EvaluationReport } from '../eval/metrics';
import type { ModelCard } from '../export/model-card';
import { DEFAULT_TRAIN_OPTIONS } from '../train/train-options';
import { confusionLayout, confusionMatrixSvg } from './confusion-chart';
import { lineChartSvg } from './line-chart';
import { PNG_SIGNATURE, renderPng } from './render-png';
import { niceTicks, tickLabel } from './svg';
import { lossChartSvg, metricsChartSvg, REPORT_FILES, trainingReportMarkdown, writeTrainingReport } from './training-report';

const LABELS = ['negative', 'neutral', 'positive'];

function report(accuracy: number, macroF1: number, ece: number): EvaluationReport {
  return {
    accuracy, macroF1, ece, nll: 0.4321, count: 20,
    perClass: {
      negative: { precision: 0.9, recall: 0.8571, f1: 0.878, support: 7 },
      neutral: { precision: 0.75, recall: 0.8333, f1: 0.7895, support: 6 },
      positive: { precision: 0.8571, recall: 0.8571, f1: 0.8571, support: 7 },
    },
    confusion: [[6, 1, 0], [1, 5, 0], [0, 1, 6]],
  };
}

function fakeCard(epochs = 8): ModelCard {
  const history = Array.from({ length: epochs }, (_, i) => ({
    epoch: i + 1, trainLoss: 1.1 - i * 0.1, valLoss: 1.05 - i * 0.08, valAccuracy: 0.4 + i * 0.06, valMacroF1: 0.35 + i * 0.065,
    learningRate: 2e-3 * (1 - i / epochs), seconds: 0.01,
  }));
  return {
    format: 'tuneline-model-card/v1', name: 'fin-sentiment', version: '3', task: 'classification', createdAt: '2026-11-28T10:00:00.000Z',
    baseModel: { id: 'BAAI/bge-small-en-v1.5', sha256: 'a'.repeat(64), pooling: 'cls', dimension: 384 },
    data: { file: 'fin.jsonl', sha256: 'b'.repeat(64), rows: 120, trainRows: 100, validationRows: 20, classCounts: { negative: 34, neutral: 30, positive: 36 } },
    hyperParameters: { ...DEFAULT_TRAIN_OPTIONS, head: 'linear', epochs: 40, patience: 3 },
    training: { epochsRun: epochs, epochLimit: 40, bestEpoch: 5, stoppedEarly: true, seconds: 12.5, embedSeconds: 9.25, cacheHits: 17 },
    temperature: 1.7321,
    metrics: { validation: report(0.8765, 0.8432, 0.0312), validationUncalibrated: report(0.8765, 0.8432, 0.1234) },
    history,
    fusedGraphMaxAbsDiff: 2.5e-7,
    fusedEmbeddingMinCosine: 0.9999,
  };
}

const count = (s: string, re: RegExp) => s.match(re)?.length ?? 0;
const polylinePoints = (svg: string) => [...svg.matchAll(/<polyline[^>]*points="([^"]*)"/g)].map((m) => (m[1] as string).split(' ').filter(Boolean).length);

describe('axis ticks', () => {
  it('picks 1-2-2.5-5 steps covering the range', () => {
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(1, 10, 9)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const t = niceTicks(0.93, 1.12, 5);
    expect(t[0]).toBeLessThanOrEqual(0.93);
    expect(t[t.length - 1]).toBeGreaterThanOrEqual(1.12);
  });

  it('widens a flat range and labels with the step precision', () => {
    expect(niceTicks(0.5, 0.5).length).toBeGreaterThan(1);
    expect(tickLabel(0.25, 0.25)).toBe('0.25');
    expect(tickLabel(3, 1)).toBe('3');
    expect(tickLabel(0.4, 0.2)).toBe('0.4');
  });
});

describe('line chart SVG', () => {
  it('draws one polyline per series with one point per epoch, a legend and the best-epoch marker', () => {
    const svg = lossChartSvg(fakeCard(8));
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(count(svg, /<polyline /g)).toBe(2);
    expect(polylinePoints(svg)).toEqual([8, 8]);
    expect(svg).toContain('data-series="train loss"');
    expect(svg).toContain('data-series="validation loss"');
    expect(svg).toContain('>train loss</text>');
    expect(svg).toContain('>best epoch 5</text>');
    expect(svg).toContain('class="marker"');
    expect(svg).toContain('Loss per epoch — fin-sentiment v3');
  });

  it('puts accuracy and macro-F1 on a fixed 0–1 axis', () => {
    const svg = metricsChartSvg(fakeCard(12));
    expect(polylinePoints(svg)).toEqual([12, 12]);
    expect(svg).toContain('>accuracy</text>');
    expect(svg).toContain('>macro-F1</text>');
    expect(svg).toContain('>0.0</text>');
    expect(svg).toContain('>1.0</text>');
  });

  it('leaves non-finite values out of the line and escapes names', () => {
    const svg = lineChartSvg({ title: 'a < b', xLabel: 'x', yLabel: 'y', x: [1, 2, 3, 4], series: [{ name: 'loss & co', values: [1, NaN, Infinity, 0.5] }] });
    expect(polylinePoints(svg)).toEqual([2]);
    expect(svg).toContain('a &lt; b');
    expect(svg).toContain('loss &amp; co');
  });

  it('refuses series whose length does not match x', () => {
    expect(() => lineChartSvg({ title: 't', xLabel: 'x', yLabel: 'y', x: [1, 2], series: [{ name: 's', values: [1] }] })).toThrow(RangeError);
    expect(() => lineChartSvg({ title: 't', xLabel: 'x', yLabel: 'y', x: [1], series: [] })).toThrow(/series must not be empty/);
  });
});

describe('confusion matrix SVG', () => {
  it('has n×n cells, both label axes and the counts', () => {
    const svg = confusionMatrixSvg(LABELS, [[6, 1, 0], [1, 5, 0], [0, 1, 6]]);
    expect(count(svg, /<rect class="cell"/g)).toBe(9);
    expect(count(svg, /class="true-label"/g)).toBe(3);
    expect(count(svg, /class="pred-label"/g)).toBe(3);
    for (const l of LABELS) expect(svg).toContain(`>${l}</text>`);
    // Zero cells stay blank; non-zero cells carry their count.
    expect(count(svg, /class="count"/g)).toBe(6);
    expect(svg).toMatch(/class="count">6<\/text>/);
    expect(svg).toContain('>predicted label</text>');
    expect(svg).toContain('>true label</text>');
  });

  it('escapes label names and truncates long ones, keeping the full name in the tooltip', () => {
    const long = 'a'.repeat(60);
    const svg = confusionMatrixSvg(['<b>&', long], [[1, 0], [0, 1]]);
    expect(svg).toContain('&lt;b&gt;&amp;');
    expect(svg).toContain(`>${'a'.repeat(27)}…</text>`);
    expect(svg).toContain(`${long} → ${long}: 1`);
  });

  it('stays readable at 80 classes: smaller font, colour only', () => {
    const n = 80;
    const labels = Array.from({ length: n }, (_, i) => `intent_${i}`);
    const confusion = labels.map((_, i) => labels.map((_, j) => (i === j ? 25 : (i + j) % 17 === 0 ? 2 : 0)));
    const svg = confusionMatrixSvg(labels, confusion);
    expect(count(svg, /<rect class="cell"/g)).toBe(n * n);
    expect(count(svg, /class="count"/g)).toBe(0);
    expect(count(svg, /class="true-label"/g)).toBe(n);
    const layout = confusionLayout(n, 25);
    expect(layout.showCounts).toBe(false);
    expect(layout.labelFont).toBeGreaterThanOrEqual(7);
    expect(confusionLayout(3, 25)).toMatchObject({ showCounts: true, labelFont: 13 });
    expect(renderPng(svg, { zoom: 1 }).subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  });

  it('refuses a matrix that does not match the labels', () => {
    expect(() => confusionMatrixSvg(LABELS, [[1, 2], [3, 4]])).toThrow(/3×3/);
    expect(() => confusionMatrixSvg([], [])).toThrow(RangeError);
  });
});

describe('PNG rendering', () => {
  it('renders SVG to PNG bytes at the requested zoom', () => {
    const png = renderPng(lossChartSvg(fakeCard()), { zoom: 1 });
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    // IHDR: width and height, big-endian, right after the signature and chunk header.
    expect(png.readUInt32BE(16)).toBe(760);
    expect(png.readUInt32BE(20)).toBe(420);
    expect(() => renderPng('<svg/>', { zoom: 0 })).toThrow(RangeError);
  });
});

describe('training report', () => {
  const card = fakeCard();
  const md = trainingReportMarkdown(card, LABELS);

  it('states the title, base model and data with class counts', () => {
    expect(md).toMatch(/^# Training report: fin-sentiment v3\n/);
    expect(md).toContain('BAAI/bge-small-en-v1.5');
    expect(md).toContain('120 rows, 100 for training, 20 for validation');
    expect(md).toContain('| negative | 34 | 34.0% | 7 |');
    expect(md).toContain('| positive | 36 | 36.0% | 7 |');
  });

  it('lists hyper-parameters against their defaults', () => {
    const d = DEFAULT_TRAIN_OPTIONS;
    expect(md).toContain(`| head | linear | ${d.head} |`);
    expect(md).toContain(`| epochs | 40 | ${d.epochs} |`);
    expect(md).toContain(`| patience | 3 | ${d.patience} |`);
    expect(md).toContain(`| hiddenDim (unused by the linear head) | ${d.hiddenDim} | ${d.hiddenDim} |`);
  });

  it('reports calibrated vs uncalibrated metrics and the temperature', () => {
    expect(md).toContain('| accuracy | 0.8765 | 0.8765 |');
    expect(md).toContain('| macro-F1 | 0.8432 | 0.8432 |');
    expect(md).toContain('| ECE (15 bins) | 0.0312 | 0.1234 |');
    expect(md).toContain('Temperature **1.7321**');
  });

  it('has per-class P/R/F1, best epoch, early stop and timings', () => {
    expect(md).toContain('| neutral | 0.7500 | 0.8333 | 0.7895 | 6 |');
    expect(md).toContain('| best epoch | 5 (validation macro-F1 0.6100');
    expect(md).toContain('| stopped early | yes (no better epoch for 3 epochs) |');
    expect(md).toContain('| epochs run | 8 of 40 |');
    expect(md).toContain('| total time | 12.5 s |');
    expect(md).toContain('| embedding time | 9.250 s |');
    expect(md).toContain('| embedding cache hits | 17 |');
    expect(md.match(/^\| \d+ \| /gm)).toHaveLength(8);
  });

  it('says when the epoch limit was raised to reach minSteps', () => {
    const raised = fakeCard();
    const md2 = trainingReportMarkdown({ ...raised, training: { ...raised.training, epochLimit: 375 }, hyperParameters: { ...raised.hyperParameters, epochs: 60, minSteps: 1500 } }, LABELS);
    expect(md2).toContain('| epochs run | 8 of 375 (60 raised to reach 1500 steps) |');
    expect(md).not.toContain('raised to reach');
  });

  it('embeds the three images by file name', () => {
    expect(md).toContain('![Loss per epoch](loss.png)');
    expect(md).toContain('](metrics.png)');
    expect(md).toContain('![Confusion matrix](confusion.png)');
  });

  it('escapes pipes in label names so the tables stay intact', () => {
    const odd = { ...card, data: { ...card.data, classCounts: { 'a|b': 1, c: 1 } } };
    expect(trainingReportMarkdown(odd, ['a|b', 'c'])).toContain('| a\\|b | 1 | 50.0% | 0 |');
  });

  it('writes report.md and the three PNGs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'report-'));
    const files = await writeTrainingReport(join(dir, 'nested'), card, LABELS);
    expect(files.markdown).toBe(join(dir, 'nested', REPORT_FILES.markdown));
    for (const png of [files.loss, files.metrics, files.confusion]) expect(readFileSync(png).subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(readFileSync(files.markdown, 'utf8')).toBe(md);
  });
});
