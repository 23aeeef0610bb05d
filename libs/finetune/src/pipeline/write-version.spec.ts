import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModelDir } from '@tuneline/inference';
import { DEFAULT_TRAIN_OPTIONS } from '../train/train-options';
import { buildExemplarSet } from '../export/exemplar-vote';
import type { ModelCard } from '../export/model-card';
import { verifyFusedGraph } from '../export/verify-fused';
import { LinearHead } from '../heads/linear-head';
import { createRng } from '../math/random';
import { buildSyntheticEncoder } from '../testing';
import { writeModelVersion, type WriteVersionInput } from './write-version';

// Verification runs the real tokenizer; here its verdict is what is under test, so it is stubbed.
jest.mock('../export/verify-fused', () => ({ verifyFusedGraph: jest.fn() }));

const HIDDEN = 4;

function fixture(): WriteVersionInput {
  const baseDir = mkdtempSync(join(tmpdir(), 'base-'));
  writeFileSync(join(baseDir, 'model.onnx'), buildSyntheticEncoder({ opset: 11, hidden: HIDDEN }).bytes);
  writeFileSync(join(baseDir, 'tokenizer.json'), '{}');
  const base: ModelDir = {
    path: baseDir, onnxPath: join(baseDir, 'model.onnx'), tokenizerPath: join(baseDir, 'tokenizer.json'),
    config: { format: 'tuneline-model/v1', task: 'embedding', outputKind: 'token_embeddings', outputName: 'last_hidden_state',
      inputNames: ['input_ids', 'attention_mask'], pooling: 'mean', normalize: true, maxLength: 16, source: {} },
  };
  const emptyReport = { count: 0, accuracy: 0, macroF1: 0, ece: 0, nll: 0, perClass: {}, confusion: [] };
  const card: Omit<ModelCard, 'version' | 'fusedGraphMaxAbsDiff' | 'fusedEmbeddingMinCosine'> = {
    format: 'tuneline-model-card/v1', name: 'm', task: 'classification', createdAt: new Date().toISOString(),
    baseModel: { id: 'synthetic', sha256: 'a'.repeat(64), pooling: 'mean', dimension: HIDDEN },
    data: { file: 'd.jsonl', sha256: 'b'.repeat(64), rows: 2, trainRows: 1, validationRows: 1, classCounts: { a: 1 } },
    hyperParameters: DEFAULT_TRAIN_OPTIONS,
    training: { epochsRun: 1, epochLimit: 1, bestEpoch: 1, stoppedEarly: false, seconds: 0, embedSeconds: 0, cacheHits: 0 },
    temperature: 1, metrics: { validation: emptyReport, validationUncalibrated: emptyReport }, history: [],
  };
  return {
    repo: mkdtempSync(join(tmpdir(), 'repo-')), name: 'm', base, head: new LinearHead(HIDDEN, 2, createRng(1)), temperature: 1, multilabel: false,
    labels: ['a', 'b'], dim: HIDDEN, config: { format: 'tuneline-model/v1', task: 'classification', outputKind: 'probabilities', inputNames: ['input_ids', 'attention_mask'],
      pooling: 'mean', normalize: true, maxLength: 16 },
    checkTexts: ['x'], checkEmbeddings: new Float64Array(HIDDEN), card,
  };
}

describe('writeModelVersion', () => {
  it('removes its temporary directory when the fused graph fails verification', async () => {
    jest.mocked(verifyFusedGraph).mockResolvedValue({ maxAbsDiff: 0.5, minEmbeddingCosine: 1, exemplarNearTies: 0 });
    const input = fixture();
    await expect(writeModelVersion(input)).rejects.toThrow(/fused graph disagrees with the trained head/);
    expect(readdirSync(join(input.repo, 'm'))).toEqual([]);
  });

  it('moves a verified version into place with its card, leaving nothing else behind', async () => {
    jest.mocked(verifyFusedGraph).mockResolvedValue({ maxAbsDiff: 1e-6, minEmbeddingCosine: 0.999, exemplarNearTies: 0 });
    const input = fixture();
    const first = await writeModelVersion(input);
    const second = await writeModelVersion(input);
    expect([first.version, second.version]).toEqual(['1', '2']);
    expect(readdirSync(join(input.repo, 'm')).sort()).toEqual(['1', '2']);
    for (const f of ['model.onnx', 'tokenizer.json', 'tuneline.json', 'labels.json', 'model-card.json']) expect(existsSync(join(second.dir, f))).toBe(true);
    const card = JSON.parse(readFileSync(join(second.dir, 'model-card.json'), 'utf8')) as ModelCard;
    expect(Object.keys(card).slice(0, 3)).toEqual(['format', 'name', 'version']);
    expect(card).toMatchObject({ version: '2', fusedGraphMaxAbsDiff: 1e-6, fusedEmbeddingMinCosine: 0.999 });
    expect(card).not.toHaveProperty('fusedGraphExemplarNearTies');
  });

  describe('with an exemplar vote fused in', () => {
    const exemplars = { set: buildExemplarSet(Float64Array.from([1, 0, 0, 0, 0, 1, 0, 0]), HIDDEN, [0, 1], [0, 1], 2), options: { k: 1, temperature: 0.02, weight: 0.5 } };

    it('refuses a graph none of whose check texts could be compared (all near ties)', async () => {
      jest.mocked(verifyFusedGraph).mockResolvedValue({ maxAbsDiff: 0, minEmbeddingCosine: 1, exemplarNearTies: 1 });
      const input = { ...fixture(), exemplars };
      await expect(writeModelVersion(input)).rejects.toThrow('fused exemplar vote unverified: all 1 check texts tie at the k-th exemplar');
      expect(readdirSync(join(input.repo, 'm'))).toEqual([]);
    });

    it('records how many check texts were left out as near ties', async () => {
      jest.mocked(verifyFusedGraph).mockResolvedValue({ maxAbsDiff: 1e-6, minEmbeddingCosine: 1, exemplarNearTies: 1 });
      const input = { ...fixture(), checkTexts: ['x', 'y'], checkEmbeddings: new Float64Array(2 * HIDDEN), exemplars };
      const card = JSON.parse(readFileSync(join((await writeModelVersion(input)).dir, 'model-card.json'), 'utf8')) as ModelCard;
      expect(card.fusedGraphExemplarNearTies).toBe(1);
    });
  });
});
