/**
 * How long the Ranking view polls for a changed ranking after a like. The profile changes when
 * the recommender consumes user.events: well under a second on an idle machine, but a loaded CI
 * machine or a consumer group rebalancing after a restart can take tens of seconds. No DOM here:
 * the browser spec (test/console.browser.spec.ts) imports it to wait at least as long.
 */
export const RANKING_POLL_MS = 700;
export const RANKING_WAIT_MS = 45_000;

/** What the view says when the ranking has not moved within RANKING_WAIT_MS (never a silent stop). */
export const rankingUnchangedNote = (title: string): string =>
  `Feedback on ${title} recorded, but the ranking has not changed in ${RANKING_WAIT_MS / 1000} s: the recommender applies feedback when it consumes user.events, which may be lagging. Press "Show ranking" to check again.`;
