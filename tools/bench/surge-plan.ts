import type { SurgeSpec } from '../replay/durations';
import { createRng } from '../replay/prng';

/**
 * Where the alert-quality stream's negative surges go: each surging entity gets
 * `surgesPerEntity` surges, one per equal slot of the stream after the warm-up, at a seeded
 * random start inside its slot and of a seeded random length in [surgeMinMs, surgeMaxMs],
 * so surges of different entities fall at unrelated times (some overlap) while two surges
 * of one entity are always at least `restMs` apart: time for its baselines to settle back.
 */
export interface SurgePlanOptions {
  readonly entities: readonly string[];
  readonly surgesPerEntity: number;
  readonly streamMs: number;
  /** No surge starts before this (baselines need minBaselineWindows closed windows). */
  readonly warmupMs: number;
  readonly surgeMinMs: number;
  readonly surgeMaxMs: number;
  /** Least quiet time after a surge before the next surge of the same entity. */
  readonly restMs: number;
  readonly seed: number;
}

const MINUTE = 60_000;

function check(ok: boolean, field: keyof SurgePlanOptions, rule: string, value: unknown): void {
  if (!ok) throw new RangeError(`${field}: ${rule}, got ${String(value)}`);
}

/** Offsets and lengths are whole minutes (readable in the truth file). Sorted by offset, then entity. */
export function planSurges(o: SurgePlanOptions): SurgeSpec[] {
  check(Array.isArray(o.entities) && o.entities.length > 0, 'entities', 'expected at least one entity', o.entities);
  check(new Set(o.entities).size === o.entities.length, 'entities', 'names must be distinct', o.entities);
  check(Number.isInteger(o.surgesPerEntity) && o.surgesPerEntity >= 1, 'surgesPerEntity', 'expected an integer >= 1', o.surgesPerEntity);
  for (const f of ['streamMs', 'warmupMs', 'surgeMinMs', 'surgeMaxMs', 'restMs'] as const) {
    check(Number.isInteger(o[f]) && o[f] >= 0 && o[f] % MINUTE === 0, f, 'expected a whole number of minutes in ms, >= 0', o[f]);
  }
  check(o.surgeMinMs > 0, 'surgeMinMs', 'expected > 0', o.surgeMinMs);
  check(o.surgeMaxMs >= o.surgeMinMs, 'surgeMaxMs', `expected >= surgeMinMs (${o.surgeMinMs})`, o.surgeMaxMs);
  check(o.warmupMs < o.streamMs, 'warmupMs', `expected < streamMs (${o.streamMs})`, o.warmupMs);
  const slotMs = Math.floor((o.streamMs - o.warmupMs) / o.surgesPerEntity / MINUTE) * MINUTE;
  // The latest start in a slot still ends the longest surge restMs before the next slot.
  const spreadMs = slotMs - o.surgeMaxMs - o.restMs;
  check(spreadMs >= 0, 'surgesPerEntity', `${o.surgesPerEntity} slots of ${slotMs / MINUTE} min cannot each hold a ${o.surgeMaxMs / MINUTE} min surge and ${o.restMs / MINUTE} min rest`, o.surgesPerEntity);
  const rng = createRng(o.seed);
  const out: SurgeSpec[] = [];
  for (const entity of o.entities) {
    for (let k = 0; k < o.surgesPerEntity; k++) {
      const offsetMs = o.warmupMs + k * slotMs + rng.int(0, spreadMs / MINUTE) * MINUTE;
      const durationMs = rng.int(o.surgeMinMs / MINUTE, o.surgeMaxMs / MINUTE) * MINUTE;
      out.push({ entity, offsetMs, durationMs });
    }
  }
  return out.sort((a, b) => a.offsetMs - b.offsetMs || a.entity.localeCompare(b.entity));
}
