/**
 * One handler for both transports: HTTP/SSE and gRPC call `handleTurn` and
 * `endSession` and only translate shapes and errors, so they cannot drift apart.
 *
 * A turn: validate → load session → (classify ∥ retrieve ∥ score sentiment; retrieval
 * reuses the classifier's embedding when it comes from the knowledge base's encoder) →
 * resolve follow-up → policy → reply → save session (compare-and-set) → record.
 * Nothing is saved when any step throws, so a failed turn can be retried as is.
 */
import { randomUUID } from 'node:crypto';
import { topIntents, type IntentPrediction } from '../classification/intent-classifier';
import { systemClock, type Clock } from '../clock';
import { resolveSupportOptions, type SupportOptions } from '../config/support-options';
import { decideTurn, type PolicyDecision } from '../dialogue/dialogue-policy';
import { looksLikeFollowUp, resolveIntent, type ResolvedIntent } from '../dialogue/follow-up';
import { isHumanRequest } from '../dialogue/human-request';
import { NotFoundError, SessionHandedOffError, TurnCancelledError, TurnLimitError, ValidationError } from '../errors';
import { checkCorrectIntent, validateFeedbackRequest, type FeedbackRecord, type FeedbackRequest } from '../feedback/feedback';
import { handoffResultOf } from '../handoff/handoff-result';
import { deterministicTicketId, type TicketIdFn } from '../handoff/ticket-id';
import type { ScoredPassage } from '../knowledge/article';
import { languageOf } from '../language';
import { scoreSentiment, type SentimentOutcome, type SentimentScorer } from '../sentiment/sentiment-scorer';
import { lastUserText, newSession, type SessionState, type TranscriptEntry } from '../session/session-state';
import type { SessionStore } from '../session/session-store';
import { extractSlots, mergeSlots } from '../slots/extract-slots';
import { redactCardNumbers } from '../slots/redact-card-numbers';
import type { SlotValues } from '../slots/slot-values';
import type { HandoffReason } from '../templates/answer-templates';
import { echoValue, validateHandoffReason, validateLocale, validateMessageText, validateSessionId } from '../validation/validate-request';
import type { LanguagePack } from './language-pack';
import type { ChatTurnRequest, EndSessionRequest, EndSessionResult, Turn, TurnRecord } from './turn-types';

export interface SupportChatHandlerDeps {
  /** Packs by language ("en", "zh"); a turn in another language is INVALID_ARGUMENT. */
  readonly languages: Readonly<Record<string, LanguagePack>>;
  readonly store: SessionStore;
  readonly sentiment?: SentimentScorer;
  readonly options?: Partial<SupportOptions>;
  readonly clock?: Clock;
  readonly ticketId?: TicketIdFn;
  readonly requestId?: () => string;
  /** Told about degraded turns (sentiment failed or timed out); the turn still succeeds. */
  readonly onWarning?: (message: string, context: { readonly sessionId: string; readonly requestId: string }) => void;
}

interface Reply {
  readonly text: string;
  readonly slotsUsed: readonly string[];
}

export class SupportChatHandler {
  readonly options: SupportOptions;
  private readonly clock: Clock;
  private readonly ticketId: TicketIdFn;
  private readonly requestId: () => string;

  constructor(private readonly deps: SupportChatHandlerDeps) {
    if (Object.keys(deps.languages).length === 0) throw new TypeError('languages: at least one language pack is required');
    for (const [language, pack] of Object.entries(deps.languages)) {
      const min = pack.retrievalMinScore;
      if (min !== undefined && !(min >= -1 && min <= 1)) throw new RangeError(`languages.${language}.retrievalMinScore: ${min} must be within [-1, 1]`);
    }
    this.options = resolveSupportOptions(deps.options);
    this.clock = deps.clock ?? systemClock;
    this.ticketId = deps.ticketId ?? deterministicTicketId;
    this.requestId = deps.requestId ?? randomUUID;
  }

  get languages(): string[] {
    return Object.keys(this.deps.languages);
  }

