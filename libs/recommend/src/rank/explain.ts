import { scoreFeatureRows, type CompiledFeatureHead } from '@tuneline/finetune';
import { FEATURE_NAMES } from '../features/feature-names';

/** One named reason: how much a feature moved the item's score. */
export interface Reason {
  readonly name: string;
  readonly value: number;
}

/**
 * The features that moved one row's score most: for each feature, the score minus the score
 * with that feature at its training mean (occlusion; exact for a linear head, the local
 * effect for the MLP). The `top` largest by absolute value, rounded to 4 decimals.
 */
export function topReasons(head: CompiledFeatureHead, row: ArrayLike<number>, top = 3): Reason[] {
  const d = head.dim;
  const probes = new Float32Array((d + 1) * d);
  for (let p = 0; p <= d; p++) for (let j = 0; j < d; j++) probes[p * d + j] = p === j ? (head.mean[j] as number) : (row[j] as number);
  const s = scoreFeatureRows(head, probes, d + 1);
  const full = s[d] as number;
  return Array.from({ length: d }, (_, j) => ({ name: FEATURE_NAMES[j] as string, value: full - (s[j] as number) }))
    .sort((a, b) => Math.abs(b.value) - Math.abs(a.value) || (a.name < b.name ? -1 : 1))
    .slice(0, top)
    .map((r) => ({ name: r.name, value: Math.round(r.value * 1e4) / 1e4 }));
}
