import type { SentimentAlert } from '../types';
import { MATCH_ALL_ALERTS, parseAlertFilter, type AlertFilter } from './alert-filter';
import { AlertHub, type AlertDelivery, type AlertSink, type AlertSubscription, type SubscriptionCloseReason } from './alert-hub';
import { HubClosedError, InvalidResumeTokenError, TooManySubscribersError } from './errors';
import { decodeResumeToken } from './resume-token';

function alert(alertId: string, over: Partial<SentimentAlert> = {}): SentimentAlert {
  return {
    alertId,
    kind: 'entity',
    name: 'ACME',
    key: 'entity:ACME',
    windowStart: '2025-01-06T09:00:00.000Z',
    windowEnd: '2025-01-06T09:15:00.000Z',
    totalCount: 20,
    negativeCount: 15,
    negativeShare: 0.75,
    baselineNegativeShare: 0.2,
    baselineStd: 0.05,
    zScore: 4,
    volumeZScore: 1,
    surgeRatio: 3.75,
    rule: 'negative-share',
    severity: 'warning',
    topHeadlines: [],
    modelVersion: 'financial-sentiment@1',
    triggerItemId: `item-${alertId}`,
    eventTime: '2025-01-06T09:07:00.000Z',
    ...over,
  };
}

/** Records what the hub hands over; `full` makes write() report a full transport buffer. */
class RecordingSink implements AlertSink {
  readonly deliveries: AlertDelivery[] = [];
  closedWith: SubscriptionCloseReason | undefined;
  full = false;
  write(delivery: AlertDelivery): boolean {
    this.deliveries.push(delivery);
    return !this.full;
  }
  close(reason: SubscriptionCloseReason): void {
    this.closedWith = reason;
  }
  get ids(): string[] {
    return this.deliveries.map((d) => d.alert.alertId);
  }
  get gaps(): boolean[] {
    return this.deliveries.map((d) => d.gap);
  }
  tokenAfter(alertId: string): string {
    const found = this.deliveries.find((d) => d.alert.alertId === alertId);
    if (!found) throw new Error(`${alertId} was not delivered`);
    return found.resumeToken;
  }
}

function subscribe(hub: AlertHub, filter: AlertFilter = MATCH_ALL_ALERTS, resumeToken?: string): { sink: RecordingSink; sub: AlertSubscription } {
  const sink = new RecordingSink();
  return { sink, sub: hub.subscribe(filter, { resumeToken }, sink) };
}

/** Publishes `count` alerts `prefix0..` on `partition`, offsets from `firstOffset`, two apart (transaction markers in between). */
function publishRun(hub: AlertHub, prefix: string, count: number, partition = 0, firstOffset = 0, over: Partial<SentimentAlert> = {}): void {
  for (let i = 0; i < count; i++) expect(hub.publish(alert(`${prefix}${i}`, over), { partition, offset: firstOffset + 2 * i })).toBe('added');
}

