import type { FileEvaluation } from '@tuneline/finetune';
import { formatMetricsTable, metricsDocument } from './evaluate-command';

const evaluation: FileEvaluation = {
  file: 'd.jsonl', task: 'classify', labels: ['neg', 'pos'], count: 10, accuracy: 0.8, macroF1: 0.7916, ece: 0.05, nll: 0.4,
  perClass: { neg: { precision: 1, recall: 0.6, f1: 0.75, support: 5 }, pos: { precision: 0.7143, recall: 1, f1: 0.8333, support: 5 } },
  confusion: [[3, 2], [0, 5]],
};

describe('evaluate output', () => {
  it('metrics JSON has the model, data, metrics, per-class results and confusion', () => {
    const doc = metricsDocument('/m/1', '/d.jsonl', evaluation, new Date('2026-11-28T10:00:00Z'));
    expect(doc).toEqual({
      model: '/m/1', data: '/d.jsonl', task: 'classify', evaluatedAt: '2026-11-28T10:00:00.000Z', count: 10, accuracy: 0.8, macroF1: 0.7916,
      ece: 0.05, nll: 0.4, labels: ['neg', 'pos'], perClass: evaluation.perClass, confusion: [[3, 2], [0, 5]],
    });
  });

  it('the table aligns metrics and per-class rows', () => {
    const table = formatMetricsTable(metricsDocument('/m/1', '/d.jsonl', evaluation));
    expect(table).toContain('accuracy  0.8000');
    expect(table).toContain('macro-F1  0.7916');
    expect(table).toContain('data      /d.jsonl (10 rows, task classify)');
    expect(table.split('\n')).toEqual(expect.arrayContaining([
      'label  precision  recall      F1  support',
      'neg       1.0000  0.6000  0.7500        5',
      'pos       0.7143  1.0000  0.8333        5',
    ]));
  });
});
