/**
 * Everything the console's HTTP routes do, transport-free: check the input (400 naming the
 * field), call the service through its port (errors already name it), remember the model each
 * answer reports, and assemble the status and models views. The Nest controllers only move
 * bytes.
 */
import { UnavailableError } from '@tuneline/platform';
import type { AlertHub } from './alert-hub';
import type { ChatStreamEvent, ConsoleBackends } from './backends';
import type { ModelsTracker } from './models-tracker';
import {
  alertFilterSchema,
  chatFeedbackSchema,
  chatRequestSchema,
  entityNameSchema,
  itemFeedbackSchema,
  parseInput,
  rankRequestSchema,
  recommendRequestSchema,
  type AlertFilter,
  type ChatRequest,
} from './requests';
import { SERVICE_NAMES, type AlertJson, type ChatTurnJson, type EntitySeriesJson, type ModelsJson, type RankingJson, type ServedModelJson, type StatusJson } from './types';

export class ConsoleFacade {
  constructor(
    private readonly backends: ConsoleBackends,
    private readonly hub: AlertHub,
    private readonly models: ModelsTracker,
  ) {}

  async chat(body: unknown): Promise<ChatTurnJson> {
    const turn = await this.backends.chat.chat(parseInput(chatRequestSchema, body));
    this.models.observe('support-chat', turn.model);
    return turn;
  }

  /** Checked before any byte of the stream is written, so bad input is a plain 400. */
  parseChat(body: unknown): ChatRequest {
    return parseInput(chatRequestSchema, body);
  }

  async *streamChat(req: ChatRequest, signal: AbortSignal): AsyncGenerator<ChatStreamEvent> {
    for await (const event of this.backends.chat.streamChat(req, signal)) {
      if (event.type === 'final') this.models.observe('support-chat', event.turn.model);
      yield event;
    }
  }

  async chatFeedback(body: unknown): Promise<{ ok: true }> {
    await this.backends.chat.feedback(parseInput(chatFeedbackSchema, body));
    return { ok: true };
  }

  async recommend(body: unknown): Promise<RankingJson> {
    const ranking = await this.backends.recommender.recommend(parseInput(recommendRequestSchema, body));
    this.models.observe('recommender', ranking.model);
    return ranking;
  }

  async rank(body: unknown): Promise<RankingJson> {
    const ranking = await this.backends.recommender.rank(parseInput(rankRequestSchema, body));
    this.models.observe('recommender', ranking.model);
    return ranking;
  }

  async itemFeedback(body: unknown): Promise<{ recorded: boolean }> {
    return this.backends.recommender.recordFeedback(parseInput(itemFeedbackSchema, body));
  }

  alertFilter(query: unknown): AlertFilter {
    return parseInput(alertFilterSchema, query ?? {}, 'query');
  }

  /**
   * Before an alert stream opens: the hub's upstream must be open and the service must say
   * SERVING, else a 503 naming sentiment-monitor (an EventSource then shows the error state).
   */
  async ensureAlertsUp(): Promise<void> {
    const health = await this.backends.health.check('sentiment-monitor');
    if (!health.up) throw new UnavailableError(health.detail.startsWith('sentiment-monitor') ? health.detail : `sentiment-monitor is not serving: ${health.detail}`);
    const state = this.hub.state();
    if (!state.up) throw new UnavailableError(state.detail.startsWith('sentiment-monitor') ? state.detail : `sentiment-monitor is unavailable: ${state.detail}`);
  }

  recentAlerts(query: unknown): AlertJson[] {
    return this.hub.recentAlerts(this.alertFilter(query));
  }

  /** The entity's points; the current window is asked for first (a 503 when the service is down). */
  async series(name: unknown): Promise<EntitySeriesJson> {
    const entity = parseInput(entityNameSchema, name, 'entity');
    const now = await this.backends.sentiment.entityWindow(entity);
    if (now) this.hub.series.add(entity, now);
    return { entity, points: this.hub.series.points(entity) };
  }

  async status(): Promise<StatusJson> {
    return { services: await Promise.all(SERVICE_NAMES.map((s) => this.backends.health.check(s))) };
  }

  /**
   * Served versions: a probe where the service has a harmless call (sentiment ScoreTexts of
   * one text, recommender Recommend k=1 for a probe user), else the version of the latest
   * answer through the console (support-chat: a probe chat turn would open a session).
   */
  async modelsView(): Promise<ModelsJson> {
    const status = await this.status();
    const up = new Map(status.services.map((s) => [s.service, s]));
    const probes: Record<string, () => Promise<unknown>> = {
      'sentiment-monitor': async () => this.models.observe('sentiment-monitor', await this.backends.sentiment.probeModel()),
      recommender: async () => this.models.observe('recommender', (await this.backends.recommender.recommend({ userId: 'console-probe', k: 1 })).model),
    };
    await Promise.all(
      SERVICE_NAMES.filter((s) => up.get(s)?.up && probes[s]).map((s) => (probes[s] as () => Promise<unknown>)().catch(() => undefined)),
    );
    const served: ServedModelJson[] = SERVICE_NAMES.map((service) => {
      const state = up.get(service);
      const model = this.models.servedBy(service);
      const isUp = state?.up ?? false;
      if (!isUp) return { service, up: false, ...(model ? { model } : {}), detail: `${service} is down: ${state?.detail ?? 'unknown'}` };
      return model ? { service, up: true, model } : { service, up: true, detail: 'version shown after its first answer through the console' };
    });
    return { served, published: this.models.published() };
  }
}
