import { createRng, shuffleInPlace } from '../math/random';

/**
 * Stratified train/validation split: each class keeps its share in both parts, and a
 * class with at least two rows always has one in validation. Deterministic per seed.
 * Linear in the row count: groups grow in place, and rows are appended one by one
 * (spreading a 100k-row group into push() overflows the call stack).
 */
export function stratifiedSplit<T>(rows: readonly T[], labelOf: (r: T) => string, validationFraction: number, seed: number): { train: T[]; validation: T[] } {
  if (!(validationFraction > 0 && validationFraction < 1)) throw new RangeError(`validationFraction must be in (0, 1), got ${validationFraction}`);
  const rng = createRng(seed);
  const byClass = new Map<string, T[]>();
  for (const r of rows) {
    const l = labelOf(r);
    const group = byClass.get(l);
    if (group) group.push(r);
    else byClass.set(l, [r]);
  }
  const train: T[] = [];
  const validation: T[] = [];
  for (const label of [...byClass.keys()].sort()) {
    const group = shuffleInPlace(byClass.get(label) as T[], rng);
    const nVal = group.length < 2 ? 0 : Math.max(1, Math.round(group.length * validationFraction));
    for (let i = 0; i < group.length; i++) (i < nVal ? validation : train).push(group[i] as T);
  }
  return { train: shuffleInPlace(train, rng), validation: shuffleInPlace(validation, rng) };
}
