/**
 * AlertHub: the alerts one replica has read from sentiment.alerts, kept in a bounded ring
 * buffer (oldest dropped first) and fanned out to stream subscribers (gRPC StreamAlerts,
 * SSE) with filters and resume tokens.
 *
 * Contract:
 * - publish(alert, position) in the consumer's order (per partition: ascending offsets).
 *   An alert whose alertId is still held, or whose offset is below one already seen on its
 *   partition, is ignored: redeliveries never reach subscribers twice.
 * - subscribe(filter, { resumeToken }, sink): without a token, only alerts published from
 *   now on; with one, first the held alerts after the token, then live ones, all in the
 *   hub's order. Every delivery carries the token to resume after it. A token whose
 *   successors are no longer all held (older than the buffer, or from before this replica
 *   started reading) starts at the oldest held alert with `gap: true` on the first delivery.
 * - Slow subscribers: delivery is synchronous into the sink; when sink.write returns false
 *   the hub holds back (the subscriber's "queue" is its cursor into the shared buffer, so a
 *   subscriber costs O(1) memory) until subscription.drain(). It is closed with reason
 *   `slow-consumer` when more than maxPending live alerts it would receive are waiting, or
 *   when one of them is dropped from the buffer before it was delivered. It may reconnect
 *   with its last token and learn about anything missed through `gap`.
 */
import type { SentimentAlert } from '../types';
import { alertMatches, type AlertFilter } from './alert-filter';
import { HubClosedError, TooManySubscribersError } from './errors';
import { decodeResumeToken, encodeResumeToken, type OffsetVector } from './resume-token';

/** Where an alert sits in sentiment.alerts. */
export interface AlertPosition {
  readonly partition: number;
  /** The Kafka offset (KafkaJS gives a string: pass Number(message.offset)). */
  readonly offset: number;
}

export interface AlertDelivery<A extends SentimentAlert = SentimentAlert> {
  readonly alert: A;
  readonly position: AlertPosition;
  /** Resume after this alert (StreamAlertsResponse.resume_token, the SSE event id). */
  readonly resumeToken: string;
  /** Alerts this subscriber would have received before this one are no longer held. */
  readonly gap: boolean;
}

export type SubscriptionCloseReason = 'slow-consumer' | 'hub-closed' | 'sink-error';

/** The transport side of one subscription. */
export interface AlertSink<A extends SentimentAlert = SentimentAlert> {
  /**
   * Hands one delivery over; may be called before subscribe() returns (the held alerts
   * after a resume token). Return false when the transport's buffer is full: the hub holds
   * the rest back until subscription.drain(). A throw closes the subscription (`sink-error`).
   */
  write(delivery: AlertDelivery<A>): boolean;
  /** The hub ended the subscription; never called after subscription.close(). */
  close(reason: SubscriptionCloseReason, error?: unknown): void;
}

export interface AlertSubscription {
  /** The transport has room again (its 'drain' event): deliver what is waiting. */
  drain(): void;
  /** The caller went away; idempotent. */
  close(): void;
  readonly closed: boolean;
}

export interface SubscribeOptions {
  /** A token from an earlier delivery; malformed → InvalidResumeTokenError. */
  readonly resumeToken?: string;
}

export interface AlertHubOptions {
  /** Alerts held for resuming subscribers (10 000 by default). */
  readonly capacity: number;
  /** Live alerts a paused subscriber may have waiting before it is closed (1 000). */
  readonly maxPending: number;
  /** Subscribers at once; more → TooManySubscribersError (1 000). */
  readonly maxSubscribers: number;
}

export const DEFAULT_ALERT_HUB_OPTIONS: AlertHubOptions = Object.freeze({ capacity: 10_000, maxPending: 1_000, maxSubscribers: 1_000 });

/** added: held and delivered; duplicate: its alertId is held; stale: below its partition's last offset; closed: hub closed. */
export type PublishOutcome = 'added' | 'duplicate' | 'stale' | 'closed';

export interface AlertHubStats {
  readonly held: number;
  readonly capacity: number;
  readonly subscribers: number;
  readonly added: number;
  readonly duplicates: number;
  readonly stale: number;
  readonly evicted: number;
  readonly closedSlow: number;
}

interface Entry<A> {
  readonly seq: number;
  readonly alert: A;
  readonly position: AlertPosition;
  /** Per partition, the next offset after everything the hub had read up to and including this entry. */
  readonly covered: OffsetVector;
  /** encodeResumeToken(covered), computed once for every subscriber. */
  readonly token: string;
}

