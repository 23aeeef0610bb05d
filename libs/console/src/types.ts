/**
 * The JSON the console's BFF answers with, shared by the BFF (libs/console, apps/console) and
 * the SPA (apps/console/web, type-only imports): one definition, so the two cannot drift.
 * No runtime code here: the browser bundle imports it for types only.
 */

/** The three services the console calls, by the names their errors and /api/status use. */
export type ServiceName = 'support-chat' | 'sentiment-monitor' | 'recommender';
export const SERVICE_NAMES: readonly ServiceName[] = ['support-chat', 'sentiment-monitor', 'recommender'];

export interface ModelRefJson {
  name: string;
  version: string;
}

export interface CitedPassageJson {
  passageId: string;
  title: string;
  text: string;
  score: number;
}

/** One chat turn (POST /api/chat, and the `final` event of /api/chat/stream). */
export interface ChatTurnJson {
  sessionId: string;
  /**
   * Identifies this answer for feedback: the request id the console sent support-chat with the
   * turn (x-request-id), which its Feedback call requires. Set by the BFF's route.
   */
  turnId?: string;
  reply: string;
  intent: string;
  confidence: number;
  handoff: boolean;
  citations: CitedPassageJson[];
  topIntents: { label: string; score: number }[];
  model?: ModelRefJson;
}

/** A piece of a streamed reply (`chunk` events of /api/chat/stream). */
export interface ChatChunkJson {
  index: number;
  text: string;
}

export type AlertSeverityName = 'warning' | 'critical' | 'unspecified';

export interface AlertJson {
  alertId: string;
  entity: string;
  topic: string;
  kind: 'entity' | 'topic' | 'unspecified';
  rule: 'negative_share' | 'negative_volume' | 'unspecified';
  severity: AlertSeverityName;
  windowStart?: string;
  windowEnd?: string;
  raisedAt?: string;
  totalCount: number;
  negativeCount: number;
  negativeShare: number;
  baselineNegativeShare: number;
  zScore: number;
  headlines: { id: string; title: string; negativeProbability: number }[];
  model?: ModelRefJson;
}

/** One point of an entity's negative share over time (GET /api/entities/:name/series). */
export interface SeriesPointJson {
  /** End of the window, ISO time. */
  at: string;
  negativeShare: number;
  total: number;
  source: 'alert' | 'window';
}

export interface EntitySeriesJson {
  entity: string;
  points: SeriesPointJson[];
}

export interface RankedItemJson {
  itemId: string;
  title: string;
  score: number;
  rank: number;
  reasons: { name: string; value: number }[];
}

export interface RankingJson {
  userId: string;
  items: RankedItemJson[];
  coldStart: boolean;
  rules: { rule: string; explanation: string; affected: number }[];
  model?: ModelRefJson;
}

export interface ServiceStatusJson {
  service: ServiceName;
  target: string;
  up: boolean;
  /** SERVING / NOT_SERVING / the transport error when it could not be reached. */
  detail: string;
}

export interface StatusJson {
  services: ServiceStatusJson[];
}

/** A model.published event as the Models view shows it. */
export interface PublishedModelJson {
  model: string;
  version: string;
  task: string;
  publishedAt: string;
  metrics: Record<string, number>;
}

export interface ServedModelJson {
  service: ServiceName;
  up: boolean;
  /** The version the service answered with (from its last response or a probe); absent when unknown. */
  model?: ModelRefJson;
  /** Why no version is known (the service is down, or has not said). */
  detail?: string;
}

export interface ModelsJson {
  served: ServedModelJson[];
  /** Latest model.published per model, newest first. */
  published: PublishedModelJson[];
}

/** The error body every /api route answers with (libs/platform's HttpErrorFilter shape). */
export interface ErrorBodyJson {
  error: { code: string; message: string; retriable: boolean; requestId?: string };
}
