/**
 * Where the service's events go: every turn and every piece of feedback to
 * support.conversations, every handoff (by policy or by EndSession) to support.handoff.
 * Values come from libs/support's pure mappers; libs/events' buffered publisher takes them
 * without waiting, so a reply never awaits Kafka. A refused or invalid record is counted
 * and logged, never thrown at the caller: the user's answer matters more than the event.
 */
import { Counter, type Registry } from 'prom-client';
import { TOPICS, type BufferedPublisher, type BufferedPublisherMetrics, type EventsLogger, type TopicDefinition } from '@tuneline/events';
import type { Logger } from '@tuneline/platform';
import { conversationEventOf, feedbackEventOf, handoffEventOf, type FeedbackRecord, type HandoffResult, type TurnRecord } from '@tuneline/support';

export interface SupportEvents {
  turn(record: TurnRecord): void;
  feedback(record: FeedbackRecord): void;
  handoff(handoff: HandoffResult): void;
}

/** For a service started with SUPPORT_PUBLISH_EVENTS=false. */
export const NO_EVENTS: SupportEvents = { turn: () => undefined, feedback: () => undefined, handoff: () => undefined };

export interface SupportTopics {
  readonly conversations: TopicDefinition<string, typeof TOPICS.supportConversations.schema>;
  readonly handoff: TopicDefinition<string, typeof TOPICS.supportHandoff.schema>;
}

export const SUPPORT_TOPICS: SupportTopics = { conversations: TOPICS.supportConversations, handoff: TOPICS.supportHandoff };

/** `tuneline_support_events_total{topic,outcome}`: published, overflow, dropped_*, invalid. */
export function supportEventMetrics(registry: Registry): BufferedPublisherMetrics & { invalid(topic: string): void } {
  const events = new Counter({ name: 'tuneline_support_events_total', help: 'Support events by topic and outcome', labelNames: ['topic', 'outcome'], registers: [registry] });
  return {
    onPublished: (topic, count) => events.inc({ topic, outcome: 'published' }, count),
    onOverflow: (topic, count) => events.inc({ topic, outcome: 'overflow' }, count),
    onDropped: (topic, count, reason) => events.inc({ topic, outcome: `dropped_${reason}` }, count),
    invalid: (topic) => events.inc({ topic, outcome: 'invalid' }),
  };
}

export function eventsLoggerOf(logger: Logger, component: string): EventsLogger {
  const child = logger.child({ component });
  return {
    debug: (o, m) => child.debug(o, m),
    info: (o, m) => child.info(o, m),
    warn: (o, m) => child.warn(o, m),
    error: (o, m) => child.error(o, m),
  };
}

export function bufferedSupportEvents(publisher: BufferedPublisher, topics: SupportTopics, logger: Logger, onInvalid: (topic: string) => void): SupportEvents {
  const offer = (topic: string, enqueue: () => boolean, context: object) => {
    try {
      if (!enqueue()) logger.warn({ topic, ...context }, 'event buffer full or closed; event refused (counted)');
    } catch (err) {
      onInvalid(topic);
      logger.error({ err, topic, ...context }, 'event failed validation; not published');
    }
  };
  return {
    turn: (record) => offer(topics.conversations.name, () => publisher.enqueue(topics.conversations, conversationEventOf(record)), { sessionId: record.sessionId, turn: record.turn }),
    feedback: (record) => offer(topics.conversations.name, () => publisher.enqueue(topics.conversations, feedbackEventOf(record)), { sessionId: record.sessionId }),
    handoff: (handoff) => offer(topics.handoff.name, () => publisher.enqueue(topics.handoff, handoffEventOf(handoff)), { sessionId: handoff.sessionId, ticketId: handoff.ticketId }),
  };
}