interface Subscriber<A extends SentimentAlert> {
  readonly filter: AlertFilter;
  readonly sink: AlertSink<A>;
  /** Seq of the next entry to look at. */
  cursor: number;
  /** Entries from this seq on were published after subscribe (they count as pending). */
  readonly liveFrom: number;
  /** Next offset per partition this subscriber has not been given: entries below are skipped. */
  from: OffsetVector;
  paused: boolean;
  pumping: boolean;
  pending: number;
  gap: boolean;
  closed: boolean;
}

function checkCount(name: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) throw new RangeError(`${name} must be an integer ≥ ${min}, got ${value}`);
}

export function validateAlertHubOptions(options: AlertHubOptions): AlertHubOptions {
  checkCount('capacity', options.capacity, 1);
  checkCount('maxPending', options.maxPending, 1);
  checkCount('maxSubscribers', options.maxSubscribers, 1);
  return options;
}

function checkPosition(position: AlertPosition): void {
  if (typeof position !== 'object' || position === null) throw new TypeError('position must be an object');
  checkCount('position.partition', position.partition, 0);
  checkCount('position.offset', position.offset, 0);
}

/** Whether `covered` reaches at least as far as `from` on every partition of `from`. */
function covers(covered: OffsetVector, from: OffsetVector): boolean {
  for (const [partition, next] of from) if ((covered.get(partition) ?? 0) < next) return false;
  return true;
}

export class AlertHub<A extends SentimentAlert = SentimentAlert> {
  private readonly options: AlertHubOptions;
  private readonly ring: (Entry<A> | undefined)[];
  private readonly seqById = new Map<string, number>();
  /** Per partition: the next offset after the last one read. */
  private covered: OffsetVector = new Map();
  /** Per partition: the lowest offset from which every alert read is still held. */
  private readonly horizon = new Map<number, number>();
  private readonly subscribers = new Set<Subscriber<A>>();
  private oldestSeq = 0;
  private nextSeq = 0;
  private closed = false;
  private counts = { added: 0, duplicates: 0, stale: 0, evicted: 0, closedSlow: 0 };

  constructor(options: Partial<AlertHubOptions> = {}) {
    this.options = validateAlertHubOptions({ ...DEFAULT_ALERT_HUB_OPTIONS, ...options });
    this.ring = new Array<Entry<A> | undefined>(this.options.capacity);
  }

  /**
   * The consumer starts reading `partition` at `offset` (on assignment). Without it the hub
   * can only assume it has every alert from the first one it sees on the partition, so a
   * token from before that reads as a gap. Starting below what was already read is a no-op.
   */
  coverFrom(partition: number, offset: number): void {
    checkPosition({ partition, offset });
    if (offset <= (this.covered.get(partition) ?? -1)) return;
    // First assignment, or a jump forward (alerts in between were never read): either way
    // the hub holds every alert of the partition only from `offset` on.
    this.horizon.set(partition, offset);
    this.covered = new Map(this.covered).set(partition, offset);
  }

  publish(alert: A, position: AlertPosition): PublishOutcome {
    checkPosition(position);
    if (typeof alert !== 'object' || alert === null || typeof alert.alertId !== 'string') throw new TypeError('alert.alertId must be a string');
    if (this.closed) return 'closed';
    const { partition, offset } = position;
    if (offset < (this.covered.get(partition) ?? 0)) {
      this.counts.stale++;
      return 'stale';
    }
    if (!this.horizon.has(partition)) this.horizon.set(partition, offset);
    this.covered = new Map(this.covered).set(partition, offset + 1);
    if (this.seqById.has(alert.alertId)) {
      this.counts.duplicates++;
      return 'duplicate';
    }
    if (this.nextSeq - this.oldestSeq === this.options.capacity) this.evictOldest();
    const entry: Entry<A> = { seq: this.nextSeq, alert, position: { partition, offset }, covered: this.covered, token: encodeResumeToken(this.covered) };
    this.ring[entry.seq % this.options.capacity] = entry;
    this.seqById.set(alert.alertId, entry.seq);
    this.nextSeq++;
    this.counts.added++;
    for (const sub of [...this.subscribers]) {
      if (this.wouldDeliver(sub, entry)) sub.pending++;
      this.pump(sub);
      if (!sub.closed && sub.pending > this.options.maxPending) this.closeSlow(sub);
    }
    return 'added';
  }

