/**
 * In-memory ConsoleBackends for specs: each service can be "down" (its calls fail like a
 * refused gRPC connection), chat streams canned chunks, alerts are pushed by the spec.
 */
import { status } from '@grpc/grpc-js';
import { backendError } from './backend-errors';
import type { AlertStreamMessage, ChatStreamEvent, ConsoleBackends } from './backends';
import type { AlertJson, ChatTurnJson, RankingJson, ServiceName } from './types';

export interface FakeBackends extends ConsoleBackends {
  readonly down: Set<ServiceName>;
  /** Delivers an alert to every open StreamAlerts call. */
  pushAlert(alert: AlertJson): void;
  readonly feedback: unknown[];
}

const refused = (service: ServiceName) => backendError(service, Object.assign(new Error('14 UNAVAILABLE'), { code: status.UNAVAILABLE, details: 'connect ECONNREFUSED' }));

export function sampleTurn(text: string): ChatTurnJson {
  return {
    sessionId: 's',
    reply: `You said: ${text}`,
    intent: 'card_arrival',
    confidence: 0.9,
    handoff: false,
    citations: [{ passageId: 'p1', title: 'Card delivery', text: 'Cards arrive in 5 days', score: 0.8 }],
    topIntents: [{ label: 'card_arrival', score: 0.9 }],
    model: { name: 'support-intent', version: '2' },
  };
}

export function sampleAlert(id: string, entity: string, severity: AlertJson['severity'] = 'warning'): AlertJson {
  return {
    alertId: id,
    entity,
    topic: '',
    kind: 'entity',
    rule: 'negative_share',
    severity,
    windowStart: '2026-01-01T11:00:00.000Z',
    windowEnd: '2026-01-01T11:15:00.000Z',
    totalCount: 10,
    negativeCount: 8,
    negativeShare: 0.8,
    baselineNegativeShare: 0.2,
    zScore: 4,
    headlines: [],
  };
}

export function createFakeBackends(): FakeBackends {
  const down = new Set<ServiceName>();
  const feedback: unknown[] = [];
  const subscribers = new Set<(m: AlertStreamMessage) => void>();
  const guard = (service: ServiceName) => {
    if (down.has(service)) throw refused(service);
  };
  const ranking = (userId: string, liked: ReadonlySet<string>): RankingJson => ({
    userId,
    items: ['10', '20', '30', '40']
      .filter((id) => !liked.has(id))
      .map((itemId, i) => ({ itemId, title: `Item ${itemId}`, score: 1 - i * 0.1, rank: i + 1, reasons: [{ name: 'ease', value: 0.5 }] })),
    coldStart: false,
    rules: [],
    model: { name: 'recommend-ranker', version: '1' },
  });
  const liked = new Set<string>();
  return {
    down,
    feedback,
    pushAlert(alert) {
      for (const s of subscribers) s({ alert, resumeToken: `t-${alert.alertId}` });
    },
    chat: {
      async chat(req) {
        guard('support-chat');
        return { ...sampleTurn(req.text), sessionId: req.sessionId };
      },
      async *streamChat(req): AsyncGenerator<ChatStreamEvent> {
        guard('support-chat');
        const turn = { ...sampleTurn(req.text), sessionId: req.sessionId };
        yield { type: 'chunk', chunk: { index: 0, text: 'You said: ' } };
        yield { type: 'chunk', chunk: { index: 1, text: req.text } };
        yield { type: 'final', turn };
      },
      async feedback(f) {
        guard('support-chat');
        feedback.push(f);
      },
    },
    sentiment: {
      async *streamAlerts(_filter, _token, signal): AsyncGenerator<AlertStreamMessage> {
        guard('sentiment-monitor');
        const queue: AlertStreamMessage[] = [];
        let wake: (() => void) | undefined;
        const push = (m: AlertStreamMessage) => {
          queue.push(m);
          wake?.();
        };
        subscribers.add(push);
        try {
          while (!signal.aborted) {
            const next = queue.shift();
            if (next) {
              yield next;
              continue;
            }
            await new Promise<void>((r) => {
              wake = r;
              signal.addEventListener('abort', () => r(), { once: true });
            });
          }
        } finally {
          subscribers.delete(push);
        }
      },
      async entityWindow(entity) {
        guard('sentiment-monitor');
        return { at: '2026-01-01T12:00:00.000Z', negativeShare: entity.length % 2 === 0 ? 0.5 : 0.25, total: 4, source: 'window' };
      },
      async probeModel() {
        guard('sentiment-monitor');
        return { name: 'financial-sentiment', version: '1' };
      },
    },
    recommender: {
      async recommend(req) {
        guard('recommender');
        return ranking(req.userId, liked);
      },
      async rank(req) {
        guard('recommender');
        return ranking(req.userId, liked);
      },
      async recordFeedback(f) {
        guard('recommender');
        liked.add(f.itemId);
        return { recorded: true };
      },
    },
    health: {
      async check(service) {
        return down.has(service)
          ? { service, target: 'fake', up: false, detail: `${service} is unavailable: connect ECONNREFUSED` }
          : { service, target: 'fake', up: true, detail: 'SERVING' };
      },
    },
    close() {
      subscribers.clear();
    },
  };
}
