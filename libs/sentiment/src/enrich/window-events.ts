import { MAX_SOURCE_CHARS } from '../alerting/window-event';
import { windowKeyOf } from '../alerting/window-key';
import type { WindowEvent } from '../types';
import { truncateAtWord } from './news-item';
import { HEADLINE_MAX_CHARS, type ScoredItem } from './score-items';

/**
 * Stage 1's fan-out to sentiment.window-events: one event per entity (`entity:<name>`, in the
 * item's entity order) then one for its topic (`topic:<topic>`, `other` included, so "others"
 * surges are watched too). Every event carries what the alert engine needs and nothing more.
 * `source` is where the item came from, its news.raw partition as a string ("3"): the
 * engine tracks each source's progress, since sources interleave at their own paces.
 */
export function windowEventsOf(scored: ScoredItem, source: string): WindowEvent[] {
  if (typeof scored !== 'object' || scored === null) throw new TypeError('scored: expected a ScoredItem');
  if (typeof source !== 'string' || source.length > MAX_SOURCE_CHARS) {
    throw new TypeError(`source: expected a string of at most ${MAX_SOURCE_CHARS} characters, e.g. the news.raw partition`);
  }
  const eventTimeMs = Date.parse(scored.publishedAt);
  if (!Number.isFinite(eventTimeMs)) throw new RangeError(`publishedAt: not a valid ISO-8601 time: ${JSON.stringify(scored.publishedAt)}`);
  const common = {
    itemId: scored.id,
    eventTimeMs,
    sentiment: scored.sentiment,
    negativeProb: scored.scores.negative,
    title: truncateAtWord(scored.title, HEADLINE_MAX_CHARS),
    modelVersion: scored.modelVersion,
    source,
  };
  const entities = [...new Set(scored.entities)];
  return [
    ...entities.map((name) => ({ key: windowKeyOf('entity', name), kind: 'entity' as const, name, ...common })),
    { key: windowKeyOf('topic', scored.topic), kind: 'topic' as const, name: scored.topic, ...common },
  ];
}
