import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { EncoderTuningCard, FinetuneResult, ModelCard } from '@tuneline/finetune';
import { sha256File } from '@tuneline/inference';
import { UsageError } from './bench-cli';

/**
 * `--model DIR` of the quality benches: score a model version that was already trained (e.g. by
 * finetune-encoder-quality.ts, whose encoder runs take 15-30 min here) instead of training again.
 * Refused unless its model card's training data is byte-for-byte this bench's training part
 * (same sha256; the benches split with the same function and seed and write the same JSON
 * lines) and it was given no separate validation file (card rows = that part's rows: a
 * `--validation` file, e.g. the held-out rows, would have steered early stopping and
 * calibration). So a model that saw other rows, or the held-out ones, cannot be passed off.
 */
export async function trainedModel(dir: string, trainFile: string, trainRows: number): Promise<FinetuneResult> {
  const abs = resolve(dir);
  const cardFile = join(abs, 'model-card.json');
  if (!existsSync(cardFile)) throw new UsageError(`--model ${dir}: no model-card.json there (a version directory written by tuneline finetune)`);
  const card = JSON.parse(readFileSync(cardFile, 'utf8')) as ModelCard;
  const want = await sha256File(trainFile);
  if (card.data.sha256 !== want) {
    throw new UsageError(`--model ${dir}: trained on data with sha256 ${card.data.sha256}, not this bench's training part (${want}); train it on the same split`);
  }
  if (card.data.rows !== trainRows) {
    throw new UsageError(`--model ${dir}: its card counts ${card.data.rows} data rows, this bench's training part has ${trainRows}: `
      + 'it was trained with a separate validation file; train it on the training part alone');
  }
  const labels = JSON.parse(readFileSync(join(abs, 'labels.json'), 'utf8')) as string[];
  return { dir: abs, version: basename(abs), card, labels };
}

/** The card's encoder-tuning settings without the initialiser list (what a figure needs beside it). */
export function encoderTuningSummary(t: EncoderTuningCard): Omit<EncoderTuningCard, 'trainedInitializers'> {
  return Object.fromEntries(Object.entries(t).filter(([k]) => k !== 'trainedInitializers')) as Omit<EncoderTuningCard, 'trainedInitializers'>;
}
