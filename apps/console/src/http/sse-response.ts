/**
 * An Express response as a server-sent events stream: headers that stop proxies buffering,
 * keep-alive comments, and one close hook whether the browser left or the server ended it.
 */
import type { Request, Response } from 'express';
import { sseComment, sseFrame } from '@tuneline/console';

export interface SseStream {
  send(event: string, data: unknown, id?: string): void;
  end(): void;
  /** Aborted when the client disconnects or end() is called. */
  readonly signal: AbortSignal;
}

export function openSse(req: Request, res: Response, heartbeatMs: number): SseStream {
  const abort = new AbortController();
  res.status(200);
  res.setHeader('content-type', 'text/event-stream; charset=utf-8');
  res.setHeader('cache-control', 'no-cache, no-transform');
  res.setHeader('x-accel-buffering', 'no');
  res.setHeader('connection', 'keep-alive');
  res.flushHeaders();
  const heartbeat = setInterval(() => res.write(sseComment()), heartbeatMs);
  heartbeat.unref();
  const close = () => {
    clearInterval(heartbeat);
    abort.abort();
  };
  req.on('close', close);
  return {
    signal: abort.signal,
    send(event, data, id) {
      if (!abort.signal.aborted) res.write(sseFrame(event, data, id));
    },
    end() {
      close();
      if (!res.writableEnded) res.end();
    },
  };
}
