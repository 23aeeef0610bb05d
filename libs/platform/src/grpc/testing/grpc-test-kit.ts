import type { ClientReadableStream, ClientUnaryCall, Metadata, ServiceError } from '@grpc/grpc-js';

/** Outcome of a unary call, errors included, so specs can assert on either. */
export interface UnaryOutcome<Res> {
  error: ServiceError | null;
  response: Res | undefined;
  headers: Metadata | undefined;
}

/** Runs a generated client's unary method and collects response, error and response headers. */
export function callUnary<Res>(
  start: (callback: (error: ServiceError | null, response: Res) => void) => ClientUnaryCall,
): Promise<UnaryOutcome<Res>> {
  return new Promise((resolve) => {
    let headers: Metadata | undefined;
    const call = start((error, response) => resolve({ error, response, headers }));
    call.on('metadata', (md: Metadata) => {
      headers = md;
    });
  });
}

/** Reads a server stream to its end; returns the messages and the final error, if any. */
export function collectStream<Res>(stream: ClientReadableStream<Res>): Promise<{ messages: Res[]; error: ServiceError | null }> {
  return new Promise((resolve) => {
    const messages: Res[] = [];
    let error: ServiceError | null = null;
    stream.on('data', (m: Res) => messages.push(m));
    stream.on('error', (e: ServiceError) => {
      error = e;
    });
    stream.on('status', () => setImmediate(() => resolve({ messages, error })));
  });
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });
}
