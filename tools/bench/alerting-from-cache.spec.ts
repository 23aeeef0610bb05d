import { eventsOfCachedItem } from './alerting-from-cache';

describe('eventsOfCachedItem', () => {
  it('gives one event per entity, then the topic, at the item time, with its label', () => {
    const t = Date.UTC(2025, 0, 6, 10, 0, 7);
    const events = eventsOfCachedItem({ id: 'syn-1', eventTimeMs: t, entities: ['Acme', 'Globex'], topic: 'earnings', sentiment: 'negative' });
    expect(events.map((e) => e.key)).toEqual(['entity:Acme', 'entity:Globex', 'topic:earnings']);
    expect(events.every((e) => e.eventTimeMs === t && e.sentiment === 'negative' && e.itemId === 'syn-1' && e.source === '0')).toBe(true);
    expect(eventsOfCachedItem({ id: 'syn-2', eventTimeMs: t, entities: [], topic: 'macro', sentiment: 'neutral' }).map((e) => [e.key, e.sentiment]))
      .toEqual([['topic:macro', 'neutral']]);
  });
});
