/**
 * Each user's latest interactions as this replica saw them on its signals feed, for
 * libs/recommend's observeEvent (co-occurrence pairs a new like with the user's earlier
 * likes). With profiles in Redis the shared consumer group updates the stored profile on one
 * replica, possibly before this replica's feed reaches the same event, so the stored profile
 * cannot tell "earlier" from "this one"; this history can. A user first met is seeded from
 * the stored profile's items older than the event. Bounded: `maxUsers` (least recently active
 * dropped first), `perUser` items each (oldest dropped first).
 */
import { eventWeight, type Interaction, type SeenItem } from '@tuneline/recommend';

export const DEFAULT_HISTORY_USERS = 100_000;
export const DEFAULT_HISTORY_PER_USER = 200;

export class RecentHistory {
  private readonly users = new Map<string, SeenItem[]>();

  constructor(private readonly maxUsers = DEFAULT_HISTORY_USERS, private readonly perUser = DEFAULT_HISTORY_PER_USER) {
    for (const [k, v] of Object.entries({ maxUsers, perUser })) if (!Number.isInteger(v) || v < 1) throw new RangeError(`${k} must be a positive integer, got ${v}`);
  }

  get size(): number {
    return this.users.size;
  }

  /** The user's items before `event` (seeded by `seed` for a user not held), then `event` recorded. */
  async next(event: Interaction, seed: () => Promise<readonly SeenItem[] | undefined>): Promise<readonly SeenItem[]> {
    let items = this.users.get(event.userId);
    if (items === undefined) items = (await seed())?.filter((s) => s.ts < event.ts).slice(-this.perUser) ?? [];
    const before = items;
    const after = [...items.filter((s) => s.itemId !== event.itemId), { itemId: event.itemId, weight: eventWeight(event), ts: event.ts }].slice(-this.perUser);
    this.users.delete(event.userId);
    this.users.set(event.userId, after);
    if (this.users.size > this.maxUsers) this.users.delete(this.users.keys().next().value as string);
    return before;
  }
}
