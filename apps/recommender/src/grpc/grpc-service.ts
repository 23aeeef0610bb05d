/**
 * tuneline.recommend.v1.RecommenderService over the shared RecommenderService: the
 * implementation only maps generated messages (proto-mapping.ts). Errors are mapped by the
 * platform's wrappers (INVALID_ARGUMENT, RESOURCE_EXHAUSTED, UNAVAILABLE, ...); calls get the
 * call's `ctx.signal`: a call already cancelled or past its deadline is not started; one
 * running when that happens finishes its work (the ranking is not interruptible), unanswered.
 */
import type { GrpcServer } from '@tuneline/platform';
import { recommendV1 } from '@tuneline/proto';
import type { RecommenderService } from '../ranking/recommender.service';
import { feedbackCallOf, rankCallOf, rankResponseOf, recommendCallOf, recommendResponseOf } from './proto-mapping';

export function addRecommenderGrpcService(grpc: GrpcServer, service: RecommenderService): void {
  grpc.addService(recommendV1.RecommenderServiceService, {
    rank: grpc.wrapUnary<recommendV1.RankRequest, recommendV1.RankResponse>(async (req, ctx) => rankResponseOf(await service.rank(rankCallOf(req, ctx.signal)))),
    recommend: grpc.wrapUnary<recommendV1.RecommendRequest, recommendV1.RecommendResponse>(async (req, ctx) =>
      recommendResponseOf(await service.recommend(recommendCallOf(req, ctx.signal))),
    ),
    recordFeedback: grpc.wrapUnary<recommendV1.RecordFeedbackRequest, recommendV1.RecordFeedbackResponse>(async (req) => service.recordFeedback(feedbackCallOf(req))),
  });
}