  async handleTurn(request: ChatTurnRequest): Promise<Turn> {
    const started = this.clock();
    const requestId = request.requestId || this.requestId();
    const sessionId = validateSessionId(request.sessionId);
    // Card numbers are masked first: classification, slots, the stored session, the record
    // and every event only ever see `**** **** **** 1234` (which still fills last_four).
    const text = redactCardNumbers(validateMessageText(request.text, this.options.maxMessageChars));
    const language = languageOf(validateLocale(request.locale));
    const pack = this.deps.languages[language];
    if (!pack) {
      throw new ValidationError(`locale ${request.locale} is not supported; supported languages: ${this.languages.join(', ')}`, { field: 'locale' });
    }
    throwIfAborted(request.signal, sessionId);

    const session = (await this.deps.store.get(sessionId)) ?? newSession(sessionId, language, started);
    if (session.status === 'handed_off') throw new SessionHandedOffError(sessionId, session.handoff?.ticketId ?? '');
    if (session.userTurns >= this.options.maxTurns) throw new TurnLimitError(sessionId, this.options.maxTurns);

    // A likely follow-up is retrieved together with the message it follows, so "that" has a referent.
    const previous = lastUserText(session);
    const query = previous && session.lastIntent && looksLikeFollowUp(text, this.options.followUpMaxWords) ? `${previous}\n${text}` : text;
    const [[prediction], passages, sentiment] = await Promise.all([
      ...this.classifyAndRetrieve(pack, text, query),
      scoreSentiment(this.deps.sentiment, text, this.options.sentimentTimeoutMs),
    ]);
    if (!prediction) throw new Error('intent classifier returned no prediction');
    // The version that classified this message; `classifier.version` may already name a newer one.
    const modelVersion = prediction.modelVersion ?? pack.classifier.version;
    this.warnOnSentiment(sentiment, sessionId, requestId);

    const intent = resolveIntent(prediction, text, session.lastIntent, this.options);
    const decision = decideTurn(
      {
        intent,
        humanRequested: isHumanRequest(text),
        ...(sentiment.status === 'scored' ? { negativeSentiment: sentiment.negative } : {}),
        passages,
        hasTemplate: (label) => pack.templates.hasIntent(label),
        lowConfidenceStreak: session.lowConfidenceStreak,
      },
      { ...this.options, retrievalMinScore: pack.retrievalMinScore ?? this.options.retrievalMinScore },
    );

    const now = this.clock();
    const slots = mergeSlots(session.slots, extractSlots(text, { now: started, language }));
    const ticketId = decision.kind === 'handoff' ? this.ticketId(session) : undefined;
    const reply = this.reply(pack, decision, intent, slots, ticketId);
    const updated = this.nextState(session, { text, language, intent, decision, slots, reply: reply.text, ticketId, started, now });
    // Last point at which the turn can still not have happened. Once saved it stands, and is
    // returned (and published) even if the client has gone: throwing then would hide a turn,
    // and a handoff, that the session already holds.
    throwIfAborted(request.signal, sessionId);
    const saved = await this.deps.store.save(updated, session.revision);

    const response = {
      sessionId,
      reply: reply.text,
      intent: intent.label,
      confidence: intent.confidence,
      handoff: decision.kind === 'handoff',
      citations: decision.citations.map(({ passage, score }) => ({ passageId: passage.id, title: passage.title, text: passage.text, score })),
      topIntents: topIntents(prediction.scores, this.options.topIntents),
      model: { name: pack.classifier.name, version: modelVersion },
    };
    const record: TurnRecord = {
      requestId,
      sessionId,
      turn: saved.userTurns,
      language,
      text,
      intent: intent.label,
      confidence: intent.confidence,
      inherited: intent.inherited,
      answerKind: decision.kind,
      ...(decision.kind === 'handoff' ? { handoffReason: decision.reason, ticketId } : {}),
      passages: decision.citations.map(({ passage, score }) => ({ passageId: passage.id, score })),
      slotsUsed: reply.slotsUsed,
      modelName: pack.classifier.name,
      modelVersion,
      sentiment: sentiment.status === 'scored' ? sentiment.negative : sentiment.status,
      latencyMs: Math.max(0, this.clock() - started),
      at: new Date(now).toISOString(),
    };
    return { response, record, ...(saved.handoff ? { handoff: handoffResultOf(saved) } : {}) };
  }

  async endSession(request: EndSessionRequest): Promise<EndSessionResult> {
    const sessionId = validateSessionId(request.sessionId);
    if (request.action !== 'close' && request.action !== 'handoff') {
      throw new ValidationError(`action must be "close" or "handoff", got ${echoValue(request.action)}`, { field: 'action' });
    }
    // The note travels on support.handoff: masked like a message.
    const note = redactCardNumbers(validateHandoffReason(request.reason, this.options.maxReasonChars, request.action === 'handoff'));
    const session = await this.deps.store.get(sessionId);
    if (!session) throw new NotFoundError(`session ${sessionId} does not exist or has expired`);

    if (request.action === 'close') {
      await this.deps.store.delete(sessionId);
      return { sessionId, action: 'close', handoffTicketId: session.handoff?.ticketId ?? '', turnCount: session.userTurns, newlyHandedOff: false };
    }
    // Handing off twice is idempotent: the first ticket stands, and only the first call
    // (or the turn whose policy handed off) reports the transition, so it is published once.
    const newlyHandedOff = session.status !== 'handed_off';
    const handedOff = newlyHandedOff
      ? await this.deps.store.save(
          { ...session, status: 'handed_off', handoff: { ticketId: this.ticketId(session), reason: 'agent_requested', note, at: this.clock() } },
          session.revision,
        )
      : session;
    const handoff = handoffResultOf(handedOff);
    return { sessionId, action: 'handoff', handoffTicketId: handoff.ticketId, turnCount: handedOff.userTurns, handoff, newlyHandedOff };
  }

