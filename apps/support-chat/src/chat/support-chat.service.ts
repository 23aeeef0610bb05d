/**
 * The one path both transports take: HTTP/SSE and gRPC call these methods with plain
 * objects and only translate shapes, so they cannot drift. Adds what a transport-free
 * handler does not do: admission control, logging, and handing the results to the event
 * sink (which never blocks: the reply does not wait on Kafka).
 */
import type { Logger } from '@tuneline/platform';
import type {
  ChatReply,
  ChatTurnRequest,
  EndSessionRequest,
  EndSessionResult,
  FeedbackRecord,
  FeedbackRequest,
  SupportChatHandler,
  Turn,
} from '@tuneline/support';
import { NO_EVENTS, type SupportEvents } from '../events/support-events';
import type { Admission } from './admission';
import { replyChunks } from './reply-chunks';

export interface StreamedTurn {
  readonly chunks: readonly string[];
  readonly final: ChatReply;
}

export class SupportChatService {
  constructor(
    private readonly handler: Pick<SupportChatHandler, 'handleTurn' | 'endSession' | 'feedback'>,
    private readonly admission: Admission,
    private readonly logger: Logger,
    private readonly events: SupportEvents = NO_EVENTS,
  ) {}

  async turn(request: ChatTurnRequest): Promise<Turn> {
    const turn = await this.admission.run(() => this.handler.handleTurn(request));
    const { record } = turn;
    this.logger.info(
      { sessionId: record.sessionId, turn: record.turn, intent: record.intent, answerKind: record.answerKind, handoffReason: record.handoffReason, latencyMs: record.latencyMs },
      'turn answered',
    );
    this.events.turn(record);
    if (turn.handoff) this.events.handoff(turn.handoff);
    return turn;
  }

  async streamTurn(request: ChatTurnRequest): Promise<StreamedTurn> {
    const { response } = await this.turn(request);
    return { chunks: replyChunks(response.reply), final: response };
  }

  async endSession(request: EndSessionRequest): Promise<EndSessionResult> {
    const result = await this.handler.endSession(request);
    this.logger.info({ sessionId: result.sessionId, action: result.action, ticket: result.handoffTicketId || undefined }, 'session ended');
    // Only on the transition: a repeated handoff returns the payload again but was published already.
    if (result.handoff && result.newlyHandedOff === true) this.events.handoff(result.handoff);
    return result;
  }

  async feedback(request: FeedbackRequest): Promise<FeedbackRecord> {
    const record = await this.handler.feedback(request);
    this.logger.info({ sessionId: record.sessionId, ratedRequestId: record.requestId, helpful: record.helpful, correctIntent: record.correctIntent }, 'feedback received');
    this.events.feedback(record);
    return record;
  }
}
