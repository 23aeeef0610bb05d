/**
 * Each user's latest interactions as this replica saw them on its signals feed, for
 * libs/recommend's observeEvent (co-occurrence pairs a new like with the user's earlier
 * likes). With profiles in Redis the shared consumer group updates the stored profile on one
 * replica, possibly before this replica's feed reaches the same event, so the stored profile
 * cannot tell "earlier" from "this one"; this history can. A user first met is seeded from
 * the stored profile's items older than the event. Bounded: `maxUsers` (least recently active
 * dropped first), `perUser` items each (oldest dropped first). Given the record's position, it
 * also tells a redelivered record (the feed's consumer restarted before its commit) from a new
 * one, so popularity and co-occurrence count each event once, as memory mode's profile store does.
 */
import { eventWeight, isAfter, type EventPosition, type Interaction, type SeenItem } from '@tuneline/recommend';

interface UserHistory {
  readonly items: SeenItem[];
  /** Partition → offset of the last record seen for this user. */
  readonly positions: Map<string, string>;
}

export const DEFAULT_HISTORY_USERS = 100_000;
export const DEFAULT_HISTORY_PER_USER = 200;

export class RecentHistory {
  private readonly users = new Map<string, UserHistory>();

  constructor(private readonly maxUsers = DEFAULT_HISTORY_USERS, private readonly perUser = DEFAULT_HISTORY_PER_USER) {
    for (const [k, v] of Object.entries({ maxUsers, perUser })) if (!Number.isInteger(v) || v < 1) throw new RangeError(`${k} must be a positive integer, got ${v}`);
  }

  get size(): number {
    return this.users.size;
  }

  /**
   * The user's items before `event` (seeded by `seed` for a user not held), then `event`
   * recorded; undefined, recording nothing, when `position` is at or before the last one seen
   * for this user on its partition (a redelivery: count it again and popularity doubles).
   */
  async next(event: Interaction, seed: () => Promise<readonly SeenItem[] | undefined>, position?: EventPosition): Promise<readonly SeenItem[] | undefined> {
    let held = this.users.get(event.userId);
    if (position && held && !isAfter(position.offset, held.positions.get(position.partition))) return undefined;
    // The seed is awaited: another record of this user may have been recorded meanwhile.
    if (held === undefined) {
      const items = (await seed())?.filter((s) => s.ts < event.ts).slice(-this.perUser) ?? [];
      held = this.users.get(event.userId) ?? { items, positions: new Map() };
      if (position && !isAfter(position.offset, held.positions.get(position.partition))) return undefined;
    }
    const before = held.items;
    const after = [...before.filter((s) => s.itemId !== event.itemId), { itemId: event.itemId, weight: eventWeight(event), ts: event.ts }].slice(-this.perUser);
    if (position) held.positions.set(position.partition, position.offset);
    this.users.delete(event.userId);
    this.users.set(event.userId, { items: after, positions: held.positions });
    if (this.users.size > this.maxUsers) this.users.delete(this.users.keys().next().value as string);
    return before;
  }
}
