/** GET /api/alerts/stream (SSE `alert` events), /api/alerts/recent, /api/entities/:name/series. */
import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { AlertHub, AlertJson, ConsoleFacade, EntitySeriesJson } from '@tuneline/console';
import { openSse } from './sse-response';
import { FACADE, HUB, SSE_HEARTBEAT_MS } from './tokens';

@Controller('api')
export class AlertsController {
  constructor(
    @Inject(FACADE) private readonly facade: ConsoleFacade,
    @Inject(HUB) private readonly hub: AlertHub,
    @Inject(SSE_HEARTBEAT_MS) private readonly heartbeatMs: number,
  ) {}

  /**
   * Live alerts matching the filter. 503 naming sentiment-monitor when it is down (an
   * EventSource then fails and the page shows the error); once open, an `unavailable` event
   * says the upstream broke and `ready` that it is back (the hub reconnects by itself).
   */
  @Get('alerts/stream')
  async stream(@Query() query: unknown, @Res({ passthrough: false }) res: Response): Promise<void> {
    const filter = this.facade.alertFilter(query);
    await this.facade.ensureAlertsUp();
    const sse = openSse(res, this.heartbeatMs);
    // Left while the hub came up: nothing to subscribe (an abort listener added now would never fire).
    if (sse.signal.aborted) return;
    sse.send('ready', this.hub.state());
    const offAlerts = this.hub.subscribe(filter, (alert) => sse.send('alert', alert, alert.alertId));
    const offState = this.hub.subscribeState((state) => sse.send(state.up ? 'ready' : 'unavailable', state));
    sse.signal.addEventListener('abort', () => {
      offAlerts();
      offState();
    });
  }

  @Get('alerts/recent')
  recent(@Query() query: unknown): AlertJson[] {
    return this.facade.recentAlerts(query);
  }

  @Get('entities/:name/series')
  series(@Param('name') name: string): Promise<EntitySeriesJson> {
    return this.facade.series(name);
  }
}
