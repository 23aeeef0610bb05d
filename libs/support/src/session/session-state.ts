import type { HandoffReason } from '../templates/answer-templates';
import type { SlotValues } from '../slots/slot-values';

export type AnswerKind = 'template' | 'retrieval' | 'handoff';

export interface TranscriptEntry {
  readonly role: 'user' | 'assistant';
  readonly text: string;
  /** Epoch ms. */
  readonly at: number;
  /** On assistant entries: what the turn resolved to. */
  readonly intent?: string;
  readonly answerKind?: AnswerKind;
}

export interface HandoffInfo {
  readonly ticketId: string;
  readonly reason: HandoffReason;
  /** Free text from EndSession, shown to the agent. */
  readonly note?: string;
  readonly at: number;
}

/**
 * Everything a session remembers between turns. Plain JSON data (no classes, no
 * typed arrays) so a Redis store can serialise it as is.
 */
export interface SessionState {
  readonly id: string;
  readonly language: string;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** Bumped by every save; the store's compare-and-set uses it. 0 = never saved. */
  readonly revision: number;
  readonly userTurns: number;
  readonly transcript: readonly TranscriptEntry[];
  /** Last intent answered with confidence (or inherited); follow-ups resolve against it. */
  readonly lastIntent?: string;
  /** Slots collected so far, newest value per slot. */
  readonly slots: SlotValues;
  /** Consecutive low-confidence turns up to now (the spec's "unresolved count"). */
  readonly lowConfidenceStreak: number;
  readonly status: 'open' | 'handed_off';
  readonly handoff?: HandoffInfo;
}

export function newSession(id: string, language: string, now: number): SessionState {
  return { id, language, createdAt: now, updatedAt: now, revision: 0, userTurns: 0, transcript: [], slots: {}, lowConfidenceStreak: 0, status: 'open' };
}

/** The most recent user message, if any. */
export function lastUserText(session: SessionState): string | undefined {
  for (let i = session.transcript.length - 1; i >= 0; i--) {
    const e = session.transcript[i] as TranscriptEntry;
    if (e.role === 'user') return e.text;
  }
  return undefined;
}
