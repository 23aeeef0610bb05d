import { createRng, shuffleInPlace } from '../math/random';

/**
 * Stratified train/validation split: each class keeps its share in both parts, and a
 * class with at least two rows always has one in validation. Deterministic per seed.
 */
export function stratifiedSplit<T>(rows: readonly T[], labelOf: (r: T) => string, validationFraction: number, seed: number): { train: T[]; validation: T[] } {
  if (!(validationFraction > 0 && validationFraction < 1)) throw new RangeError(`validationFraction must be in (0, 1), got ${validationFraction}`);
  const rng = createRng(seed);
  const byClass = new Map<string, T[]>();
  for (const r of rows) {
    const l = labelOf(r);
    byClass.set(l, [...(byClass.get(l) ?? []), r]);
  }
  const train: T[] = [];
  const validation: T[] = [];
  for (const label of [...byClass.keys()].sort()) {
    const group = shuffleInPlace([...(byClass.get(label) as T[])], rng);
    const nVal = group.length < 2 ? 0 : Math.max(1, Math.round(group.length * validationFraction));
    validation.push(...group.slice(0, nVal));
    train.push(...group.slice(nVal));
  }
  return { train: shuffleInPlace(train, rng), validation: shuffleInPlace(validation, rng) };
}
