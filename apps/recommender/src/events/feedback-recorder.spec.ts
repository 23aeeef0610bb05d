import { TOPICS, type UserEvent } from '@tuneline/events';
import { ValidationError } from '@tuneline/platform';
import { MemoryFeedbackDedupe } from './feedback-dedupe';
import { FeedbackRecorder, userEventOf } from './feedback-recorder';

const NOW = Date.parse('2026-11-29T10:00:00.000Z');
const HOUR = 3_600_000;

function recorder(send: (values: readonly UserEvent[]) => Promise<void> = async () => undefined) {
  const sent: UserEvent[] = [];
  const dedupe = new MemoryFeedbackDedupe(10, () => NOW);
  const r = new FeedbackRecorder({
    producer: { send: async (_topic, values) => (await send(values as readonly UserEvent[]), sent.push(...(values as readonly UserEvent[])), []) },
    dedupe,
    dedupeMs: 60_000,
    maxFutureMs: HOUR,
    now: () => NOW,
  });
  return { r, sent, dedupe };
}

describe('userEventOf', () => {
  it('builds a user.events value; without occurredAt the time is now', () => {
    expect(userEventOf({ userId: 'u', itemId: 'm-1', type: 'click' }, NOW, HOUR)).toEqual({ userId: 'u', itemId: 'm-1', type: 'click', ts: '2026-11-29T10:00:00.000Z' });
    const rate = userEventOf({ userId: 'u', itemId: 'm-1', type: 'rate', value: 4.5, occurredAt: new Date('2026-01-01T00:00:00Z') }, NOW, HOUR);
    expect(TOPICS.userEvents.schema.parse(rate)).toEqual({ userId: 'u', itemId: 'm-1', type: 'rate', value: 4.5, ts: '2026-01-01T00:00:00.000Z' });
  });

  it('refuses what user.events refuses, naming the field', () => {
    expect(() => userEventOf({ userId: 'u', itemId: 'm-1', type: 'rate' }, NOW, HOUR)).toThrow(ValidationError);
    expect(() => userEventOf({ userId: 'u', itemId: 'm-1', type: 'rate', value: 7 }, NOW, HOUR)).toThrow(/^value: /);
    expect(() => userEventOf({ userId: 'u', itemId: 'm-1', type: 'click', value: 3 }, NOW, HOUR)).toThrow(/^value: only rate events carry a value/);
    expect(() => userEventOf({ userId: 'u', itemId: 'm-1', type: 'click', occurredAt: new Date('nope') }, NOW, HOUR)).toThrow(/occurredAt/);
  });

  it('refuses an occurredAt past RECOMMEND_MAX_FUTURE_MS or before 1970 (400 naming the field and the limit); up to the limit is accepted', () => {
    const at = (iso: string) => ({ userId: 'u', itemId: 'm-1', type: 'click' as const, occurredAt: new Date(iso) });
    expect(() => userEventOf(at('2027-11-29T10:00:00Z'), NOW, HOUR)).toThrow(/^occurredAt 2027-11-29T10:00:00.000Z is more than 3600000 ms ahead.*RECOMMEND_MAX_FUTURE_MS/);
    expect(() => userEventOf(at('2027-11-29T10:00:00Z'), NOW, HOUR)).toThrow(expect.objectContaining({ field: 'occurredAt', httpStatus: 400 }));
    expect(() => userEventOf(at('1969-12-31T23:59:59Z'), NOW, HOUR)).toThrow(/^occurredAt must be a time at or after 1970/);
    expect(userEventOf(at('2026-11-29T11:00:00Z'), NOW, HOUR).ts).toBe('2026-11-29T11:00:00.000Z');
  });
});

describe('FeedbackRecorder', () => {
  it('publishes each event once; an identical retry (same occurredAt) is not published again', async () => {
    const { r, sent } = recorder();
    const call = { userId: 'u', itemId: 'm-1', type: 'like' as const, occurredAt: new Date('2026-11-29T09:00:00Z') };
    expect(await r.record(call)).toEqual({ recorded: true });
    expect(await r.record(call)).toEqual({ recorded: false });
    expect(await r.record({ ...call, type: 'purchase' })).toEqual({ recorded: true });
    expect(sent.map((e) => e.type)).toEqual(['like', 'purchase']);
  });

  it('never dedupes calls without occurredAt (each is a new event)', async () => {
    const { r, sent } = recorder();
    await r.record({ userId: 'u', itemId: 'm-1', type: 'view' });
    await r.record({ userId: 'u', itemId: 'm-1', type: 'view' });
    expect(sent).toHaveLength(2);
  });

  it('a failed publish is UNAVAILABLE and forgets the claim, so the retry goes through', async () => {
    let fail = true;
    const { r, sent } = recorder(async () => {
      if (fail) throw new Error('broker down');
    });
    const call = { userId: 'u', itemId: 'm-1', type: 'click' as const, occurredAt: new Date('2026-11-29T09:00:00Z') };
    await expect(r.record(call)).rejects.toMatchObject({ code: 'UNAVAILABLE', retriable: true, message: 'could not publish the event to user.events: broker down' });
    fail = false;
    expect(await r.record(call)).toEqual({ recorded: true });
    expect(sent).toHaveLength(1);
  });
});

describe('MemoryFeedbackDedupe', () => {
  it('expires claims after the ttl and keeps at most maxKeys', async () => {
    let now = 0;
    const d = new MemoryFeedbackDedupe(2, () => now);
    expect(await d.claim('a', 100)).toBe(true);
    expect(await d.claim('a', 100)).toBe(false);
    now = 100;
    expect(await d.claim('a', 100)).toBe(true);
    await d.claim('b', 100);
    await d.claim('c', 100);
    expect(d.size).toBe(2);
    expect(await d.claim('a', 100)).toBe(true); // 'a' was the oldest and was forgotten
    expect(() => new MemoryFeedbackDedupe(0)).toThrow(RangeError);
  });
});