describe('AlertHub', () => {
  it('without a token delivers only alerts published after subscribing, in order, with their positions', () => {
    const hub = new AlertHub();
    hub.publish(alert('before'), { partition: 0, offset: 0 });
    const { sink } = subscribe(hub);
    hub.publish(alert('a'), { partition: 1, offset: 5 });
    hub.publish(alert('b'), { partition: 0, offset: 2 });
    hub.publish(alert('c'), { partition: 1, offset: 7 });
    expect(sink.ids).toEqual(['a', 'b', 'c']);
    expect(sink.deliveries.map((d) => d.position)).toEqual([
      { partition: 1, offset: 5 },
      { partition: 0, offset: 2 },
      { partition: 1, offset: 7 },
    ]);
    expect(sink.gaps).toEqual([false, false, false]);
  });

  it('gives each delivery the offsets read so far as its token (next offset per partition)', () => {
    const hub = new AlertHub();
    const { sink } = subscribe(hub);
    hub.publish(alert('a'), { partition: 1, offset: 5 });
    hub.publish(alert('b'), { partition: 0, offset: 2 });
    expect([...decodeResumeToken(sink.tokenAfter('a'))]).toEqual([[1, 6]]);
    expect([...decodeResumeToken(sink.tokenAfter('b'))]).toEqual([[0, 3], [1, 6]]);
  });

  it('ignores an alert id it still holds and a position below one already read', () => {
    const hub = new AlertHub();
    const { sink } = subscribe(hub);
    expect(hub.publish(alert('a'), { partition: 0, offset: 4 })).toBe('added');
    expect(hub.publish(alert('a'), { partition: 0, offset: 9 })).toBe('duplicate');
    expect(hub.publish(alert('b'), { partition: 0, offset: 4 })).toBe('stale');
    expect(hub.publish(alert('c'), { partition: 0, offset: 8 })).toBe('stale');
    expect(hub.publish(alert('d'), { partition: 0, offset: 10 })).toBe('added');
    expect(sink.ids).toEqual(['a', 'd']);
    expect(hub.stats()).toMatchObject({ held: 2, added: 2, duplicates: 1, stale: 2 });
  });

  it('applies the filter per subscriber', () => {
    const hub = new AlertHub();
    const acme = subscribe(hub, parseAlertFilter({ entities: ['ACME'] }));
    const critical = subscribe(hub, parseAlertFilter({ minSeverity: 'critical' }));
    hub.publish(alert('1', { name: 'ACME' }), { partition: 0, offset: 0 });
    hub.publish(alert('2', { name: 'Globex', severity: 'critical' }), { partition: 0, offset: 1 });
    hub.publish(alert('3', { kind: 'topic', name: 'earnings', key: 'topic:earnings', severity: 'critical' }), { partition: 0, offset: 2 });
    expect(acme.sink.ids).toEqual(['1']);
    expect(critical.sink.ids).toEqual(['2', '3']);
  });

  describe('resume', () => {
    it('replays the held alerts after the token, then live ones, without a gap', () => {
      const hub = new AlertHub();
      hub.coverFrom(0, 0);
      hub.coverFrom(1, 0);
      const first = subscribe(hub);
      hub.publish(alert('a'), { partition: 0, offset: 0 });
      hub.publish(alert('b'), { partition: 1, offset: 0 });
      hub.publish(alert('c'), { partition: 0, offset: 2 });
      hub.publish(alert('d'), { partition: 1, offset: 2 });
      first.sub.close();
      const again = subscribe(hub, MATCH_ALL_ALERTS, first.sink.tokenAfter('b'));
      expect(again.sink.ids).toEqual(['c', 'd']);
      hub.publish(alert('e'), { partition: 0, offset: 4 });
      expect(again.sink.ids).toEqual(['c', 'd', 'e']);
      expect(again.sink.gaps).toEqual([false, false, false]);
      expect(first.sink.ids).toEqual(['a', 'b', 'c', 'd']);
    });

    it('starts at the oldest held alert with gap on the first delivery when the token is older than the buffer', () => {
      const hub = new AlertHub({ capacity: 3 });
      hub.coverFrom(0, 0);
      const { sink } = subscribe(hub);
      publishRun(hub, 'a', 5);
      expect(hub.stats()).toMatchObject({ held: 3, evicted: 2 });
      const again = subscribe(hub, MATCH_ALL_ALERTS, sink.tokenAfter('a0'));
      expect(again.sink.ids).toEqual(['a2', 'a3', 'a4']);
      expect(again.sink.gaps).toEqual([true, false, false]);
    });

    it('has no gap when the token is exactly at the oldest held alert', () => {
      const hub = new AlertHub({ capacity: 3 });
      hub.coverFrom(0, 0);
      const { sink } = subscribe(hub);
      publishRun(hub, 'a', 5);
      const again = subscribe(hub, MATCH_ALL_ALERTS, sink.tokenAfter('a1'));
      expect(again.sink.ids).toEqual(['a2', 'a3', 'a4']);
      expect(again.sink.gaps).toEqual([false, false, false]);
    });

    it('reads as a gap a token from before the first alert of a partition the hub was not told it covers', () => {
      const hub = new AlertHub();
      const { sink } = subscribe(hub);
      hub.publish(alert('a'), { partition: 0, offset: 3 });
      hub.publish(alert('b'), { partition: 1, offset: 8 });
      const again = subscribe(hub, MATCH_ALL_ALERTS, sink.tokenAfter('a'));
      expect(again.sink.ids).toEqual(['b']);
      expect(again.sink.gaps).toEqual([true]);

      const told = new AlertHub();
      told.coverFrom(0, 0);
      told.coverFrom(1, 0);
      const toldSub = subscribe(told);
      told.publish(alert('a'), { partition: 0, offset: 3 });
      told.publish(alert('b'), { partition: 1, offset: 8 });
      const toldAgain = subscribe(told, MATCH_ALL_ALERTS, toldSub.sink.tokenAfter('a'));
      expect(toldAgain.sink.ids).toEqual(['b']);
      expect(toldAgain.sink.gaps).toEqual([false]);
    });

    it("resumes on another replica that read the partitions in another interleaving, and keeps the token's positions", () => {
      const replicaA = new AlertHub();
      const replicaB = new AlertHub();
      for (const hub of [replicaA, replicaB]) [0, 1].forEach((p) => hub.coverFrom(p, 0));
      const onA = subscribe(replicaA);
      replicaA.publish(alert('p0-0'), { partition: 0, offset: 0 });
      replicaA.publish(alert('p1-0'), { partition: 1, offset: 0 });
      replicaA.publish(alert('p1-1'), { partition: 1, offset: 1 });
      // B read partition 0 further before partition 1.
      replicaB.publish(alert('p0-0'), { partition: 0, offset: 0 });
      replicaB.publish(alert('p0-1'), { partition: 0, offset: 1 });
      replicaB.publish(alert('p1-0'), { partition: 1, offset: 0 });
      replicaB.publish(alert('p1-1'), { partition: 1, offset: 1 });

      const onB = subscribe(replicaB, MATCH_ALL_ALERTS, onA.sink.tokenAfter('p1-1'));
      expect(onB.sink.ids).toEqual(['p0-1']);
      expect(onB.sink.gaps).toEqual([false]);
      // On B, p0-1 came before any partition-1 alert; its token still keeps A's partition-1 position.
      expect([...decodeResumeToken(onB.sink.tokenAfter('p0-1'))]).toEqual([[0, 2], [1, 2]]);
    });

    it('refuses a malformed token with InvalidResumeTokenError and registers nothing', () => {
      const hub = new AlertHub();
      expect(() => subscribe(hub, MATCH_ALL_ALERTS, 'not a token')).toThrow(InvalidResumeTokenError);
      expect(hub.stats().subscribers).toBe(0);
    });
  });

  describe('slow subscribers', () => {
    it('holds back while the sink is full and delivers the rest in order on drain', () => {
      const hub = new AlertHub();
      const { sink, sub } = subscribe(hub);
      sink.full = true;
      publishRun(hub, 'a', 4);
      expect(sink.ids).toEqual(['a0']);
      sink.full = false;
      sub.drain();
      expect(sink.ids).toEqual(['a0', 'a1', 'a2', 'a3']);
      hub.publish(alert('b'), { partition: 0, offset: 100 });
      expect(sink.ids).toEqual(['a0', 'a1', 'a2', 'a3', 'b']);
    });

    it('closes a paused subscriber once more than maxPending live alerts for it are waiting', () => {
      const hub = new AlertHub({ maxPending: 3 });
      const slow = subscribe(hub);
      const fast = subscribe(hub);
      slow.sink.full = true;
      publishRun(hub, 'a', 4); // a0 delivered (then full), a1..a3 pending = 3
      expect(slow.sink.closedWith).toBeUndefined();
      hub.publish(alert('b'), { partition: 0, offset: 50 });
      expect(slow.sink.closedWith).toBe('slow-consumer');
      expect(slow.sub.closed).toBe(true);
      expect(hub.stats()).toMatchObject({ subscribers: 1, closedSlow: 1 });
      slow.sub.drain();
      expect(slow.sink.ids).toEqual(['a0']);
      expect(fast.sink.ids).toEqual(['a0', 'a1', 'a2', 'a3', 'b']);
    });

    it('counts only the alerts its filter lets through as pending', () => {
      const hub = new AlertHub({ maxPending: 2, capacity: 100 });
      const { sink, sub } = subscribe(hub, parseAlertFilter({ entities: ['ACME'] }));
      sink.full = true;
      hub.publish(alert('acme-0'), { partition: 0, offset: 0 });
      publishRun(hub, 'globex', 20, 0, 1, { name: 'Globex', key: 'entity:Globex' });
      hub.publish(alert('acme-1'), { partition: 0, offset: 60 });
      expect(sink.closedWith).toBeUndefined();
      sink.full = false;
      sub.drain();
      expect(sink.ids).toEqual(['acme-0', 'acme-1']);
    });

    it('closes a subscriber whose undelivered live alert leaves the buffer', () => {
      const hub = new AlertHub({ capacity: 3, maxPending: 10 });
      const { sink } = subscribe(hub);
      sink.full = true;
      publishRun(hub, 'a', 4); // a0 delivered; a1 undelivered and evicted by a4's arrival below
      expect(sink.closedWith).toBeUndefined();
      hub.publish(alert('a4'), { partition: 0, offset: 8 });
      expect(sink.closedWith).toBe('slow-consumer');
    });

    it('flags a gap rather than closing when held (replayed) alerts leave the buffer during a paused replay', () => {
      const hub = new AlertHub({ capacity: 3 });
      hub.coverFrom(0, 0);
      const origin = subscribe(hub);
      publishRun(hub, 'a', 3);
      // Resumes after a0 and pauses after its first replayed alert, a1.
      const paused = new RecordingSink();
      paused.full = true;
      const pausedSub = hub.subscribe(MATCH_ALL_ALERTS, { resumeToken: origin.sink.tokenAfter('a0') }, paused);
      expect(paused.ids).toEqual(['a1']);
      hub.publish(alert('a3'), { partition: 0, offset: 6 }); // evicts a0
      hub.publish(alert('a4'), { partition: 0, offset: 8 }); // evicts a1
      hub.publish(alert('a5'), { partition: 0, offset: 10 }); // evicts a2, never delivered to `paused`
      expect(paused.closedWith).toBeUndefined();
      paused.full = false;
      pausedSub.drain();
      expect(paused.ids).toEqual(['a1', 'a3', 'a4', 'a5']);
      expect(paused.gaps).toEqual([false, true, false, false]);
    });
  });

  it('closes a subscriber whose sink throws, and goes on with the others', () => {
    const hub = new AlertHub();
    const broken: AlertSink & { reason?: SubscriptionCloseReason } = {
      write: () => {
        throw new Error('socket gone');
      },
      close(reason) {
        this.reason = reason;
      },
    };
    const sub = hub.subscribe(MATCH_ALL_ALERTS, {}, broken);
    const ok = subscribe(hub);
    hub.publish(alert('a'), { partition: 0, offset: 0 });
    expect(broken.reason).toBe('sink-error');
    expect(sub.closed).toBe(true);
    expect(ok.sink.ids).toEqual(['a']);
  });

  it("stops at the caller's close without calling the sink's close", () => {
    const hub = new AlertHub();
    const { sink, sub } = subscribe(hub);
    hub.publish(alert('a'), { partition: 0, offset: 0 });
    sub.close();
    sub.close();
    hub.publish(alert('b'), { partition: 0, offset: 1 });
    expect(sink.ids).toEqual(['a']);
    expect(sink.closedWith).toBeUndefined();
    expect(hub.stats().subscribers).toBe(0);
  });

  it('ends every subscription on close and ignores later publishes', () => {
    const hub = new AlertHub();
    const { sink } = subscribe(hub);
    hub.close();
    expect(sink.closedWith).toBe('hub-closed');
    expect(hub.publish(alert('a'), { partition: 0, offset: 0 })).toBe('closed');
    expect(() => subscribe(hub)).toThrow('closed');
    // A serving error of its own, so the transports answer UNAVAILABLE / 503 (retriable), not a 500.
    expect(() => subscribe(hub)).toThrow(HubClosedError);
  });

  it('refuses subscribers past maxSubscribers', () => {
    const hub = new AlertHub({ maxSubscribers: 1 });
    subscribe(hub);
    expect(() => subscribe(hub)).toThrow(TooManySubscribersError);
  });

  it('holds at most capacity alerts and forgets the ids it dropped', () => {
    const hub = new AlertHub({ capacity: 2 });
    publishRun(hub, 'a', 3);
    expect(hub.stats()).toMatchObject({ held: 2, evicted: 1 });
    expect(hub.publish(alert('a0'), { partition: 0, offset: 20 })).toBe('added');
    expect(hub.publish(alert('a2'), { partition: 0, offset: 22 })).toBe('duplicate');
  });

  it('rejects bad options and positions naming the field', () => {
    expect(() => new AlertHub({ capacity: 0 })).toThrow(/capacity/);
    expect(() => new AlertHub({ maxPending: 1.5 })).toThrow(/maxPending/);
    const hub = new AlertHub();
    expect(() => hub.publish(alert('a'), { partition: -1, offset: 0 })).toThrow(/position\.partition/);
    expect(() => hub.publish(alert('a'), { partition: 0, offset: Number.NaN })).toThrow(/position\.offset/);
  });
});
