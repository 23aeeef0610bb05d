import { request as httpRequest, type ClientRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { openSse, type SseStream } from './sse-response';

/**
 * openSse on a real socket, with a parsed POST body (express.json), as the console's stream
 * routes have: the browser leaving must abort the stream's signal, whether it leaves while
 * the stream runs or before the handler opens it (an await in between).
 */
describe('openSse and a browser that leaves', () => {
  const streams: SseStream[] = [];
  let waitBeforeOpen = 0;
  const app = express();
  app.use(express.json());
  app.post('/stream', async (_req, res) => {
    if (waitBeforeOpen) await new Promise((r) => setTimeout(r, waitBeforeOpen));
    const sse = openSse(res, 60_000);
    streams.push(sse);
    sse.send('hello', { ok: true });
  });
  const server = app.listen(0, '127.0.0.1');
  afterAll(() => {
    // Streams a regression left open must not hold the run: close every connection first.
    for (const sse of streams) sse.end();
    server.closeAllConnections();
    return new Promise<void>((r) => server.close(() => r()));
  });

  const post = (): Promise<ClientRequest> => new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, path: '/stream', method: 'POST', headers: { 'content-type': 'application/json' } });
    req.on('error', () => undefined);
    req.on('response', (res) => res.once('data', () => resolve(req)));
    req.end(JSON.stringify({ text: 'hi' }), () => (waitBeforeOpen ? resolve(req) : undefined));
    setTimeout(() => reject(new Error('no response')), 5_000).unref();
  });
  const aborted = async (sse: SseStream) => {
    for (let i = 0; i < 100 && !sse.signal.aborted; i++) await new Promise((r) => setTimeout(r, 20));
    return sse.signal.aborted;
  };

  it('aborts when the browser leaves a running stream', async () => {
    await new Promise<void>((r) => (server.listening ? r() : server.once('listening', () => r())));
    const req = await post();
    const sse = streams.at(-1) as SseStream;
    expect(sse.signal.aborted).toBe(false);
    req.destroy();
    expect(await aborted(sse)).toBe(true);
  });

  it('is aborted at once when the browser left before the handler opened it', async () => {
    waitBeforeOpen = 300;
    const req = await post();
    req.destroy();
    await new Promise((r) => setTimeout(r, 500));
    const sse = streams.at(-1) as SseStream;
    expect(streams).toHaveLength(2);
    expect(sse.signal.aborted).toBe(true);
  });
});
