import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { ModelFormatError } from '../errors';
import { MODEL_CONFIG_FILE } from './model-config';

/**
 * `tuneline.json` of a feature-input model (a ranking head exported by libs/finetune):
 * input `features` float32 [N, D] in `featureNames` order, output `score` float32 [N].
 * No tokenizer: the caller computes the features.
 */
export const FEATURE_MODEL_TASK = 'ranking';

export const featureModelConfigSchema = z.object({
  format: z.literal('tuneline-model/v1'),
  task: z.literal(FEATURE_MODEL_TASK),
  inputName: z.string().min(1).default('features'),
  outputName: z.string().min(1).default('score'),
  featureNames: z.array(z.string().min(1)).min(1),
  source: z.record(z.string(), z.unknown()).default({}),
});

export type FeatureModelConfig = z.infer<typeof featureModelConfigSchema>;
export type FeatureModelConfigInput = z.input<typeof featureModelConfigSchema>;

/** A loaded feature-model directory; `labels` is always absent (kept for callers that read any model's labels). */
export interface FeatureModelDir {
  readonly path: string;
  readonly onnxPath: string;
  readonly config: FeatureModelConfig;
  readonly labels?: undefined;
  readonly card?: Readonly<Record<string, unknown>>;
}

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new ModelFormatError(`${path} is not valid JSON: ${(err as Error).message}`);
  }
}

/** Whether `path` holds a feature-input model (its tuneline.json says task "ranking"). */
export async function isFeatureModelDir(path: string): Promise<boolean> {
  const configPath = join(path, MODEL_CONFIG_FILE);
  if (!existsSync(configPath)) return false;
  const raw = await readJson(configPath);
  return typeof raw === 'object' && raw !== null && (raw as Record<string, unknown>)['task'] === FEATURE_MODEL_TASK;
}

export async function loadFeatureModelDir(path: string): Promise<FeatureModelDir> {
  const onnxPath = join(path, 'model.onnx');
  if (!existsSync(onnxPath)) throw new ModelFormatError(`model directory ${path} has no model.onnx`);
  const configPath = join(path, MODEL_CONFIG_FILE);
  if (!existsSync(configPath)) throw new ModelFormatError(`feature model directory ${path} has no ${MODEL_CONFIG_FILE}`);
  const parsed = featureModelConfigSchema.safeParse(await readJson(configPath));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ModelFormatError(`${configPath}: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
  }
  if (new Set(parsed.data.featureNames).size !== parsed.data.featureNames.length) throw new ModelFormatError(`${configPath}: featureNames has duplicates`);
  const cardPath = join(path, 'model-card.json');
  const card = existsSync(cardPath) ? ((await readJson(cardPath)) as Record<string, unknown>) : undefined;
  return { path, onnxPath, config: parsed.data, ...(card ? { card } : {}) };
}
