import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseSseBlock, requestJson, waitForSse } from './http';

describe('parseSseBlock', () => {
  it('reads event, id and multi-line data', () => {
    expect(parseSseBlock('id: t1\nevent: alert\ndata: {"a":1,\ndata: "b":2}')).toEqual({ event: 'alert', id: 't1', data: '{"a":1,\n"b":2}' });
  });

  it('skips heartbeats (comment-only blocks)', () => {
    expect(parseSseBlock(': keep-alive')).toBeUndefined();
  });
});

describe('over a local server', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/json') {
        res.writeHead(201, { 'content-type': 'application/json' });
        req.pipe(res);
      } else if (req.url === '/text') {
        res.writeHead(503).end('busy');
      } else {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(': hi\n\nevent: alert\ndata: {"n":1}\n\n');
        setTimeout(() => res.write('event: alert\ndata: {"n":2}\n\n'), 20);
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  it('posts JSON and reads the answer; a non-JSON answer comes back as text', async () => {
    expect(await requestJson(`${base}/json`, { x: 1 })).toEqual({ status: 201, body: { x: 1 } });
    expect(await requestJson(`${base}/text`)).toEqual({ status: 503, body: { text: 'busy' } });
  });

  it('waits for the awaited SSE event, seeing the earlier ones', async () => {
    const seen: string[] = [];
    const ev = await waitForSse(`${base}/sse`, (e) => JSON.parse(e.data).n === 2, { timeoutMs: 5_000, onEvent: (e) => seen.push(e.data) });
    expect(ev).toEqual({ event: 'alert', data: '{"n":2}' });
    expect(seen).toEqual(['{"n":1}', '{"n":2}']);
  });

  it('times out with how many events came', async () => {
    await expect(waitForSse(`${base}/sse`, () => false, { timeoutMs: 300 })).rejects.toThrow('no awaited event in 300 ms (2 event(s) seen)');
  });
});
