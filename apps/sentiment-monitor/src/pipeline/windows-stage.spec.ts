import { TOPICS } from '@tuneline/events';
import { windowEvent } from '@tuneline/sentiment/testing';
import { storedAlert } from '../../test/alerts';
import { alertRecords } from './windows-stage';

describe('alertRecords', () => {
  it('feeds the events to the engine in order and turns each alert it fires into a sentiment.alerts record with raisedAt', () => {
    const seen: string[] = [];
    const engine = {
      process: (e: ReturnType<typeof windowEvent>) => {
        seen.push(e.itemId);
        if (e.itemId !== 'i2') return [];
        const alert: Partial<ReturnType<typeof storedAlert>> = storedAlert({ alertId: 'fired', triggerItemId: 'i2' });
        delete alert.raisedAt; // the engine's alerts have none; the stage adds it
        return [alert as Omit<ReturnType<typeof storedAlert>, 'raisedAt'>];
      },
    };
    const records = alertRecords(engine, ['i1', 'i2', 'i3'].map((itemId) => windowEvent({ itemId })), TOPICS.sentimentAlerts, () => new Date('2025-01-06T12:00:00Z'));
    expect(seen).toEqual(['i1', 'i2', 'i3']);
    expect(records).toHaveLength(1);
    expect(records[0]?.topic).toBe(TOPICS.sentimentAlerts);
    expect(records[0]?.value).toMatchObject({ alertId: 'fired', triggerItemId: 'i2', raisedAt: '2025-01-06T12:00:00.000Z' });
    expect(TOPICS.sentimentAlerts.schema.safeParse(records[0]?.value).success).toBe(true);
  });
});
