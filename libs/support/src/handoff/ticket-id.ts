import { createHash, randomUUID } from 'node:crypto';
import type { SessionState } from '../session/session-state';

/** Makes the agent-queue ticket id of a session that is handed off. */
export type TicketIdFn = (session: SessionState) => string;

/**
 * Default: derived from the session id and its start time, so a retried handoff (or
 * EndSession after an automatic handoff) names the same ticket, while a new session
 * reusing an old id gets a new one.
 */
export const deterministicTicketId: TicketIdFn = (session) =>
  `HO-${createHash('sha256').update(`${session.id}\n${session.createdAt}`).digest('hex').slice(0, 12).toUpperCase()}`;

export const randomTicketId: TicketIdFn = () => `HO-${randomUUID()}`;
