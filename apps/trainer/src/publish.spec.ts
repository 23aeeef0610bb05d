import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TOPICS } from '@tuneline/events';
import { buildModelPublished } from './publish';

describe('model.published event', () => {
  it('carries name, version, absolute path, file:// uri, sha256 of model.onnx and tokenizer.json, task, labels and headline metrics', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'publish-'));
    writeFileSync(join(dir, 'model.onnx'), 'not really onnx');
    writeFileSync(join(dir, 'tokenizer.json'), '{"model":{}}');
    const event = await buildModelPublished({
      brokers: 'unused:9092', dir, labels: ['neg', 'pos'], now: new Date('2026-11-28T10:00:00Z'),
      card: { name: 'fin', version: '3', task: 'classification', metrics: { validation: { accuracy: 0.9, macroF1: 0.85 } } },
    });
    expect(event).toEqual({
      model: 'fin', version: '3', path: dir, uri: pathToFileURL(dir).href, task: 'classification', labels: ['neg', 'pos'],
      sha256: createHash('sha256').update('not really onnx').digest('hex'),
      tokenizerSha256: createHash('sha256').update('{"model":{}}').digest('hex'),
      metrics: { accuracy: 0.9, macroF1: 0.85 }, publishedAt: '2026-11-28T10:00:00.000Z',
    });
    // The topic's own schema accepts it unchanged.
    expect(TOPICS.modelPublished.schema.parse(event)).toEqual(event);
  });

  it('for a ranking head: no tokenizerSha256 (it has no tokenizer), no labels, its own metrics; the schema accepts it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'publish-rank-'));
    writeFileSync(join(dir, 'model.onnx'), 'a feature head');
    const event = await buildModelPublished({
      brokers: 'unused:9092', dir, labels: [], now: new Date('2026-11-28T10:00:00Z'),
      card: { name: 'recommend-ranker', version: '2', task: 'ranking', metrics: { validationNdcg10: 0.58, validationAuc: 0.93 } },
    });
    expect(event).toEqual({
      model: 'recommend-ranker', version: '2', path: dir, uri: pathToFileURL(dir).href, task: 'ranking', labels: [],
      sha256: createHash('sha256').update('a feature head').digest('hex'),
      metrics: { validationNdcg10: 0.58, validationAuc: 0.93 }, publishedAt: '2026-11-28T10:00:00.000Z',
    });
    expect(TOPICS.modelPublished.schema.parse(event)).toEqual(event);
  });
});
