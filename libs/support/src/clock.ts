/** Milliseconds since the epoch; injected so TTLs and latencies are testable. */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();
