import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Prediction } from '@tuneline/inference';
import { joinPairText, PAIR_TEXT_SEPARATOR } from '../data/pair-text';
import { prepareData } from '../pipeline/prepare-data';
import { evaluateModelOnFile } from './evaluate-model';
import { openPredictor, type Predictor } from './predict-texts';

jest.mock('./predict-texts', () => ({ openPredictor: jest.fn() }));

/** A fake pair model that records the texts it is asked to score. */
function recordingPredictor(seen: string[]): Predictor {
  return {
    dir: '/m/1', labels: ['different', 'same'], task: 'classification',
    predict: async (texts) => {
      seen.push(...texts);
      return texts.map((): Prediction => ({ label: 'same', labels: ['same'], scores: { same: 0.9, different: 0.1 } }));
    },
    dispose: async () => undefined,
  };
}

describe('evaluateModelOnFile on a pair model', () => {
  it('joins text_a and text_b exactly as training does', async () => {
    const data = join(mkdtempSync(join(tmpdir(), 'pair-')), 'pairs.jsonl');
    writeFileSync(data, ['{"q":"how do I reset my PIN","d":"PIN reset steps","y":"same"}', '{"q":"card lost","d":"exchange rates","y":"different"}',
      '{"q":"a","d":"b","y":"same"}', '{"q":"c","d":"d","y":"different"}'].join('\n') + '\n');
    const fields = { textA: 'q', textB: 'd', label: 'y' };
    const seen: string[] = [];
    jest.mocked(openPredictor).mockResolvedValue(recordingPredictor(seen));

    const result = await evaluateModelOnFile('/m/1', data, 'pair', { fields });
    const training = await prepareData({ task: 'pair', dataFile: data, validationFile: data, fields });
    expect(seen).toEqual(training.validation.map((r) => r.text));
    expect(seen[0]).toBe(joinPairText('how do I reset my PIN', 'PIN reset steps'));
    expect(seen[0]).toBe(`how do I reset my PIN${PAIR_TEXT_SEPARATOR}PIN reset steps`);
    expect(result.count).toBe(4);
    expect(result.accuracy).toBe(0.5);
  });
});
