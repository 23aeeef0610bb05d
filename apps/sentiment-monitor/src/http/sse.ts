/**
 * A long-lived Server-Sent Events stream on an Express response: frames with an `id:` (the
 * resume token a browser's EventSource sends back as Last-Event-ID), heartbeat comments that
 * keep proxies from closing an idle stream, backpressure, and the abort signal of a client
 * that goes away.
 *
 * apps/support-chat/src/http/sse.ts writes a finite list of events (one chat turn) and ends
 * the response; this one stays open. Both frame events the same way; a shared helper would
 * belong in libs/platform's http.
 */
import type { Response } from 'express';

export interface SseFrame {
  readonly event: string;
  readonly data: unknown;
  /** Sent as `id:`; a browser resends the last one as Last-Event-ID when it reconnects. */
  readonly id?: string;
}

/** One event in wire format. `id` and `event` must be one line each (no CR/LF). */
export function sseFrame({ event, data, id }: SseFrame): string {
  if (/[\r\n]/.test(event)) throw new TypeError('event: must not contain a line break');
  if (id !== undefined && /[\r\n\0]/.test(id)) throw new TypeError('id: must not contain a line break or NUL');
  return `${id !== undefined ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** A comment line: ignored by EventSource, keeps the connection busy. */
export function sseComment(text: string): string {
  return `: ${text.replace(/[\r\n]+/g, ' ')}\n\n`;
}

type StreamResponse = Pick<Response, 'write' | 'end' | 'destroyed' | 'writableEnded' | 'once' | 'off'>;

export interface SseStreamOptions {
  /** A heartbeat comment after this long without a write; 0 = none. */
  readonly heartbeatMs: number;
}

/**
 * Writes frames in order and heartbeats in between; `closed` aborts when the client goes
 * away (the response closed or was destroyed) or when `end()` is called.
 */
export class SseStream {
  private readonly controller = new AbortController();
  private heartbeat: NodeJS.Timeout | undefined;
  private chain: Promise<boolean> = Promise.resolve(true);

  constructor(
    private readonly res: StreamResponse,
    private readonly options: SseStreamOptions,
  ) {
    res.once('close', () => this.stop());
    this.armHeartbeat();
  }

  /** Aborted once the stream is over, whoever ended it. */
  get closed(): AbortSignal {
    return this.controller.signal;
  }

  /** Queues a frame; resolves true once written (after a drain when the buffer was full), false when the stream is over. */
  send(frame: SseFrame): Promise<boolean> {
    const text = sseFrame(frame);
    return this.enqueue(text);
  }

  /** Queues a comment line (e.g. to tell the client the subscription is in place). */
  comment(text: string): Promise<boolean> {
    return this.enqueue(sseComment(text));
  }

  /** Ends the response (a server shutdown or a stream that is done). */
  end(): void {
    if (!this.res.destroyed && !this.res.writableEnded) this.res.end();
    this.stop();
  }

  private enqueue(text: string): Promise<boolean> {
    this.chain = this.chain.then(() => this.write(text));
    return this.chain;
  }

  private async write(text: string): Promise<boolean> {
    if (this.controller.signal.aborted || this.res.destroyed || this.res.writableEnded) return false;
    this.armHeartbeat();
    if (this.res.write(text)) return true;
    return !(await this.drainedOrClosed());
  }

  private armHeartbeat(): void {
    if (this.heartbeat) clearTimeout(this.heartbeat);
    if (this.options.heartbeatMs <= 0 || this.controller.signal.aborted) return;
    this.heartbeat = setTimeout(() => void this.enqueue(sseComment('heartbeat')), this.options.heartbeatMs);
    this.heartbeat.unref();
  }

  private stop(): void {
    if (this.heartbeat) clearTimeout(this.heartbeat);
    this.heartbeat = undefined;
    if (!this.controller.signal.aborted) this.controller.abort();
  }

  /** Waits for 'drain' or 'close'; true when the response closed (or the stream ended meanwhile). */
  private drainedOrClosed(): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const settle = (closed: boolean) => {
        this.res.off('drain', onDrain);
        this.res.off('close', onClose);
        this.controller.signal.removeEventListener('abort', onClose);
        resolve(closed);
      };
      const onDrain = () => settle(false);
      const onClose = () => settle(true);
      this.res.once('drain', onDrain);
      this.res.once('close', onClose);
      this.controller.signal.addEventListener('abort', onClose, { once: true });
    });
  }
}
