import { z } from 'zod';
import { timestamp } from './common';

/** A new model version directory is ready; services hot-swap to it. */
export const modelPublishedSchema = z.object({
  model: z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9._-]{0,127}$/, 'model must be a directory-safe name'),
  version: z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9._-]{0,63}$/, 'version must be a directory-safe name'),
  /** Model version directory (model.onnx, tokenizer.json, labels.json, model-card.json). */
  path: z.string().min(1),
  /** sha256 of model.onnx, lowercase hex; checked by the loader before swapping. */
  sha256: z.string().regex(/^[a-f0-9]{64}$/, 'sha256 must be 64 lowercase hex characters'),
  task: z.string().min(1),
  labels: z.array(z.string().min(1)),
  /** Evaluation metrics from the model card, e.g. { accuracy: 0.93, macroF1: 0.91 }. */
  metrics: z.record(z.string(), z.number()),
  publishedAt: timestamp,
});

export type ModelPublished = z.output<typeof modelPublishedSchema>;
