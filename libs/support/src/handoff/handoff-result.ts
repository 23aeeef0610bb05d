import type { SlotValues } from '../slots/slot-values';
import type { HandoffReason } from '../templates/answer-templates';
import type { SessionState, TranscriptEntry } from '../session/session-state';

/** What a human agent receives: everything needed to pick the conversation up. */
export interface HandoffResult {
  readonly ticketId: string;
  readonly sessionId: string;
  readonly reason: HandoffReason;
  /** Free text from EndSession, if any. */
  readonly note?: string;
  readonly language: string;
  readonly lastIntent?: string;
  readonly slots: SlotValues;
  readonly transcript: readonly TranscriptEntry[];
  /** Epoch ms. */
  readonly at: number;
}

export function handoffResultOf(session: SessionState): HandoffResult {
  if (!session.handoff) throw new Error(`session ${session.id} was not handed off`);
  const { ticketId, reason, note, at } = session.handoff;
  return {
    ticketId,
    sessionId: session.id,
    reason,
    ...(note ? { note } : {}),
    language: session.language,
    ...(session.lastIntent ? { lastIntent: session.lastIntent } : {}),
    slots: session.slots,
    transcript: session.transcript,
    at,
  };
}
