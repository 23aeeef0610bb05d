import { once } from 'node:events';
import type { Writable } from 'node:stream';

/** Settles with `work`, or rejects with the signal's reason as soon as it aborts. */
export function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

/** Writes one message, waiting for 'drain' when the stream's buffer is full. */
export async function writeWithBackpressure<T>(stream: Writable, message: T, signal: AbortSignal): Promise<void> {
  if (signal.aborted) throw signal.reason;
  if (stream.write(message)) return;
  try {
    await once(stream, 'drain', { signal });
  } catch (err) {
    throw signal.aborted ? signal.reason : err;
  }
}
