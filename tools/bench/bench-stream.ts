import { synthesizeStream, type LabelledSentence, type SynthOutput } from '../replay/synthesize';
import { planSurges } from './surge-plan';

/**
 * The alert-quality stream of tools/bench/sentiment-quality.ts: tools/replay's synthesizeStream
 * (its default rates: 24 items/h per entity, 60 background items/h, surges at 3x the rate and
 * 80% negative) with the surges planned by planSurges in this shape.
 */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Surges of 20-40 min, none in the first 2 h (baselines need 1 h of windows), >= 2 h apart per entity. */
export const BENCH_SURGE_SHAPE = { warmupMs: 2 * HOUR, surgeMinMs: 20 * MINUTE, surgeMaxMs: 40 * MINUTE, restMs: 2 * HOUR } as const;

export interface BenchStreamOptions {
  readonly sentences: readonly LabelledSentence[];
  readonly surgingEntities: readonly string[];
  readonly steadyEntities: readonly string[];
  readonly surgesPerEntity: number;
  readonly hours: number;
  readonly seed: number;
}

export function benchStream(o: BenchStreamOptions): SynthOutput {
  const streamMs = o.hours * HOUR;
  const surges = planSurges({ entities: o.surgingEntities, surgesPerEntity: o.surgesPerEntity, streamMs, seed: o.seed, ...BENCH_SURGE_SHAPE });
  return synthesizeStream({ sentences: o.sentences, entities: [...o.surgingEntities, ...o.steadyEntities], surges, seed: o.seed, durationMs: streamMs });
}
