import { createRng } from '../replay/prng';

/**
 * A chat-like request stream for the response-cache bench: each request is, with probability
 * `repeatRate`, a message seen before (popular ones more often: Zipf over the order of first
 * appearance, s = 1), otherwise the next unseen message. Seeded, so cache on and off replay
 * exactly the same stream.
 */
export interface ReplayOptions {
  readonly requests: number;
  readonly repeatRate: number;
  readonly seed: number;
}

/** Zipf(s = 1) rank in [0, n): inverse CDF over the harmonic weights 1/(k+1). */
function zipfRank(n: number, u: number, harmonic: readonly number[]): number {
  const target = u * (harmonic[n - 1] as number);
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((harmonic[mid] as number) < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function buildReplay(unique: readonly string[], o: ReplayOptions): string[] {
  if (!(o.repeatRate >= 0 && o.repeatRate < 1)) throw new RangeError(`repeatRate must be in [0, 1), got ${o.repeatRate}`);
  const next = createRng(o.seed).next;
  const harmonic: number[] = [];
  const seen: string[] = [];
  const out: string[] = [];
  for (let i = 0; i < o.requests; i++) {
    const fresh = seen.length === 0 || next() >= o.repeatRate;
    if (fresh && seen.length < unique.length) {
      seen.push(unique[seen.length] as string);
      harmonic.push((harmonic[harmonic.length - 1] ?? 0) + 1 / seen.length);
      out.push(seen[seen.length - 1] as string);
    } else {
      out.push(seen[zipfRank(seen.length, next(), harmonic)] as string);
    }
  }
  return out;
}

/** Share of requests whose text appeared earlier in the stream: the best hit rate a cache can reach. */
export function repeatShare(stream: readonly string[]): number {
  const seen = new Set<string>();
  let repeats = 0;
  for (const t of stream) {
    if (seen.has(t)) repeats++;
    else seen.add(t);
  }
  return stream.length ? repeats / stream.length : 0;
}
