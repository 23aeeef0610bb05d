/**
 * RecordFeedback: checks the event against user.events' schema (the field named in a 400 /
 * INVALID_ARGUMENT), drops a recent identical retry, and publishes it, awaiting the broker's
 * ack: a 200 means the event is in Kafka. The profile changes when the service consumes it
 * (user-events consumer), so every replica and every other consumer sees the same stream.
 */
import { TOPICS, errorMessage, type EventProducer, type TopicDefinition, type UserEvent } from '@tuneline/events';
import { UnavailableError, ValidationError } from '@tuneline/platform';
import { checkEventTime } from '@tuneline/recommend';
import type { FeedbackAnswer, FeedbackCall } from '../ranking/types';
import { feedbackKey, type FeedbackDedupe } from './feedback-dedupe';

export type UserEventsTopic = TopicDefinition<string, typeof TOPICS.userEvents.schema>;

export interface FeedbackRecorderOptions {
  readonly producer: Pick<EventProducer, 'send'>;
  readonly topic?: UserEventsTopic;
  readonly dedupe: FeedbackDedupe;
  /** How long an identical event counts as a retry; 0 turns the check off. */
  readonly dedupeMs: number;
  /** Latest accepted occurredAt after `now()` (RECOMMEND_MAX_FUTURE_MS). */
  readonly maxFutureMs: number;
  readonly now?: () => number;
}

/**
 * The user.events value of a call; ValidationError naming the first bad field. An occurredAt
 * before 1970 or more than `maxFutureMs` ahead of `now` is refused here, at the edge, rather
 * than dead-lettered by the consumer after a 200.
 */
export function userEventOf(call: FeedbackCall, now: number, maxFutureMs: number): UserEvent {
  const at = call.occurredAt ?? new Date(now);
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) throw new ValidationError('occurredAt must be a valid time', { field: 'occurredAt' });
  try {
    checkEventTime(at.getTime(), now, maxFutureMs, 'occurredAt');
  } catch (err) {
    throw new ValidationError(`${(err as Error).message} (RECOMMEND_MAX_FUTURE_MS)`, { field: 'occurredAt' });
  }
  const value = { userId: call.userId, itemId: call.itemId, type: call.type, ts: at.toISOString(), ...(call.value !== undefined ? { value: call.value } : {}) };
  const parsed = TOPICS.userEvents.schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || 'event';
    throw new ValidationError(`${field}: ${issue?.message ?? 'invalid'}`, { field });
  }
  return parsed.data;
}

export class FeedbackRecorder {
  private readonly topic: UserEventsTopic;
  private readonly now: () => number;

  constructor(private readonly options: FeedbackRecorderOptions) {
    if (!Number.isInteger(options.dedupeMs) || options.dedupeMs < 0) throw new RangeError(`dedupeMs must be a non-negative integer, got ${options.dedupeMs}`);
    if (!Number.isInteger(options.maxFutureMs) || options.maxFutureMs < 0) throw new RangeError(`maxFutureMs must be a non-negative integer, got ${options.maxFutureMs}`);
    this.topic = options.topic ?? TOPICS.userEvents;
    this.now = options.now ?? Date.now;
  }

  async record(call: FeedbackCall): Promise<FeedbackAnswer> {
    const event = userEventOf(call, this.now(), this.options.maxFutureMs);
    // Without occurredAt the server's clock makes every call distinct: nothing to dedupe.
    const key = call.occurredAt && this.options.dedupeMs > 0 ? feedbackKey([event.userId, event.itemId, event.type, event.value, event.ts]) : undefined;
    if (key !== undefined && !(await this.claim(key))) return { recorded: false };
    try {
      await this.options.producer.send(this.topic, [event]);
    } catch (err) {
      if (key !== undefined) await this.options.dedupe.release(key).catch(() => undefined);
      throw new UnavailableError(`could not publish the event to ${this.topic.name}: ${errorMessage(err)}`, { cause: err });
    }
    return { recorded: true };
  }

  private async claim(key: string): Promise<boolean> {
    try {
      return await this.options.dedupe.claim(key, this.options.dedupeMs);
    } catch (err) {
      throw new UnavailableError(`feedback de-duplication store unavailable: ${errorMessage(err)}`, { cause: err });
    }
  }
}
