/**
 * An Express response as a server-sent events stream: headers that stop proxies buffering,
 * keep-alive comments, and one close hook whether the browser left or the server ended it.
 */
import type { Response } from 'express';
import { sseComment, sseFrame } from '@tuneline/console';

export interface SseStream {
  send(event: string, data: unknown, id?: string): void;
  end(): void;
  /** Aborted when the client disconnects or end() is called. */
  readonly signal: AbortSignal;
}

/**
 * Watches the response, not the request: on Node 20 a request whose body was already read
 * (every POST here) has emitted 'close' before the handler runs, so a listener on it never
 * fires when the browser leaves, and one added after an await misses an earlier leave too.
 */
export function openSse(res: Response, heartbeatMs: number): SseStream {
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
  res.on('close', close);
  // The browser may have left while the handler awaited (e.g. the alert hub coming up).
  if (res.destroyed) close();
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
