import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Classifier, resolveModelDir } from '@tuneline/inference';
import type { ModelCard } from '../export/model-card';
import { finetune, type FinetuneResult } from '../pipeline/finetune';

const SAMPLES = join(__dirname, '../../samples');
const TRAIN = join(SAMPLES, 'metric-moves.train.jsonl');
const TEST = join(SAMPLES, 'metric-moves.test.jsonl');

/** Held-out accuracy through the serving path: the fused model.onnx, loaded as a service would. */
async function heldOutAccuracy(dir: string): Promise<number> {
  const rows = readFileSync(TEST, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { text: string; label: string });
  const clf = await Classifier.load(dir);
  try {
    const predicted = await clf.predict(rows.map((r) => r.text));
    return predicted.filter((p, i) => p.label === rows[i]?.label).length / rows.length;
  } finally {
    await clf.dispose();
  }
}

/**
 * "Rendale's costs fell by 12 % in 2020 ." is good news: the label is an XOR of the verb's
 * direction and the metric's polarity (samples/make-metric-moves.mjs). A linear head on the
 * frozen sentence embedding cannot draw an XOR; LoRA in the top layers can make the embedding
 * carry it. The test file's companies, periods and verbs never occur in training.
 * Measured with these settings through the CLI (docs/benchmarks.md, issue 14): head 55.0%,
 * lora 84.2% held out (120 rows); the bounds leave about half of that 29-point gap as slack.
 * k = 2 with FFN adapters: k = 1 reached only 66-70%; lr 1e-2 because 6 epochs of 7 steps
 * must move the adapters (the library default 1e-3 is for thousands of steps).
 */
describe('LoRA beats the frozen head on a task a linear probe cannot solve (real bge-small)', () => {
  const work = mkdtempSync(join(tmpdir(), 'lora-vs-head-'));
  const base = resolveModelDir('default', process.env);
  const common = { task: 'classify' as const, dataFile: TRAIN, baseModelDir: base, repo: join(work, 'repo'), cacheRoot: join(work, 'cache') };
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('lora (k = 2) scores well above the head on held-out rows through the fused graph', async () => {
    const head = await finetune({ ...common, name: 'head', train: { seed: 7 } });
    const lora: FinetuneResult = await finetune({ ...common, name: 'lora', method: 'lora',
      encoder: { layers: 2, loraRank: 8, loraAlpha: 16, loraTargets: ['query', 'value', 'ffn'], learningRate: 1e-2, headLearningRate: 1e-2, epochs: 6, patience: 6, dropout: 0, seed: 7 } });
    // The adapters were kept (an epoch after the probe), not the probe alone with ΔW = 0.
    expect(lora.card.training.bestEpoch).toBeGreaterThan(0);
    const headAcc = await heldOutAccuracy(head.dir);
    const loraAcc = await heldOutAccuracy(lora.dir);
    // The head stays near chance (two balanced classes): the task is not linearly separable.
    expect(headAcc).toBeLessThan(0.7);
    expect(loraAcc - headAcc).toBeGreaterThan(0.15);

    // The shipped model card says how the encoder was tuned (issue 14: method, k, r, alpha, what was trained).
    const card = (dir: string) => JSON.parse(readFileSync(join(dir, 'model-card.json'), 'utf8')) as ModelCard;
    expect(card(head.dir).encoderTuning).toBeUndefined();
    const tuning = card(lora.dir).encoderTuning;
    expect(tuning).toMatchObject({ method: 'lora', layers: 2, firstTrainedLayer: 10, loraRank: 8, loraAlpha: 16, loraTargets: ['query', 'value', 'ffn'],
      learningRate: 1e-2, headLearningRate: 1e-2, epochs: 6, dropout: 0, probeCompetes: true });
    // A [r×in] + B [out×r] on query and value (384→384) and both FFN matrices (384↔1536) in 2 layers, plus the 384→2 head.
    expect(tuning?.trainedParameters).toBe(2 * 8 * (2 * (384 + 384) + 2 * (384 + 1536)) + 384 * 2 + 2);
    // The merged initialisers: query, value and the two FFN weights of each trained layer.
    expect(tuning?.trainedInitializers).toHaveLength(8);
  }, 600_000);
});
