import { z } from 'zod';
import { timestamp } from './common';

const sha256Hex = z.string().regex(/^[a-f0-9]{64}$/, 'sha256 must be 64 lowercase hex characters');

/** Where a follower fetches the version directory from: file:// (shared volume) or http(s):// (model store). */
const modelUri = z
  .string()
  .refine((s) => URL.canParse(s) && ['file:', 'http:', 'https:'].includes(new URL(s).protocol), 'uri must be a file://, http:// or https:// URL');

/**
 * A new model version directory is ready; services following the model
 * (@tuneline/model-lifecycle) fetch it, verify it, warm it up and hot-swap to it.
 */
export const modelPublishedSchema = z.object({
  model: z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9._-]{0,127}$/, 'model must be a directory-safe name'),
  version: z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9._-]{0,63}$/, 'version must be a directory-safe name'),
  /**
   * The version directory (model.onnx, tokenizer.json, tuneline.json, labels.json,
   * model-card.json) on the publisher's filesystem; enough for local runs and shared volumes.
   */
  path: z.string().min(1),
  /** Where replicas without that filesystem fetch the directory from; wins over `path` when set. */
  uri: modelUri.optional(),
  /**
   * sha256 of model.onnx, lowercase hex. @tuneline/model-lifecycle checks it on the fetched
   * copy before loading and refuses the version on a mismatch (the old one keeps serving).
   */
  sha256: sha256Hex,
  /** sha256 of tokenizer.json; checked the same way when present. */
  tokenizerSha256: sha256Hex.optional(),
  task: z.string().min(1),
  labels: z.array(z.string().min(1)),
  /** Evaluation metrics from the model card, e.g. { accuracy: 0.93, macroF1: 0.91 }. */
  metrics: z.record(z.string(), z.number()),
  publishedAt: timestamp,
});

export type ModelPublished = z.output<typeof modelPublishedSchema>;
