/**
 * GET /v1/alerts/stream: the alert stream as Server-Sent Events, for browsers and dashboards.
 * Filters and resume as alert-stream-query.ts; a bad filter or resume token is a 400 with the
 * platform's JSON error body, before any event. Then:
 * - `: subscribed` (a comment) once the subscription is in place;
 * - per alert `id: <resume token>`, `event: alert`, `data: <the sentiment.alerts record>`;
 *   a browser's EventSource resends the last id as Last-Event-ID when it reconnects;
 * - `event: gap` before the first alert when alerts after the resume point are no longer held;
 * - `: heartbeat` comments after SENTIMENT_SSE_HEARTBEAT_MS without an event;
 * - `event: end` with `{code, message}` when the server ends the stream (it fell too far
 *   behind, or the server is shutting down): reconnect with the last id.
 */
import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { describeError } from '@tuneline/platform';
import type { AlertHub } from '@tuneline/sentiment';
import { streamAlerts } from '../serving/alert-stream';
import type { StoredAlert } from '../serving/stored-alert';
import { alertStreamQueryOf } from './alert-stream-query';
import { SseStream } from './sse';
import { ALERT_STREAM_DEPS } from './tokens';

export interface AlertStreamDeps {
  readonly hub: Pick<AlertHub<StoredAlert>, 'subscribe'>;
  readonly heartbeatMs: number;
}

@Controller('v1/alerts')
export class AlertsController {
  constructor(@Inject(ALERT_STREAM_DEPS) private readonly deps: AlertStreamDeps) {}

  @Get('stream')
  async stream(@Req() req: Request, @Res() res: Response): Promise<void> {
    const query = await alertStreamQueryOf(new URL(req.originalUrl, 'http://localhost').searchParams, req.header('last-event-id'));
    const gone = new AbortController();
    res.once('close', () => gone.abort());
    let sse: SseStream | undefined;
    const open = (): SseStream => {
      res.status(200);
      res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
      res.setHeader('Cache-Control', 'no-cache');
      res.setHeader('X-Accel-Buffering', 'no');
      res.flushHeaders();
      const stream = new SseStream(res, { heartbeatMs: this.deps.heartbeatMs });
      void stream.comment('subscribed');
      return stream;
    };
    try {
      await streamAlerts({
        hub: this.deps.hub,
        filter: query.filter,
        ...(query.resumeToken ? { resumeToken: query.resumeToken } : {}),
        signal: gone.signal,
        onSubscribed: () => {
          sse = open();
        },
        deliver: async (d) => {
          const stream = sse as SseStream;
          if (d.gap) await stream.send({ event: 'gap', data: { message: 'alerts after the resume point are no longer held; some were missed' } });
          await stream.send({ id: d.resumeToken, event: 'alert', data: d.alert });
        },
      });
    } catch (err) {
      // Before the stream started: the platform's error filter answers with status and JSON.
      if (!sse) throw err;
      const { code, message } = describeError(err);
      await sse.send({ event: 'end', data: { code, message } });
    } finally {
      sse?.end();
    }
  }
}
