import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { UsageError } from './bench-cli';
import { encoderTuningSummary, trainedModel } from './trained-model';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'trained-model-'));
  writeFileSync(join(dir, 'train.jsonl'), '{"text":"Sales fell .","label":"negative"}\n');
  writeFileSync(join(dir, 'other.jsonl'), '{"text":"Sales rose .","label":"positive"}\n');
  const sha = createHash('sha256').update('{"text":"Sales fell .","label":"negative"}\n').digest('hex');
  writeFileSync(join(dir, 'model-card.json'), JSON.stringify({ data: { sha256: sha, rows: 1 }, training: { seconds: 12 } }));
  writeFileSync(join(dir, 'labels.json'), '["negative","positive"]');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('trainedModel (--model of the quality benches)', () => {
  it('accepts a version trained on exactly this training file, with its labels and card', async () => {
    const m = await trainedModel(dir, join(dir, 'train.jsonl'), 1);
    expect(m.dir).toBe(dir);
    expect(m.labels).toEqual(['negative', 'positive']);
    expect(m.card.training.seconds).toBe(12);
  });

  it('refuses a version trained on other data, and a directory without a card', async () => {
    await expect(trainedModel(dir, join(dir, 'other.jsonl'), 1)).rejects.toThrow(/trained on data with sha256 [0-9a-f]{64}, not this bench's training part/);
    await expect(trainedModel(join(dir, 'missing'), join(dir, 'train.jsonl'), 1)).rejects.toBeInstanceOf(UsageError);
  });

  it('refuses a version that had a separate validation file (its card counts more rows than the training part)', async () => {
    await expect(trainedModel(dir, join(dir, 'train.jsonl'), 0)).rejects.toThrow(/counts 1 data rows, this bench's training part has 0: .*separate validation file/);
  });

  it('summarises the encoder tuning without the initialiser list', () => {
    const t = { method: 'lora', layers: 6, firstTrainedLayer: 6, trainedInitializers: ['a', 'b'], trainedParameters: 9 } as unknown as Parameters<typeof encoderTuningSummary>[0];
    const s = encoderTuningSummary(t);
    expect(s).not.toHaveProperty('trainedInitializers');
    expect(s).toMatchObject({ method: 'lora', layers: 6, trainedParameters: 9 });
  });
});
