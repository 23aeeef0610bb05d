/**
 * Start-up step: make sure the sentiment model exists in the repository. When it does not
 * (a fresh checkout), fine-tune the shipped financial-sentiment sample on the base encoder
 * with libs/finetune, so the service scores out of the box. Logged either way.
 *
 * The same small pattern as apps/support-chat's bootstrap/intent-model.ts, copied on purpose:
 * a shared `ensureModel` would have to live in libs/finetune, and importing it there would load
 * the training and ONNX export code on every start; both apps import finetune lazily, only
 * when they actually train.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '@tuneline/platform';

export interface EnsureSentimentModelOptions {
  readonly repoRoot: string;
  readonly name: string;
  /** Labelled JSONL ({text, label}) trained on when the model is missing. */
  readonly dataFile: string;
  readonly baseModelDir: string;
  readonly cacheRoot: string;
  readonly trainIfMissing: boolean;
  readonly logger: Logger;
}

function hasVersion(repoRoot: string, name: string): boolean {
  const dir = join(repoRoot, name);
  return existsSync(dir) && readdirSync(dir).some((v) => !v.startsWith('.') && existsSync(join(dir, v, 'model.onnx')));
}

/** Resolves to 'present' or 'trained'; throws when missing and training is off. */
export async function ensureSentimentModel(o: EnsureSentimentModelOptions): Promise<'present' | 'trained'> {
  if (hasVersion(o.repoRoot, o.name)) {
    o.logger.info({ repo: o.repoRoot, model: o.name }, 'sentiment model found in the repository');
    return 'present';
  }
  if (!o.trainIfMissing) {
    throw new Error(`sentiment model "${o.name}" is not in ${o.repoRoot} and SENTIMENT_TRAIN_IF_MISSING=false`);
  }
  o.logger.info({ repo: o.repoRoot, model: o.name, dataFile: o.dataFile, base: o.baseModelDir }, 'sentiment model missing: fine-tuning the sample');
  const started = Date.now();
  // Loaded here: finetune pulls in training and ONNX export code a running service does not otherwise need.
  const { finetune } = await import('@tuneline/finetune');
  const result = await finetune({
    task: 'classify',
    dataFile: o.dataFile,
    baseModelDir: o.baseModelDir,
    repo: o.repoRoot,
    name: o.name,
    cacheRoot: o.cacheRoot,
    log: (message) => o.logger.debug({ model: o.name }, `finetune: ${message}`),
  });
  o.logger.info({ model: o.name, version: result.version, dir: result.dir, labels: result.labels, ms: Date.now() - started }, 'sentiment model trained');
  return 'trained';
}
