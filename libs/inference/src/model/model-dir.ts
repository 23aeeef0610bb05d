import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ModelFormatError } from '../errors';
import { BERT_INPUT_NAMES, MODEL_CONFIG_FILE, modelConfigSchema, type ModelConfig } from './model-config';

/**
 * A model directory as produced by the model fetch and by fine-tuning:
 * `model.onnx`, `tokenizer.json`, `tuneline.json`, optional `labels.json` and
 * `model-card.json`. Hugging Face-format ONNX exports (no `tuneline.json`) are read too.
 */
export interface ModelDir {
  readonly path: string;
  readonly onnxPath: string;
  readonly tokenizerPath: string;
  readonly config: ModelConfig;
  readonly labels?: readonly string[];
  readonly card?: Readonly<Record<string, unknown>>;
}

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new ModelFormatError(`${path} is not valid JSON: ${(err as Error).message}`);
  }
}

/** sentence-transformers and HF exports keep pooling and length in separate files. */
async function inferHubConfig(dir: string): Promise<ModelConfig> {
  let pooling: 'cls' | 'mean' = 'mean';
  const poolingFile = join(dir, '1_Pooling', 'config.json');
  if (existsSync(poolingFile)) {
    const p = (await readJson(poolingFile)) as Record<string, unknown>;
    pooling = p['pooling_mode_cls_token'] === true ? 'cls' : 'mean';
  }
  let maxLength = 512;
  const tokCfg = join(dir, 'tokenizer_config.json');
  if (existsSync(tokCfg)) {
    const t = (await readJson(tokCfg)) as Record<string, unknown>;
    const m = t['model_max_length'];
    if (typeof m === 'number' && m >= 8) maxLength = Math.min(m, 512);
  }
  return modelConfigSchema.parse({
    format: 'tuneline-model/v1', task: 'embedding', outputKind: 'token_embeddings', outputName: 'last_hidden_state',
    inputNames: [...BERT_INPUT_NAMES], pooling, normalize: true, maxLength, source: { dir },
  });
}

export async function loadModelDir(path: string): Promise<ModelDir> {
  if (!existsSync(path) || !statSync(path).isDirectory()) {
    throw new ModelFormatError(`model directory ${path} does not exist`);
  }
  const onnxPath = [join(path, 'model.onnx'), join(path, 'onnx', 'model.onnx')].find((p) => existsSync(p));
  if (!onnxPath) throw new ModelFormatError(`model directory ${path} has no model.onnx`);
  const tokenizerPath = join(path, 'tokenizer.json');
  if (!existsSync(tokenizerPath)) throw new ModelFormatError(`model directory ${path} has no tokenizer.json`);

  const configPath = join(path, MODEL_CONFIG_FILE);
  let config: ModelConfig;
  if (existsSync(configPath)) {
    const parsed = modelConfigSchema.safeParse(await readJson(configPath));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ModelFormatError(`${configPath}: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
    }
    config = parsed.data;
  } else {
    config = await inferHubConfig(path);
  }

  let labels: string[] | undefined;
  const labelsPath = join(path, 'labels.json');
  if (existsSync(labelsPath)) {
    const raw = await readJson(labelsPath);
    if (!Array.isArray(raw) || raw.length === 0 || !raw.every((l) => typeof l === 'string' && l.length > 0)) {
      throw new ModelFormatError(`${labelsPath} must be a non-empty array of label strings`);
    }
    if (new Set(raw).size !== raw.length) throw new ModelFormatError(`${labelsPath} has duplicate labels`);
    labels = raw as string[];
  }
  if (config.task !== 'embedding' && !labels) {
    throw new ModelFormatError(`model directory ${path} is a ${config.task} model but has no labels.json`);
  }
  const cardPath = join(path, 'model-card.json');
  const card = existsSync(cardPath) ? ((await readJson(cardPath)) as Record<string, unknown>) : undefined;
  return { path, onnxPath, tokenizerPath, config, ...(labels ? { labels } : {}), ...(card ? { card } : {}) };
}
