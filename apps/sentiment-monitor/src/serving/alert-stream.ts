/**
 * One alert stream subscriber (a gRPC StreamAlerts call or an SSE response) on the AlertHub:
 * the hub hands deliveries over synchronously, the transport writes them one at a time with
 * its own backpressure; while the transport is behind, the hub holds the rest back (and
 * closes the stream when it falls too far behind). Resolves when the caller goes away
 * (`signal`), rejects with the reason the stream has to end otherwise.
 */
import { OverloadedError, UnavailableError } from '@tuneline/platform';
import type { AlertDelivery, AlertFilter, AlertHub, AlertSink, AlertSubscription, SentimentAlert } from '@tuneline/sentiment';
import { platformErrorOf } from './serving-errors';

/** Deliveries queued on the transport side before the hub is asked to hold back. */
export const STREAM_HIGH_WATER = 16;

export interface AlertStreamOptions<A extends SentimentAlert> {
  readonly hub: Pick<AlertHub<A>, 'subscribe'>;
  readonly filter: AlertFilter;
  readonly resumeToken?: string;
  /** Aborted when the caller goes away: the stream ends quietly. */
  readonly signal: AbortSignal;
  /** Writes one delivery (resolves once the transport accepted it); a rejection ends the stream with that error. */
  deliver(delivery: AlertDelivery<A>): Promise<void>;
  /** The subscription is in place (held alerts after the token may already be queued). */
  onSubscribed?(): void;
}

export function streamAlerts<A extends SentimentAlert>(o: AlertStreamOptions<A>): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const queue: AlertDelivery<A>[] = [];
    let subscription: AlertSubscription | undefined;
    let writing = false;
    let done = false;
    const onAbort = () => finish();
    function finish(err?: unknown): void {
      if (done) return;
      done = true;
      o.signal.removeEventListener('abort', onAbort);
      subscription?.close();
      if (err === undefined) resolve();
      else reject(err);
    }
    async function pump(): Promise<void> {
      if (writing || done) return;
      writing = true;
      try {
        while (queue.length > 0 && !done) await o.deliver(queue.shift() as AlertDelivery<A>);
      } catch (err) {
        return finish(err);
      } finally {
        writing = false;
      }
      // Caught up: the hub may hand over what it held back (this may queue and pump again).
      if (!done) subscription?.drain();
    }
    const sink: AlertSink<A> = {
      write: (delivery) => {
        queue.push(delivery);
        // Not inline: the hub writes the held alerts during subscribe(), before onSubscribed has run.
        queueMicrotask(() => void pump());
        return queue.length < STREAM_HIGH_WATER;
      },
      close: (reason, error) => {
        subscription = undefined;
        if (reason === 'slow-consumer') finish(new OverloadedError('alert stream fell too far behind; reconnect with the last resume token'));
        else if (reason === 'hub-closed') finish(new UnavailableError('the server is shutting down; reconnect with the last resume token'));
        else finish(error ?? new Error('alert stream failed'));
      },
    };
    if (o.signal.aborted) return finish();
    o.signal.addEventListener('abort', onAbort, { once: true });
    try {
      subscription = o.hub.subscribe(o.filter, o.resumeToken ? { resumeToken: o.resumeToken } : {}, sink);
    } catch (err) {
      return finish(platformErrorOf(err));
    }
    if (done) subscription.close();
    else o.onSubscribed?.();
  });
}
