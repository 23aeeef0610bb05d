import { stratifiedSplit } from '@tuneline/finetune';
import type { Row } from './labelled-data';

/**
 * The quality protocol's split, shared by finetune-quality.ts and probe-embeddings.ts so the
 * logistic-regression probe is scored on exactly the rows the library's heads are: 80/20,
 * stratified by label, seed 42.
 */
export const HELD_OUT_FRACTION = 0.2;
export const SPLIT_SEED = 42;

/** `seed` defaults to the protocol's; other seeds are for drivers that expose a --seed flag. */
export function heldOutSplit(rows: readonly Row[], seed = SPLIT_SEED): { train: Row[]; heldOut: Row[] } {
  const { train, validation } = stratifiedSplit(rows, (r) => r.label, HELD_OUT_FRACTION, seed);
  return { train, heldOut: validation };
}
