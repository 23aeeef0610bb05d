/**
 * The handler's input and output. Field names follow proto/tuneline/support/v1 in
 * camelCase (as ts-proto generates them), so the transports copy them across:
 * `ChatReply` is assignable to the generated `ChatResponse` as is.
 */
import type { LabelScore } from '../classification/intent-classifier';
import type { HandoffResult } from '../handoff/handoff-result';
import type { AnswerKind } from '../session/session-state';
import type { HandoffReason } from '../templates/answer-templates';

export interface ChatTurnRequest {
  readonly sessionId: string;
  readonly text: string;
  /** BCP 47 tag; empty or missing means "en". */
  readonly locale?: string;
  /** Correlates logs and the turn record; one is generated when missing. */
  readonly requestId?: string;
  /**
   * The transport's cancellation (client gone, deadline). Checked before the turn starts and
   * just before the save: an aborted turn throws TurnCancelledError (CANCELLED / 499, or
   * DEADLINE_EXCEEDED / 504 when the reason is a deadline) and is not saved. A turn already
   * saved is returned. Not part of the proto message.
   */
  readonly signal?: AbortSignal;
}

export interface CitedPassage {
  passageId: string;
  title: string;
  text: string;
  score: number;
}

export interface ModelRef {
  name: string;
  version: string;
}

/** = proto ChatResponse. */
export interface ChatReply {
  sessionId: string;
  reply: string;
  intent: string;
  confidence: number;
  handoff: boolean;
  citations: CitedPassage[];
  topIntents: LabelScore[];
  model: ModelRef;
}

/** One turn as an event (turn.completed later): plain JSON; `text` has card numbers masked (redactCardNumbers). */
export interface TurnRecord {
  readonly requestId: string;
  readonly sessionId: string;
  /** 1-based index of this user turn in the session. */
  readonly turn: number;
  readonly language: string;
  readonly text: string;
  readonly intent: string;
  readonly confidence: number;
  /** The intent came from the follow-up rule. */
  readonly inherited: boolean;
  readonly answerKind: AnswerKind;
  readonly handoffReason?: HandoffReason;
  readonly ticketId?: string;
  readonly passages: readonly { readonly passageId: string; readonly score: number }[];
  /** Names of the slots the reply used. */
  readonly slotsUsed: readonly string[];
  readonly modelName: string;
  readonly modelVersion: string;
  /** Negative-sentiment probability, or the reason there is none. */
  readonly sentiment: number | 'absent' | 'timeout' | 'failed';
  readonly latencyMs: number;
  /** ISO 8601 time the turn finished. */
  readonly at: string;
}

export interface Turn {
  readonly response: ChatReply;
  readonly record: TurnRecord;
  /** Set when this turn handed the session off. */
  readonly handoff?: HandoffResult;
}

export type EndAction = 'close' | 'handoff';

export interface EndSessionRequest {
  readonly sessionId: string;
  readonly action: EndAction;
  /** Required for `handoff` (shown to the agent); at most maxReasonChars. */
  readonly reason?: string;
}

/** = proto EndSessionResponse, plus the handoff payload for the agent queue. */
export interface EndSessionResult {
  readonly sessionId: string;
  readonly action: EndAction;
  /** '' unless the session was handed off (proto default). */
  readonly handoffTicketId: string;
  readonly turnCount: number;
  /** The session's handoff (also when it had been handed off before this call). */
  readonly handoff?: HandoffResult;
  /**
   * True only when this call handed the session off; false for close and for a session
   * already handed off (by an earlier EndSession or by a turn, whose handoff was returned
   * then). Publish `handoff` on support.handoff only when this is true. The handler always
   * sets it; optional so that scripted stand-ins need not.
   */
  readonly newlyHandedOff?: boolean;
}
