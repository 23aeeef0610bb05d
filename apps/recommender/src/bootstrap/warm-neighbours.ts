/**
 * Background start-up step: fill libs/recommend's TextNeighbours memo for the items the
 * seeded users liked last (the ones their textKnn feature reads), so the first request of
 * each user does not pay up to RECENT_LIKED exact scans of the catalog (~4 ms each at 9.7k
 * items). A trained head's state has them already (training computed them); a head found in
 * the repository starts cold. Runs in chunks between event-loop turns, so requests are served
 * meanwhile; stops when `signal` aborts. (The memo is cleared on any catalog change.)
 */
import { RECENT_LIKED, type TextNeighbours, type UserProfile } from '@tuneline/recommend';

export interface WarmResult {
  readonly items: number;
  readonly ms: number;
  readonly stopped: boolean;
}

/** Catalog indices of each user's latest liked items (weight > 0), each once. */
export function recentLikedItems(profiles: Iterable<UserProfile>, indexOf: (id: string) => number, perUser = RECENT_LIKED): number[] {
  const items = new Set<number>();
  for (const p of profiles) {
    const liked = p.seen.filter((s) => s.weight > 0).slice(-perUser);
    for (const s of liked) {
      const i = indexOf(s.itemId);
      if (i >= 0) items.add(i);
    }
  }
  return [...items];
}

export async function warmTextNeighbours(neighbours: Pick<TextNeighbours, 'of'>, items: readonly number[], signal: AbortSignal, chunk = 16): Promise<WarmResult> {
  const started = performance.now();
  for (let s = 0; s < items.length; s += chunk) {
    if (signal.aborted) return { items: s, ms: Math.round(performance.now() - started), stopped: true };
    for (const i of items.slice(s, s + chunk)) neighbours.of(i);
    await new Promise<void>((r) => setImmediate(r));
  }
  return { items: items.length, ms: Math.round(performance.now() - started), stopped: false };
}
