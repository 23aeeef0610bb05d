import { groupIdsOf, newStartId } from './consumers';
import { interactionOf } from './interaction';

describe('interactionOf', () => {
  it('maps user.events values to interactions (epoch ms, rating kept); a skip is none', () => {
    expect(interactionOf({ userId: 'u', itemId: 'm', type: 'rate', value: 4.5, ts: '2026-01-01T00:00:00.000Z' })).toEqual({ userId: 'u', itemId: 'm', type: 'rate', value: 4.5, ts: Date.UTC(2026, 0, 1) });
    expect(interactionOf({ userId: 'u', itemId: 'm', type: 'click', ts: '2026-01-01T01:00:00+01:00' })).toEqual({ userId: 'u', itemId: 'm', type: 'click', ts: Date.UTC(2026, 0, 1) });
    expect(interactionOf({ userId: 'u', itemId: 'm', type: 'skip', ts: '2026-01-01T00:00:00Z' })).toBeUndefined();
  });
});

describe('groupIdsOf', () => {
  it('one shared group, two per replica start', () => {
    expect(groupIdsOf('recommender', 'pod-1', 's1')).toEqual({ shared: 'recommender.events', catalog: 'recommender.pod-1.s1.catalog', signals: 'recommender.pod-1.s1.signals' });
    expect(() => groupIdsOf('recommender', 'a/b', 's1')).toThrow(/instanceId/);
    expect(newStartId(0)).toMatch(/^0-[0-9a-f]{6}$/);
    expect(newStartId()).not.toBe(newStartId());
  });
});
