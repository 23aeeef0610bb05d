/**
 * Start-up step: make sure the intent model exists in the repository. When it does not
 * (a fresh checkout), fine-tune the shipped sample intents on the base encoder with
 * libs/finetune, so the service answers out of the box. Logged either way.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '@tuneline/platform';
import { SUPPORT_INTENT_EXEMPLARS, SUPPORT_SAMPLES_DIR, type SampleLanguage } from '@tuneline/support';

/** The sample intents each language's templates are keyed on. */
export function sampleIntentsFile(language: SampleLanguage): string {
  return language === 'zh'
    ? join(SUPPORT_SAMPLES_DIR, 'zh', 'support-intents.jsonl')
    : join(SUPPORT_SAMPLES_DIR, '..', '..', 'finetune', 'samples', 'support-intents.jsonl');
}

export interface EnsureIntentModelOptions {
  readonly repoRoot: string;
  readonly name: string;
  readonly language: SampleLanguage;
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
export async function ensureIntentModel(o: EnsureIntentModelOptions): Promise<'present' | 'trained'> {
  if (hasVersion(o.repoRoot, o.name)) {
    o.logger.info({ repo: o.repoRoot, model: o.name }, 'intent model found in the repository');
    return 'present';
  }
  if (!o.trainIfMissing) {
    throw new Error(`intent model "${o.name}" is not in ${o.repoRoot} and SUPPORT_TRAIN_IF_MISSING=false`);
  }
  const dataFile = sampleIntentsFile(o.language);
  o.logger.info({ repo: o.repoRoot, model: o.name, dataFile, base: o.baseModelDir }, 'intent model missing: fine-tuning the sample intents');
  const started = Date.now();
  // Loaded here: finetune pulls in training and ONNX export code a running service does not otherwise need.
  const { finetune } = await import('@tuneline/finetune');
  const result = await finetune({
    task: 'classify',
    dataFile,
    baseModelDir: o.baseModelDir,
    repo: o.repoRoot,
    name: o.name,
    cacheRoot: o.cacheRoot,
    // The exemplar vote over the sample messages is fused into the model (docs/adr/0022).
    train: { exemplars: SUPPORT_INTENT_EXEMPLARS },
    log: (message) => o.logger.debug({ model: o.name }, `finetune: ${message}`),
  });
  o.logger.info({ model: o.name, version: result.version, dir: result.dir, labels: result.labels.length, ms: Date.now() - started }, 'intent model trained');
  return 'trained';
}
