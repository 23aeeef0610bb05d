import { SLOT_PATTERNS, type SlotPattern } from './slot-patterns';
import type { SlotContext, SlotValues } from './slot-values';

/** Every slot the patterns find in one message (pure; no session state). */
export function extractSlots(text: string, ctx: SlotContext, patterns: readonly SlotPattern[] = SLOT_PATTERNS): SlotValues {
  const out: Record<string, string> = {};
  for (const p of patterns) {
    const v = p.extract(text, ctx);
    if (v !== undefined) out[p.name] = v;
  }
  return out;
}

/** Session slots updated with this message's: the newer value of a slot wins. */
export function mergeSlots(previous: SlotValues, current: SlotValues): SlotValues {
  return { ...previous, ...current };
}
