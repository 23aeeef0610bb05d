/**
 * tuneline.support.v1.SupportChatService over the shared SupportChatService: the
 * implementation only maps generated messages to the handler's plain objects and back.
 * Errors are mapped by the platform's wrappers (INVALID_ARGUMENT, NOT_FOUND, ...). Turns get
 * the call's `ctx.signal`, so a deadline or a client cancel stops the handler too, not only the answer.
 */
import type { GrpcServer } from '@tuneline/platform';
import { supportV1 } from '@tuneline/proto';
import type { ChatReply, EndAction } from '@tuneline/support';
import type { SupportChatService } from '../chat/support-chat.service';

const ACTIONS_IN: Partial<Record<supportV1.EndAction, EndAction>> = {
  [supportV1.EndAction.END_ACTION_CLOSE]: 'close',
  [supportV1.EndAction.END_ACTION_HANDOFF]: 'handoff',
};
const ACTIONS_OUT: Record<EndAction, supportV1.EndAction> = {
  close: supportV1.EndAction.END_ACTION_CLOSE,
  handoff: supportV1.EndAction.END_ACTION_HANDOFF,
};

/** ChatReply is the generated ChatResponse (libs/support keeps the field names in step). */
const toChatResponse = (reply: ChatReply): supportV1.ChatResponse => reply;

export function addSupportChatGrpcService(grpc: GrpcServer, chat: SupportChatService): void {
  grpc.addService(supportV1.SupportChatServiceService, {
    chat: grpc.wrapUnary<supportV1.ChatRequest, supportV1.ChatResponse>(async (req, ctx) => {
      const turn = await chat.turn({ sessionId: req.sessionId, text: req.text, locale: req.locale, requestId: ctx.requestId, signal: ctx.signal });
      return toChatResponse(turn.response);
    }),
    streamChat: grpc.wrapServerStream<supportV1.StreamChatRequest, supportV1.StreamChatResponse>(async (req, send, ctx) => {
      const { chunks, final } = await chat.streamTurn({ sessionId: req.sessionId, text: req.text, locale: req.locale, requestId: ctx.requestId, signal: ctx.signal });
      for (const [index, text] of chunks.entries()) await send({ event: { $case: 'chunk', value: { index, text } } });
      await send({ event: { $case: 'final', value: toChatResponse(final) } });
    }),
    endSession: grpc.wrapUnary<supportV1.EndSessionRequest, supportV1.EndSessionResponse>(async (req) => {
      // An unset or unknown action goes through as is: the handler rejects it with INVALID_ARGUMENT.
      const action = ACTIONS_IN[req.action] ?? (String(req.action) as EndAction);
      const result = await chat.endSession({ sessionId: req.sessionId, action, ...(req.reason ? { reason: req.reason } : {}) });
      return { sessionId: result.sessionId, action: ACTIONS_OUT[result.action], handoffTicketId: result.handoffTicketId, turnCount: result.turnCount };
    }),
    feedback: grpc.wrapUnary<supportV1.FeedbackRequest, supportV1.FeedbackResponse>(async (req) => {
      const record = await chat.feedback({ sessionId: req.sessionId, requestId: req.requestId, helpful: req.helpful, correctIntent: req.correctIntent, comment: req.comment });
      return { sessionId: record.sessionId, requestId: record.requestId };
    }),
  });
}
