import { Registry } from 'prom-client';
import type { BufferedPublisher } from '@tuneline/events';
import { createLogger } from '@tuneline/platform';
import { turnFor } from '../../test/fake-handler';
import { bufferedSupportEvents, SUPPORT_TOPICS, supportEventMetrics } from './support-events';

const logger = createLogger({ service: 't', level: 'silent' });

function publisher(enqueue: BufferedPublisher['enqueue']): BufferedPublisher {
  return { enqueue, flush: async () => 0, close: async () => 0, depth: () => 0, stats: () => ({ depth: 0, bytes: 0, accepted: 0, published: 0, overflowed: 0, dropped: 0, failedSends: 0 }) };
}

describe('support events sink', () => {
  it('enqueues the mapped turn on support.conversations, keyed by the topic definition', () => {
    const calls: [string, unknown][] = [];
    const events = bufferedSupportEvents(publisher((t, v) => (calls.push([t.name, v]), true)), SUPPORT_TOPICS, logger, () => undefined);
    events.turn(turnFor({ sessionId: 's1', text: 'hi', requestId: 'r1' }).record);
    expect(calls).toEqual([['support.conversations', expect.objectContaining({ kind: 'turn', sessionId: 's1', turn: 0, requestId: 'r1' })]]);
  });

  it('never throws at the caller: a full buffer is logged, an invalid value is counted', async () => {
    const registry = new Registry();
    const metrics = supportEventMetrics(registry);
    const full = bufferedSupportEvents(publisher(() => false), SUPPORT_TOPICS, logger, metrics.invalid);
    const invalid = bufferedSupportEvents(publisher(() => { throw new Error('schema validation failed'); }), SUPPORT_TOPICS, logger, metrics.invalid);
    const record = turnFor({ sessionId: 's1', text: 'hi' }).record;
    expect(() => full.turn(record)).not.toThrow();
    expect(() => invalid.turn(record)).not.toThrow();
    const counted = await registry.getSingleMetric('tuneline_support_events_total')?.get();
    expect(counted?.values).toEqual([{ labels: { topic: 'support.conversations', outcome: 'invalid' }, value: 1 }]);
  });
});
