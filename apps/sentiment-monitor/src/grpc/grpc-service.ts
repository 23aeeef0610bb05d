/**
 * tuneline.sentiment.v1.SentimentService: ScoreTexts on the served model, StreamAlerts from
 * this replica's AlertHub (filters and resume tokens shared with the SSE endpoint), and
 * GetEntitySentiment from its EntitySentimentView. Errors are mapped by the platform's
 * wrappers from their codes (serving-errors.ts turns the hub's and the view's into them).
 */
import { ValidationError, type GrpcServer } from '@tuneline/platform';
import { sentimentV1 } from '@tuneline/proto';
import { parseAlertFilter, type AlertHub, type EntitySentimentView } from '@tuneline/sentiment';
import { scoreTexts, type ScoreTextsDeps } from '../scoring/score-texts';
import { streamAlerts } from '../serving/alert-stream';
import { withPlatformErrors } from '../serving/serving-errors';
import type { StoredAlert } from '../serving/stored-alert';
import { entitySentimentResponseOf, severityFilterOf, streamAlertsResponseOf, textScoreOf } from './proto-mapping';

/** news.raw and sentiment.scored allow entity names of up to 200 characters. */
const MAX_ENTITY_CHARS = 200;

export interface SentimentGrpcDeps {
  readonly scoring: ScoreTextsDeps;
  readonly hub: Pick<AlertHub<StoredAlert>, 'subscribe'>;
  readonly view: Pick<EntitySentimentView, 'query'>;
  /** Wall clock for GetEntitySentiment's "ending now" (a seam for tests). */
  readonly now?: () => number;
  /** Health components ScoreTexts and the others need to be SERVING (default all required ones). */
  readonly healthComponents?: readonly string[];
}

export function addSentimentGrpcService(grpc: GrpcServer, deps: SentimentGrpcDeps): void {
  const now = deps.now ?? Date.now;
  grpc.addService(
    sentimentV1.SentimentServiceService,
    {
      scoreTexts: grpc.wrapUnary<sentimentV1.ScoreTextsRequest, sentimentV1.ScoreTextsResponse>(async (req, ctx) => {
        const scored = await scoreTexts(req.texts, deps.scoring, ctx.signal);
        return { results: scored.results.map(textScoreOf), model: scored.model };
      }),
      streamAlerts: grpc.wrapServerStream<sentimentV1.StreamAlertsRequest, sentimentV1.StreamAlertsResponse>(async (req, send, ctx) => {
        const filter = await withPlatformErrors(() =>
          parseAlertFilter({ entities: req.entities, topics: req.topics, minSeverity: severityFilterOf(req.minSeverity), minZScore: req.minZScore }),
        );
        await streamAlerts({
          hub: deps.hub,
          filter,
          ...(req.resumeToken ? { resumeToken: req.resumeToken } : {}),
          signal: ctx.signal,
          deliver: (delivery) => send(streamAlertsResponseOf(delivery)),
        });
      }),
      getEntitySentiment: grpc.wrapUnary<sentimentV1.GetEntitySentimentRequest, sentimentV1.GetEntitySentimentResponse>(async (req) => {
        if (req.entity.length === 0 || req.entity.length > MAX_ENTITY_CHARS) {
          throw new ValidationError(`entity must be 1 to ${MAX_ENTITY_CHARS} characters`, { field: 'entity' });
        }
        const result = await withPlatformErrors(() => deps.view.query(req.entity, req.windowSeconds, now()));
        return entitySentimentResponseOf(result);
      }),
    },
    deps.healthComponents ? { healthComponents: deps.healthComponents } : {},
  );
}
