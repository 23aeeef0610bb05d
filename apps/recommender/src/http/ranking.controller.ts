/**
 * POST /v1/rank, /v1/recommend and /v1/feedback: JSON in, JSON out, through the shared
 * RecommenderService. A client that disconnects before the answer aborts the call's signal:
 * a call not yet started is not started; a running one finishes unanswered.
 */
import { Body, Controller, HttpCode, Inject, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { PlatformError } from '@tuneline/platform';
import type { RecommenderService } from '../ranking/recommender.service';
import type { FeedbackAnswer, RankAnswer, RecommendAnswer } from '../ranking/types';
import { feedbackCallOf, rankCallOf, recommendCallOf } from './request-bodies';
import { RECOMMENDER_SERVICE } from './tokens';

/** Aborted (reason CANCELLED) when the client goes away before the response is finished. */
export function clientGoneSignal(res: Pick<Response, 'once' | 'writableFinished'>): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort(new PlatformError('Cancelled by the client', 'CANCELLED'));
  });
  return controller.signal;
}

@Controller('v1')
export class RankingController {
  constructor(@Inject(RECOMMENDER_SERVICE) private readonly service: RecommenderService) {}

  @Post('rank')
  @HttpCode(200)
  async rank(@Body() body: unknown, @Res({ passthrough: true }) res: Response): Promise<RankAnswer> {
    return this.service.rank({ ...rankCallOf(body, this.service.limits), signal: clientGoneSignal(res) });
  }

  @Post('recommend')
  @HttpCode(200)
  async recommend(@Body() body: unknown, @Res({ passthrough: true }) res: Response): Promise<RecommendAnswer> {
    return this.service.recommend({ ...recommendCallOf(body), signal: clientGoneSignal(res) });
  }

  @Post('feedback')
  @HttpCode(200)
  async feedback(@Body() body: unknown): Promise<FeedbackAnswer> {
    return this.service.recordFeedback(feedbackCallOf(body));
  }
}
