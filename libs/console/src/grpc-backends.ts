/**
 * The ports of backends.ts over the services' gRPC APIs (generated clients from libs/proto,
 * built with libs/platform's createGrpcClient: request ids and credentials travel along).
 * Unary calls carry a deadline; streams are cancelled when the browser goes away.
 */
import { Metadata, type CallOptions, type Client, type ClientReadableStream, type ServiceError } from '@grpc/grpc-js';
import { createGrpcClient, type GrpcClientOptions } from '@tuneline/platform';
import { healthV1, recommendV1, sentimentV1, supportV1 } from '@tuneline/proto';
import { backendError } from './backend-errors';
import type { AlertStreamMessage, ChatStreamEvent, ConsoleBackends, SentimentBackend } from './backends';
import { alertOf, chatTurnOf, FEEDBACK_TYPES, modelRefOf, rankingOf, severityOf } from './mapping';
import type { ServiceName, ServiceStatusJson } from './types';

export interface GrpcTargets {
  readonly 'support-chat': string;
  readonly 'sentiment-monitor': string;
  readonly recommender: string;
}

export interface GrpcBackendsOptions {
  readonly targets: GrpcTargets;
  /** Deadline of each unary call. */
  readonly deadlineMs: number;
  /** Deadline of a health check (short: /api/status must answer even when a service hangs). */
  readonly healthDeadlineMs?: number;
  readonly client?: GrpcClientOptions;
}

/** The window of each sparkline point: one of the sentiment monitor's kept windows (300, 900, 3600, 86400 s). */
export const SERIES_WINDOW_SECONDS = 900;

type Callback<T> = (err: ServiceError | null, res?: T) => void;

/** Promise form of a generated unary method, with the deadline and the service's error mapping. */
function unary<Req, Res>(
  service: ServiceName,
  deadlineMs: number,
  method: (req: Req, metadata: Metadata, options: Partial<CallOptions>, cb: Callback<Res>) => unknown,
  req: Req,
): Promise<Res> {
  return new Promise<Res>((resolve, reject) => {
    method(req, new Metadata(), { deadline: Date.now() + deadlineMs }, (err, res) => {
      if (err) reject(backendError(service, err));
      else if (res === undefined) reject(backendError(service, new Error('empty response')));
      else resolve(res);
    });
  });
}

/** A server stream as an async iterable; aborting cancels the call, errors name the service. */
async function* streamOf<T>(service: ServiceName, call: ClientReadableStream<T>, signal: AbortSignal): AsyncGenerator<T> {
  const cancel = () => call.cancel();
  if (signal.aborted) cancel();
  signal.addEventListener('abort', cancel, { once: true });
  try {
    for await (const message of call as AsyncIterable<T>) yield message;
  } catch (err) {
    if (signal.aborted) return;
    throw backendError(service, err);
  } finally {
    signal.removeEventListener('abort', cancel);
    call.cancel();
  }
}

/**
 * A BFF's backends restart (npm start brings them up beside it; Kubernetes rolls them). grpc-js
 * backs a failed channel off up to 120 s by default, and a call in that window fails at once
 * ("No connection established"), so the console would show a live service as down for minutes.
 */
export const BACKEND_CHANNEL_OPTIONS = {
  'grpc.initial_reconnect_backoff_ms': 500,
  'grpc.max_reconnect_backoff_ms': 3_000,
} as const;

