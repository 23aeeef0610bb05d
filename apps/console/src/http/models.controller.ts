/** GET /api/models, /api/models/stream (SSE `published` events), /api/status. */
import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { ConsoleFacade, ModelsJson, ModelsTracker, StatusJson } from '@tuneline/console';
import { openSse } from './sse-response';
import { FACADE, MODELS, SSE_HEARTBEAT_MS } from './tokens';

@Controller('api')
export class ModelsController {
  constructor(
    @Inject(FACADE) private readonly facade: ConsoleFacade,
    @Inject(MODELS) private readonly models: ModelsTracker,
    @Inject(SSE_HEARTBEAT_MS) private readonly heartbeatMs: number,
  ) {}

  @Get('models')
  view(): Promise<ModelsJson> {
    return this.facade.modelsView();
  }

  @Get('models/stream')
  stream(@Res({ passthrough: false }) res: Response): void {
    const sse = openSse(res, this.heartbeatMs);
    if (sse.signal.aborted) return;
    const off = this.models.subscribe((event) => sse.send('published', event, `${event.model}@${event.version}`));
    sse.signal.addEventListener('abort', off);
  }

  @Get('status')
  status(): Promise<StatusJson> {
    return this.facade.status();
  }
}
