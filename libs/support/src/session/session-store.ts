/**
 * Where sessions live between turns. In memory now, Redis later (GET / a Lua or
 * WATCH-based compare-and-set / PEXPIRE), behind this one interface.
 *
 * Contract:
 * - `get` returns undefined for an unknown or expired session; it does not renew the TTL.
 * - `save` stores `state` only if the stored revision equals `expectedRevision` (0 for a
 *   session never saved), else throws SessionConflictError; the stored copy gets
 *   revision `expectedRevision + 1` and its TTL restarts (sliding expiry).
 * - Stored values are copies: mutating an object after `save` or `get` changes nothing stored.
 */
import type { SessionState } from './session-state';

export interface SessionStore {
  get(sessionId: string): Promise<SessionState | undefined>;
  /** Returns the stored state (with its new revision). */
  save(state: SessionState, expectedRevision: number): Promise<SessionState>;
  /** True when a live session was deleted. */
  delete(sessionId: string): Promise<boolean>;
}
