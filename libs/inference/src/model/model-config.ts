import { z } from 'zod';

/**
 * `tuneline.json`: what serving needs to know about a model directory beyond the
 * graph itself. Written by the model fetch and by fine-tuning export.
 */
export const MODEL_CONFIG_FILE = 'tuneline.json';

export const modelConfigSchema = z.object({
  format: z.literal('tuneline-model/v1'),
  task: z.enum(['embedding', 'classification', 'multilabel']),
  /** How to read the graph's first output. */
  outputKind: z.enum(['token_embeddings', 'sentence_embedding', 'logits', 'probabilities']),
  outputName: z.string().min(1),
  inputNames: z.array(z.string().min(1)).min(1),
  pooling: z.enum(['cls', 'mean']).default('cls'),
  normalize: z.boolean().default(true),
  maxLength: z.number().int().min(8).max(8192),
  dimension: z.number().int().positive().optional(),
  /** Where the weights came from (catalog name, Hub repo@revision, or base model of a fine-tune). */
  source: z.record(z.string(), z.unknown()).default({}),
});

export type ModelConfig = z.infer<typeof modelConfigSchema>;
export type ModelConfigInput = z.input<typeof modelConfigSchema>;

export const BERT_INPUT_NAMES = ['input_ids', 'attention_mask', 'token_type_ids'] as const;