export function createGrpcBackends(options: GrpcBackendsOptions): ConsoleBackends {
  const { targets, deadlineMs } = options;
  const client = { ...options.client, channelOptions: { ...BACKEND_CHANNEL_OPTIONS, ...options.client?.channelOptions } };
  const healthDeadlineMs = options.healthDeadlineMs ?? Math.min(deadlineMs, 2_000);
  const support = createGrpcClient(supportV1.SupportChatServiceClient, targets['support-chat'], client);
  const sentiment = createGrpcClient(sentimentV1.SentimentServiceClient, targets['sentiment-monitor'], client);
  const recommender = createGrpcClient(recommendV1.RecommenderServiceClient, targets.recommender, client);
  const health: Record<ServiceName, healthV1.HealthClient> = {
    'support-chat': createGrpcClient(healthV1.HealthClient, targets['support-chat'], client),
    'sentiment-monitor': createGrpcClient(healthV1.HealthClient, targets['sentiment-monitor'], client),
    recommender: createGrpcClient(healthV1.HealthClient, targets.recommender, client),
  };
  const clients: Client[] = [support, sentiment, recommender, ...Object.values(health)];

  const sentimentBackend: SentimentBackend = {
    async *streamAlerts(filter, resumeToken, signal): AsyncGenerator<AlertStreamMessage> {
      const call = sentiment.streamAlerts({
        entities: filter.entity,
        topics: filter.topic,
        minZScore: 0,
        minSeverity: severityOf(filter.severity),
        resumeToken: resumeToken ?? '',
      });
      for await (const res of streamOf('sentiment-monitor', call, signal)) {
        if (res.alert) yield { alert: alertOf(res.alert), resumeToken: res.resumeToken };
      }
    },
    async entityWindow(entity) {
      const res = await unary('sentiment-monitor', deadlineMs, sentiment.getEntitySentiment.bind(sentiment), { entity, windowSeconds: SERIES_WINDOW_SECONDS });
      if (res.totalCount === 0) return undefined;
      return {
        at: (res.windowEnd ?? new Date()).toISOString(),
        negativeShare: res.negativeCount / res.totalCount,
        total: res.totalCount,
        source: 'window',
      };
    },
    async probeModel() {
      const res = await unary('sentiment-monitor', deadlineMs, sentiment.scoreTexts.bind(sentiment), { texts: [{ id: 'console-probe', text: 'Shares were unchanged.' }] });
      return modelRefOf(res.model);
    },
  };

  return {
    chat: {
      async chat(req) {
        return chatTurnOf(await unary('support-chat', deadlineMs, support.chat.bind(support), { sessionId: req.sessionId, text: req.text, locale: '' }));
      },
      async *streamChat(req, signal): AsyncGenerator<ChatStreamEvent> {
        const call = support.streamChat({ sessionId: req.sessionId, text: req.text, locale: '' }, { deadline: Date.now() + deadlineMs });
        for await (const res of streamOf('support-chat', call, signal)) {
          const event = res.event;
          if (event?.$case === 'chunk') yield { type: 'chunk', chunk: { index: event.value.index, text: event.value.text } };
          else if (event?.$case === 'final') yield { type: 'final', turn: chatTurnOf(event.value) };
        }
      },
      async feedback(f) {
        await unary('support-chat', deadlineMs, support.feedback.bind(support), {
          sessionId: f.sessionId,
          requestId: f.turnId,
          helpful: f.helpful,
          correctIntent: f.correctIntent ?? '',
          comment: '',
        });
      },
    },
    sentiment: sentimentBackend,
    recommender: {
      async recommend(req) {
        return rankingOf(req.userId, await unary('recommender', deadlineMs, recommender.recommend.bind(recommender), { userId: req.userId, k: req.k }));
      },
      async rank(req) {
        const candidates = req.itemIds.map((itemId) => ({ itemId, text: '', title: '', tags: [], genres: [] }));
        return rankingOf(req.userId, await unary('recommender', deadlineMs, recommender.rank.bind(recommender), { userId: req.userId, candidates, limit: req.k }));
      },
      async recordFeedback(f) {
        const res = await unary('recommender', deadlineMs, recommender.recordFeedback.bind(recommender), {
          userId: f.userId,
          itemId: f.itemId,
          type: FEEDBACK_TYPES[f.type],
          value: 0,
        });
        return { recorded: res.recorded };
      },
    },
    health: {
      async check(service): Promise<ServiceStatusJson> {
        const client = health[service];
        try {
          const res = await unary(service, healthDeadlineMs, client.check.bind(client), { service: '' });
          const serving = res.status === healthV1.HealthCheckResponse_ServingStatus.SERVING;
          return { service, target: targets[service], up: serving, detail: healthV1.HealthCheckResponse_ServingStatus[res.status] ?? String(res.status) };
        } catch (err) {
          return { service, target: targets[service], up: false, detail: err instanceof Error ? err.message : String(err) };
        }
      },
    },
    close() {
      for (const c of clients) c.close();
    },
  };
}
