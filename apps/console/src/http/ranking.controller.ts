/** POST /api/recommend, /api/rank, /api/feedback/item. */
import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import type { ConsoleFacade, RankingJson } from '@tuneline/console';
import { FACADE } from './tokens';

@Controller('api')
export class RankingController {
  constructor(@Inject(FACADE) private readonly facade: ConsoleFacade) {}

  @Post('recommend')
  @HttpCode(200)
  recommend(@Body() body: unknown): Promise<RankingJson> {
    return this.facade.recommend(body);
  }

  @Post('rank')
  @HttpCode(200)
  rank(@Body() body: unknown): Promise<RankingJson> {
    return this.facade.rank(body);
  }

  @Post('feedback/item')
  @HttpCode(200)
  feedback(@Body() body: unknown): Promise<{ recorded: boolean }> {
    return this.facade.itemFeedback(body);
  }
}