  subscribe(filter: AlertFilter, options: SubscribeOptions, sink: AlertSink<A>): AlertSubscription {
    if (this.closed) throw new HubClosedError();
    const token = options.resumeToken;
    const from = token === undefined || token === '' ? undefined : decodeResumeToken(token);
    if (this.subscribers.size >= this.options.maxSubscribers) throw new TooManySubscribersError(this.options.maxSubscribers);
    const sub: Subscriber<A> = {
      filter,
      sink,
      cursor: from ? this.oldestSeq : this.nextSeq,
      liveFrom: this.nextSeq,
      from: from ?? this.covered,
      paused: false,
      pumping: false,
      pending: 0,
      gap: from ? this.missedBefore(from) : false,
      closed: false,
    };
    this.subscribers.add(sub);
    const subscription: AlertSubscription = {
      drain: () => {
        if (sub.closed) return;
        sub.paused = false;
        this.pump(sub);
      },
      close: () => this.remove(sub),
      get closed() {
        return sub.closed;
      },
    };
    this.pump(sub);
    return subscription;
  }

  /** Ends every subscription (`hub-closed`); later publishes are ignored. */
  close(): void {
    this.closed = true;
    for (const sub of [...this.subscribers]) this.end(sub, 'hub-closed');
  }

  stats(): AlertHubStats {
    return {
      held: this.nextSeq - this.oldestSeq,
      capacity: this.options.capacity,
      subscribers: this.subscribers.size,
      ...this.counts,
    };
  }

  /** Whether alerts at or after `from` were read but are no longer (or never were) held. */
  private missedBefore(from: OffsetVector): boolean {
    for (const [partition, horizon] of this.horizon) if ((from.get(partition) ?? 0) < horizon) return true;
    return false;
  }

  private wouldDeliver(sub: Subscriber<A>, entry: Entry<A>): boolean {
    return entry.position.offset >= (sub.from.get(entry.position.partition) ?? 0) && alertMatches(sub.filter, entry.alert);
  }

  private evictOldest(): void {
    const seq = this.oldestSeq;
    const entry = this.ring[seq % this.options.capacity] as Entry<A>;
    this.ring[seq % this.options.capacity] = undefined;
    this.oldestSeq++;
    this.counts.evicted++;
    this.seqById.delete(entry.alert.alertId);
    const { partition, offset } = entry.position;
    this.horizon.set(partition, Math.max(this.horizon.get(partition) ?? 0, offset + 1));
    for (const sub of [...this.subscribers]) {
      if (sub.cursor > seq || !this.wouldDeliver(sub, entry)) continue;
      // A live alert it never got: it fell behind the whole buffer. A held one from a resume: a gap.
      if (seq >= sub.liveFrom) this.closeSlow(sub);
      else sub.gap = true;
    }
  }

  private pump(sub: Subscriber<A>): void {
    if (sub.pumping) return; // re-entered from sink.write (drain() inside write): the outer loop goes on
    sub.pumping = true;
    try {
      while (!sub.closed && !sub.paused && sub.cursor < this.nextSeq) {
        if (sub.cursor < this.oldestSeq) sub.cursor = this.oldestSeq;
        const entry = this.ring[sub.cursor % this.options.capacity] as Entry<A>;
        sub.cursor++;
        if (!this.wouldDeliver(sub, entry)) continue;
        if (entry.seq >= sub.liveFrom) sub.pending--;
        const resumeToken = this.advance(sub, entry);
        const gap = sub.gap;
        sub.gap = false;
        let more: boolean;
        try {
          more = sub.sink.write({ alert: entry.alert, position: entry.position, resumeToken, gap });
        } catch (error) {
          this.end(sub, 'sink-error', error);
          return;
        }
        if (more === false) sub.paused = true;
      }
    } finally {
      sub.pumping = false;
    }
  }

  /** Moves the subscriber's resume point past `entry`; returns the token for it. */
  private advance(sub: Subscriber<A>, entry: Entry<A>): string {
    if (covers(entry.covered, sub.from)) {
      sub.from = entry.covered;
      return entry.token;
    }
    // The resume token came from a replica that had read further on some partition: keep its positions.
    const merged = new Map(entry.covered);
    for (const [partition, next] of sub.from) if ((merged.get(partition) ?? 0) < next) merged.set(partition, next);
    sub.from = merged;
    return encodeResumeToken(merged);
  }

  private closeSlow(sub: Subscriber<A>): void {
    this.counts.closedSlow++;
    this.end(sub, 'slow-consumer');
  }

  private end(sub: Subscriber<A>, reason: SubscriptionCloseReason, error?: unknown): void {
    if (sub.closed) return;
    this.remove(sub);
    try {
      sub.sink.close(reason, error);
    } catch {
      // The transport failed to end its own stream; nothing left to do on our side.
    }
  }

  private remove(sub: Subscriber<A>): void {
    sub.closed = true;
    this.subscribers.delete(sub);
  }
}
