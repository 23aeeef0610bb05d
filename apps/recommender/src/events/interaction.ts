/** user.events values as libs/recommend interactions. */
import type { UserEvent } from '@tuneline/events';
import type { Interaction } from '@tuneline/recommend';

/**
 * The interaction a user.events value stands for, or undefined for a `skip`: libs/recommend's
 * profiles learn from what users engage with, and a skip (shown, passed over) is not one of
 * its interaction types. It is consumed and counted, and changes nothing.
 */
export function interactionOf(event: UserEvent): Interaction | undefined {
  if (event.type === 'skip') return undefined;
  return {
    userId: event.userId,
    itemId: event.itemId,
    type: event.type,
    ts: Date.parse(event.ts),
    ...(event.value !== undefined ? { value: event.value } : {}),
  };
}
