import { EventEmitter } from 'node:events';
import type { Response } from 'express';
import { clientGoneSignal, writeSse } from './sse';

/** A response stand-in: `write` answers from `accept` (false = buffer full). */
class FakeResponse extends EventEmitter {
  written: string[] = [];
  ended: string | undefined;
  destroyed = false;
  writableEnded = false;
  writableFinished = false;
  constructor(private readonly accept: (n: number) => boolean = () => true) {
    super();
  }
  write(text: string): boolean {
    this.written.push(text);
    return this.accept(this.written.length);
  }
  end(text?: string): this {
    this.ended = text;
    this.writableEnded = true;
    return this;
  }
  gone(): void {
    this.destroyed = true;
    this.emit('close');
  }
}

const asRes = (f: FakeResponse) => f as unknown as Response;
const events = [1, 2, 3].map((i) => ({ event: 'chunk', data: { index: i } }));

describe('writeSse', () => {
  it('writes every event, the last one with end', async () => {
    const res = new FakeResponse();
    await expect(writeSse(asRes(res), events)).resolves.toBe(true);
    expect(res.written).toEqual(['event: chunk\ndata: {"index":1}\n\n', 'event: chunk\ndata: {"index":2}\n\n']);
    expect(res.ended).toBe('event: chunk\ndata: {"index":3}\n\n');
  });

  it('waits for drain when the buffer is full, then goes on', async () => {
    const res = new FakeResponse((n) => n !== 1);
    const done = writeSse(asRes(res), events);
    await new Promise((r) => setImmediate(r));
    expect(res.written).toHaveLength(1);
    res.emit('drain');
    await expect(done).resolves.toBe(true);
    expect(res.written).toHaveLength(2);
    expect(res.listenerCount('close') + res.listenerCount('drain')).toBe(0);
  });

  it('stops writing when the client goes away while it waits', async () => {
    const res = new FakeResponse(() => false);
    const done = writeSse(asRes(res), events);
    await new Promise((r) => setImmediate(r));
    res.gone();
    await expect(done).resolves.toBe(false);
    expect(res.written).toHaveLength(1);
    expect(res.ended).toBeUndefined();
  });

  it('writes nothing to a response that is already gone', async () => {
    const res = new FakeResponse();
    res.destroyed = true;
    await expect(writeSse(asRes(res), events)).resolves.toBe(false);
    expect(res.written).toEqual([]);
  });
});

describe('clientGoneSignal', () => {
  it('aborts with CANCELLED when the connection closes before the response finished', () => {
    const res = new FakeResponse();
    const signal = clientGoneSignal(asRes(res));
    res.gone();
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toMatchObject({ code: 'CANCELLED' });
  });

  it('does not abort after the response finished', () => {
    const res = new FakeResponse();
    const signal = clientGoneSignal(asRes(res));
    res.writableFinished = true;
    res.emit('close');
    expect(signal.aborted).toBe(false);
  });
});
