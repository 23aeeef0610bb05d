import { EventEmitter } from 'node:events';
import type { Response } from 'express';
import { SseStream, sseComment, sseFrame } from './sse';

/** A response stand-in: `write` answers from `accept` (false = buffer full). */
class FakeResponse extends EventEmitter {
  written: string[] = [];
  destroyed = false;
  writableEnded = false;
  constructor(private readonly accept: (n: number) => boolean = () => true) {
    super();
  }
  write(text: string): boolean {
    this.written.push(text);
    return this.accept(this.written.length);
  }
  end(): this {
    this.writableEnded = true;
    return this;
  }
  gone(): void {
    this.destroyed = true;
    this.emit('close');
  }
}

const asRes = (f: FakeResponse) => f as unknown as Response;

describe('sseFrame / sseComment', () => {
  it('writes id, event and JSON data lines, then a blank line', () => {
    expect(sseFrame({ id: 'tok-1', event: 'alert', data: { a: 1 } })).toBe('id: tok-1\nevent: alert\ndata: {"a":1}\n\n');
    expect(sseFrame({ event: 'gap', data: null })).toBe('event: gap\ndata: null\n\n');
  });

  it('refuses an id or event that would break the framing, and flattens comments', () => {
    expect(() => sseFrame({ id: 'a\nb', event: 'alert', data: 1 })).toThrow(TypeError);
    expect(() => sseFrame({ event: 'x\ny', data: 1 })).toThrow(/event/);
    expect(sseComment('one\ntwo')).toBe(': one two\n\n');
  });
});

describe('SseStream', () => {
  afterEach(() => jest.useRealTimers());

  it('writes frames in order, waiting for drain when the buffer is full', async () => {
    const res = new FakeResponse((n) => n !== 1);
    const stream = new SseStream(asRes(res), { heartbeatMs: 0 });
    const first = stream.send({ event: 'alert', data: 1, id: 'a' });
    const second = stream.send({ event: 'alert', data: 2, id: 'b' });
    await new Promise((r) => setImmediate(r));
    expect(res.written).toHaveLength(1);
    res.emit('drain');
    await expect(first).resolves.toBe(true);
    await expect(second).resolves.toBe(true);
    expect(res.written[1]).toContain('data: 2');
  });

  it('sends a heartbeat comment after heartbeatMs without a write', async () => {
    jest.useFakeTimers();
    const res = new FakeResponse();
    const stream = new SseStream(asRes(res), { heartbeatMs: 1_000 });
    jest.advanceTimersByTime(999);
    await Promise.resolve();
    expect(res.written).toEqual([]);
    jest.advanceTimersByTime(1);
    await jest.runOnlyPendingTimersAsync();
    expect(res.written[0]).toBe(': heartbeat\n\n');
    stream.end();
  });

  it('aborts `closed` and stops writing when the client goes away, also while waiting for drain', async () => {
    const res = new FakeResponse(() => false);
    const stream = new SseStream(asRes(res), { heartbeatMs: 0 });
    const pending = stream.send({ event: 'alert', data: 1 });
    await new Promise((r) => setImmediate(r));
    res.gone();
    await expect(pending).resolves.toBe(false);
    expect(stream.closed.aborted).toBe(true);
    await expect(stream.send({ event: 'alert', data: 2 })).resolves.toBe(false);
    expect(res.written).toHaveLength(1);
    expect(res.listenerCount('drain')).toBe(0);
  });

  it('end() ends the response and the stream', async () => {
    const res = new FakeResponse();
    const stream = new SseStream(asRes(res), { heartbeatMs: 10 });
    stream.end();
    expect(res.writableEnded).toBe(true);
    expect(stream.closed.aborted).toBe(true);
    await expect(stream.send({ event: 'alert', data: 1 })).resolves.toBe(false);
  });
});
