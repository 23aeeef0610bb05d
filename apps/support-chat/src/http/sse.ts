/** Server-Sent Events on an Express response, and the abort signal of a client that goes away. */
import type { Response } from 'express';
import { PlatformError } from '@tuneline/platform';

export interface SseEvent {
  readonly event: string;
  readonly data: unknown;
}

export function sseEvent(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

type SseResponse = Pick<Response, 'write' | 'end' | 'destroyed' | 'writableEnded' | 'once' | 'off'>;

/**
 * Aborts (reason CANCELLED) when the response's connection closes before the response
 * finished: the client went away. A finished response never aborts it.
 */
export function clientGoneSignal(res: Pick<Response, 'once' | 'writableFinished'>): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort(new PlatformError('Cancelled by the client', 'CANCELLED'));
  });
  return controller.signal;
}

/**
 * Writes the events in order, the last one with `end`. Honours backpressure (waits for
 * 'drain') and stops as soon as the client has gone (the response closed or was destroyed).
 * Resolves true when everything was written.
 */
export async function writeSse(res: SseResponse, events: readonly SseEvent[]): Promise<boolean> {
  for (const [i, { event, data }] of events.entries()) {
    if (res.destroyed || res.writableEnded) return false;
    const text = sseEvent(event, data);
    if (i === events.length - 1) {
      res.end(text);
      return true;
    }
    if (!res.write(text)) {
      const gone = await drainedOrClosed(res);
      if (gone) return false;
    }
  }
  if (!res.destroyed && !res.writableEnded) res.end();
  return true;
}

/** Waits for 'drain' or 'close'; true when the response closed. */
function drainedOrClosed(res: SseResponse): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const settle = (closed: boolean) => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(closed);
    };
    const onDrain = () => settle(false);
    const onClose = () => settle(true);
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
}
