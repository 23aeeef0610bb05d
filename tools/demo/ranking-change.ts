/** The demo's ranking before and after likes, as lines (ranking-change.spec.ts); demo.ts prints them. */

export interface Ranked {
  readonly itemId: string;
  readonly title?: string;
  readonly score: number;
}

/** How long the demo polls for the top to move after the likes (normally well under a second). */
export const RANKING_WAIT_MS = 15_000;

const topIds = (items: readonly Ranked[], top: number): string => items.slice(0, top).map((i) => i.itemId).join();

/** True once the first `top` ids differ: what the demo polls for. */
export const topChanged = (before: readonly Ranked[], after: readonly Ranked[], top: number): boolean => topIds(before, top) !== topIds(after, top);

export function rankingLines(label: string, items: readonly Ranked[], mark: ReadonlySet<string> = new Set()): string[] {
  return [`-- ${label}`, ...items.map((i, n) => `   ${String(n + 1).padStart(2)}. ${(i.title ?? i.itemId).padEnd(40)} ${i.score.toFixed(3)}${mark.has(i.itemId) ? '  (new)' : ''}`)];
}

/**
 * The top after the likes with its newcomers marked or, when it did not move within `waitedMs`,
 * says so and why that happens, rather than printing the unchanged list as if it were new.
 */
export function rankingChangeLines(before: readonly Ranked[], after: readonly Ranked[], top: number, waitedMs: number): string[] {
  if (!topChanged(before, after, top)) {
    return [
      `-- after: the top ${top} did not change within ${Math.round(waitedMs / 1000)} s of the likes.`,
      '   The profile moves when the recommender consumes user.events: its consumer may lag (a busy machine,',
      '   a group rebalance after a restart) or be stopped (see the recommender log); run npm run demo again.',
    ];
  }
  const was = new Set(before.slice(0, top).map((i) => i.itemId));
  const shown = after.slice(0, top);
  return rankingLines('after', shown, new Set(shown.map((i) => i.itemId).filter((id) => !was.has(id))));
}
