/** A scripted stand-in for SupportChatHandler, for the transport unit specs. */
import type { ChatTurnRequest, EndSessionRequest, EndSessionResult, FeedbackRecord, FeedbackRequest, SupportChatHandler, Turn } from '@tuneline/support';

/** `turns`: the requests without their `signal`; `signals`: the signal each turn got (undefined: none). */
export type FakeHandler = Pick<SupportChatHandler, 'handleTurn' | 'endSession' | 'feedback'> & { turns: ChatTurnRequest[]; signals: (AbortSignal | undefined)[] };

export function turnFor(request: ChatTurnRequest, reply = 'First sentence. Second one!'): Turn {
  return {
    response: {
      sessionId: request.sessionId,
      reply,
      intent: 'card_arrival',
      confidence: 0.9,
      handoff: false,
      citations: [],
      topIntents: [{ label: 'card_arrival', score: 0.9 }],
      model: { name: 'fake', version: '1' },
    },
    record: {
      requestId: request.requestId ?? 'r',
      sessionId: request.sessionId,
      turn: 1,
      language: 'en',
      text: request.text,
      intent: 'card_arrival',
      confidence: 0.9,
      inherited: false,
      answerKind: 'template',
      passages: [],
      slotsUsed: [],
      modelName: 'fake',
      modelVersion: '1',
      sentiment: 'absent',
      latencyMs: 1,
      at: new Date(0).toISOString(),
    },
  };
}

/** Settles when `signal` aborts (never when it is undefined). */
export function whenAborted(signal: AbortSignal | undefined): Promise<unknown> {
  return new Promise((resolve) => signal?.addEventListener('abort', () => resolve(signal.reason), { once: true }));
}

export function fakeHandler(behaviour: {
  turn?: (request: ChatTurnRequest) => Promise<Turn>;
  end?: (request: EndSessionRequest) => Promise<EndSessionResult>;
  feedback?: (request: FeedbackRequest) => Promise<FeedbackRecord>;
} = {}): FakeHandler {
  const turns: ChatTurnRequest[] = [];
  const signals: (AbortSignal | undefined)[] = [];
  return {
    turns,
    signals,
    handleTurn: async (request) => {
      const { signal, ...rest } = request;
      turns.push(rest);
      signals.push(signal);
      return (behaviour.turn ?? (async (r) => turnFor(r)))(request);
    },
    endSession: behaviour.end ?? (async (r) => ({ sessionId: r.sessionId, action: r.action, handoffTicketId: '', turnCount: 0 })),
    feedback: behaviour.feedback ?? (async (r) => ({ ...r, language: 'en', at: new Date(0).toISOString() })),
  };
}