  /**
   * Validates feedback on a turn of a live session (handed-off sessions included) and
   * returns it as a record for the app to publish; nothing is stored. Unknown or expired
   * session → NotFoundError; bad input or a correct intent the session's classifier does
   * not know → ValidationError. That `requestId` names a turn of this session is not
   * checked (sessions keep no request ids): an unmatched one simply joins nothing.
   */
  async feedback(request: FeedbackRequest): Promise<FeedbackRecord> {
    const input = validateFeedbackRequest(request);
    const session = await this.deps.store.get(input.sessionId);
    if (!session) throw new NotFoundError(`session ${input.sessionId} does not exist or has expired`);
    checkCorrectIntent(input.correctIntent, this.deps.languages[session.language]?.classifier.labels);
    return { ...input, language: session.language, at: new Date(this.clock()).toISOString() };
  }

  /**
   * Classification and retrieval. One encoder pass when the intent model embeds the message
   * with the knowledge base's own encoder (same checksum) and the query is the message (not a
   * follow-up joined to the previous one): retrieval waits for the prediction's embedding. When
   * the prediction then carries no usable embedding (e.g. a swap to another base), or in any
   * other case, the knowledge base embeds the query itself, in parallel with classification.
   */
  private classifyAndRetrieve(pack: LanguagePack, text: string, query: string): [Promise<IntentPrediction[]>, Promise<ScoredPassage[]>] {
    const search = { k: Math.max(this.options.maxCitations, 1), minScore: -1 };
    const classified = pack.classifier.classify([text]);
    if (query !== text || pack.classifier.encoderChecksum !== pack.knowledge.modelChecksum) {
      return [classified, pack.knowledge.search(query, search)];
    }
    const retrieved = classified.then(([p]) => pack.knowledge.search(query, {
      ...search,
      ...(p?.embedding && p.encoderChecksum ? { queryEmbedding: { vector: p.embedding, encoderChecksum: p.encoderChecksum } } : {}),
    }));
    return [classified, retrieved];
  }

  private reply(pack: LanguagePack, decision: PolicyDecision, intent: ResolvedIntent, slots: SlotValues, ticketId?: string): Reply {
    const { templates } = pack;
    if (decision.kind === 'template') {
      const filled = templates.answer(intent.label, slots);
      if (filled) return { text: filled.text, slotsUsed: filled.usedSlots };
    }
    if (decision.kind === 'retrieval') {
      const best = decision.citations[0] as ScoredPassage;
      return { text: `${templates.message('retrieval_intro')}\n\n${best.passage.text}`, slotsUsed: [] };
    }
    const reason: HandoffReason = decision.kind === 'handoff' ? decision.reason : 'no_answer';
    const message = templates.message(`handoff_${reason}`, { ticket_id: ticketId ?? '' });
    // A sensitive intent still gets its urgent advice (e.g. "freeze your card now") before the handoff note.
    const advice = reason === 'sensitive_intent' ? templates.answer(intent.label, slots) : undefined;
    return advice ? { text: `${advice.text}\n\n${message}`, slotsUsed: advice.usedSlots } : { text: message, slotsUsed: [] };
  }

  private nextState(
    session: SessionState,
    t: {
      text: string;
      language: string;
      intent: ResolvedIntent;
      decision: PolicyDecision;
      slots: SlotValues;
      reply: string;
      ticketId: string | undefined;
      started: number;
      now: number;
    },
  ): SessionState {
    const user: TranscriptEntry = { role: 'user', text: t.text, at: t.started };
    const assistant: TranscriptEntry = { role: 'assistant', text: t.reply, at: t.now, intent: t.intent.label, answerKind: t.decision.kind };
    const sure = t.intent.confident || t.intent.inherited;
    return {
      ...session,
      language: t.language,
      updatedAt: t.now,
      userTurns: session.userTurns + 1,
      transcript: [...session.transcript, user, assistant],
      ...(sure ? { lastIntent: t.intent.label } : {}),
      slots: t.slots,
      lowConfidenceStreak: t.decision.lowConfidenceStreak,
      ...(t.decision.kind === 'handoff'
        ? { status: 'handed_off' as const, handoff: { ticketId: t.ticketId ?? '', reason: t.decision.reason, at: t.now } }
        : {}),
    };
  }

  private warnOnSentiment(outcome: SentimentOutcome, sessionId: string, requestId: string): void {
    if (outcome.status !== 'timeout' && outcome.status !== 'failed') return;
    const detail = outcome.status === 'failed' ? `failed: ${outcome.error instanceof Error ? outcome.error.message : String(outcome.error)}` : `timed out after ${this.options.sentimentTimeoutMs} ms`;
    this.deps.onWarning?.(`sentiment scorer ${detail}; answering without it`, { sessionId, requestId });
  }
}

/** An aborted turn throws before anything is saved (TurnCancelledError, CANCELLED or DEADLINE_EXCEEDED). */
function throwIfAborted(signal: AbortSignal | undefined, sessionId: string): void {
  if (signal?.aborted) throw new TurnCancelledError(sessionId, signal.reason);
}
