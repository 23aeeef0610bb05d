/**
 * Event-time window arithmetic. Windows are aligned to the Unix epoch: window starts are
 * the multiples of hopMs and each window spans [start, start + windowMs). Tumbling
 * windows have hopMs = windowMs (each instant in exactly one window); sliding windows have
 * windowMs a multiple of hopMs (each instant in windowMs / hopMs windows).
 */
export interface WindowShape {
  readonly windowMs: number;
  readonly hopMs: number;
}

/** Start of the newest window containing `t` (exact for any safe integer, negatives included). */
export function lastWindowStart(t: number, hopMs: number): number {
  const r = ((t % hopMs) + hopMs) % hopMs;
  return t - r;
}

/** Start of the oldest window containing `t`. */
export function firstWindowStart(t: number, shape: WindowShape): number {
  return lastWindowStart(t, shape.hopMs) - shape.windowMs + shape.hopMs;
}

/** Starts of every window containing `t`, oldest first. */
export function windowStartsContaining(t: number, shape: WindowShape): number[] {
  const last = lastWindowStart(t, shape.hopMs);
  const starts: number[] = [];
  for (let s = last - shape.windowMs + shape.hopMs; s <= last; s += shape.hopMs) starts.push(s);
  return starts;
}

export function windowEnd(start: number, shape: WindowShape): number {
  return start + shape.windowMs;
}

/**
 * A window is closed once the watermark reaches its end: no event that may still arrive
 * can belong to it.
 */
export function isWindowClosed(start: number, shape: WindowShape, watermarkMs: number): boolean {
  return start + shape.windowMs <= watermarkMs;
}
