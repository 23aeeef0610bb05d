import type { Interaction } from './catalog-item';

export interface TemporalSplitOptions {
  /** Share of each user's interactions, the latest by timestamp, that go to `test`; in [0, 1). Default 0.2. */
  readonly testFraction?: number;
}

export interface TemporalSplit<T extends Interaction = Interaction> {
  readonly train: T[];
  readonly test: T[];
}

export const DEFAULT_TEST_FRACTION = 0.2;

/**
 * Per-user temporal split: each user's last floor(n × testFraction) interactions by `ts`
 * go to `test`, the rest to `train` (so a user with fewer than 1/testFraction interactions
 * has none in test, and every user keeps at least one in train). Equal timestamps are
 * ordered by input position, so the split is deterministic for a given file. Both halves
 * keep the input order. Carving a validation split from `train` is the same call on `train`.
 */
export function splitByUserTime<T extends Interaction>(interactions: readonly T[], options: TemporalSplitOptions = {}): TemporalSplit<T> {
  const fraction = options.testFraction ?? DEFAULT_TEST_FRACTION;
  if (typeof fraction !== 'number' || !(fraction >= 0 && fraction < 1)) throw new RangeError(`testFraction must be in [0, 1), got ${String(fraction)}`);
  const byUser = new Map<string, number[]>();
  interactions.forEach((x, i) => {
    if (!Number.isFinite(x.ts)) throw new RangeError(`interactions[${i}].ts must be a finite number, got ${String(x.ts)}`);
    const list = byUser.get(x.userId);
    if (list) list.push(i);
    else byUser.set(x.userId, [i]);
  });
  const isTest = new Uint8Array(interactions.length);
  for (const list of byUser.values()) {
    const nTest = Math.floor(list.length * fraction);
    if (nTest === 0) continue;
    list.sort((a, b) => (interactions[a] as T).ts - (interactions[b] as T).ts || a - b);
    for (let k = list.length - nTest; k < list.length; k++) isTest[list[k] as number] = 1;
  }
  const train: T[] = [];
  const test: T[] = [];
  interactions.forEach((x, i) => (isTest[i] ? test : train).push(x));
  return { train, test };
}
