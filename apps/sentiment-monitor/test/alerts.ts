/** A valid sentiment.alerts record for specs. */
import type { StoredAlert } from '../src/serving/stored-alert';

export function storedAlert(overrides: Partial<StoredAlert> = {}): StoredAlert {
  const kind = overrides.kind ?? 'entity';
  const name = overrides.name ?? 'Northwind Bank';
  return {
    alertId: 'a1',
    kind,
    name,
    key: `${kind}:${name}`,
    windowStart: '2025-01-06T11:00:00.000Z',
    windowEnd: '2025-01-06T11:15:00.000Z',
    totalCount: 20,
    negativeCount: 15,
    negativeShare: 0.75,
    baselineNegativeShare: 0.2,
    baselineStd: 0.05,
    zScore: 6.1,
    volumeZScore: 4.2,
    surgeRatio: 3.75,
    rule: 'negative-share',
    severity: 'critical',
    topHeadlines: [{ id: 'ns-1', title: 'Northwind Bank fined', negativeProb: 0.97 }],
    modelVersion: 'financial-sentiment@2',
    triggerItemId: 'ns-1',
    eventTime: '2025-01-06T11:07:00.000Z',
    raisedAt: '2025-01-06T11:07:01.000Z',
    ...overrides,
  };
}
