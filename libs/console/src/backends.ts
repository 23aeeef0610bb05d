/**
 * What the BFF needs from the three services, transport-free: the controllers and the hubs
 * depend on these ports, the gRPC adapters (grpc-backends.ts) implement them, and the unit
 * specs use fakes. Every method's failure is already a PlatformError naming the service.
 */
import type { AlertFilter, ChatFeedback, ChatRequest, ItemFeedback, RankRequest, RecommendRequest } from './requests';
import type { AlertJson, ChatChunkJson, ChatTurnJson, ModelRefJson, RankingJson, SeriesPointJson, ServiceName, ServiceStatusJson } from './types';

export type ChatStreamEvent = { type: 'chunk'; chunk: ChatChunkJson } | { type: 'final'; turn: ChatTurnJson };

export interface ChatBackend {
  chat(req: ChatRequest): Promise<ChatTurnJson>;
  /** Chunks then one final; stops (and cancels the call) when `signal` aborts. */
  streamChat(req: ChatRequest, signal: AbortSignal): AsyncIterable<ChatStreamEvent>;
  feedback(feedback: ChatFeedback): Promise<void>;
}

export interface AlertStreamMessage {
  alert: AlertJson;
  resumeToken: string;
}

export interface SentimentBackend {
  /** Every alert raised from now on (or after `resumeToken`), until `signal` aborts or the stream fails. */
  streamAlerts(filter: AlertFilter, resumeToken: string | undefined, signal: AbortSignal): AsyncIterable<AlertStreamMessage>;
  /** The entity's window ending now, as a point of its series; undefined when the window is empty. */
  entityWindow(entity: string): Promise<SeriesPointJson | undefined>;
  /** The sentiment model a harmless one-text ScoreTexts call reports. */
  probeModel(): Promise<ModelRefJson | undefined>;
}

export interface RecommenderBackend {
  recommend(req: RecommendRequest): Promise<RankingJson>;
  rank(req: RankRequest): Promise<RankingJson>;
  recordFeedback(feedback: ItemFeedback): Promise<{ recorded: boolean }>;
}

export interface HealthBackend {
  check(service: ServiceName): Promise<ServiceStatusJson>;
}

export interface ConsoleBackends {
  readonly chat: ChatBackend;
  readonly sentiment: SentimentBackend;
  readonly recommender: RecommenderBackend;
  readonly health: HealthBackend;
  close(): void;
}
