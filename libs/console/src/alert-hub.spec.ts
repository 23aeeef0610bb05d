import { AlertHub, alertMatches } from './alert-hub';
import { createFakeBackends, sampleAlert } from './testing-fakes';
import type { AlertJson } from './types';

const until = async (cond: () => boolean, ms = 2_000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('alertMatches', () => {
  it('selects entity alerts by entity, topic alerts by topic, then by minimum severity', () => {
    const acme = sampleAlert('1', 'ACME', 'warning');
    const topic: AlertJson = { ...sampleAlert('2', '', 'critical'), topic: 'litigation', kind: 'topic' };
    expect(alertMatches(acme, { entity: [], topic: [] })).toBe(true);
    expect(alertMatches(acme, { entity: ['ACME'], topic: [] })).toBe(true);
    expect(alertMatches(acme, { entity: [], topic: ['litigation'] })).toBe(false);
    expect(alertMatches(topic, { entity: [], topic: ['litigation'] })).toBe(true);
    expect(alertMatches(acme, { entity: ['ACME'], topic: [], severity: 'critical' })).toBe(false);
    expect(alertMatches(topic, { entity: [], topic: [], severity: 'warning' })).toBe(true);
  });
});

describe('AlertHub', () => {
  it('fans one upstream stream out to filtered subscribers, keeps recent alerts (no duplicates) and entity points', async () => {
    const backends = createFakeBackends();
    const hub = new AlertHub({ backend: backends.sentiment, minBackoffMs: 5 });
    hub.start();
    await until(() => hub.state().up);
    const all: string[] = [];
    const onlyBeta: string[] = [];
    hub.subscribe({ entity: [], topic: [] }, (a) => all.push(a.alertId));
    hub.subscribe({ entity: ['Beta'], topic: [] }, (a) => onlyBeta.push(a.alertId));
    backends.pushAlert(sampleAlert('a1', 'Alpha'));
    backends.pushAlert(sampleAlert('b1', 'Beta'));
    backends.pushAlert(sampleAlert('a1', 'Alpha')); // a redelivery
    await until(() => all.length === 2);
    expect(all).toEqual(['a1', 'b1']);
    expect(onlyBeta).toEqual(['b1']);
    expect(hub.recentAlerts({ entity: [], topic: [] }).map((a) => a.alertId)).toEqual(['b1', 'a1']);
    expect(hub.series.points('Beta')).toEqual([{ at: '2026-01-01T11:15:00.000Z', negativeShare: 0.8, total: 10, source: 'alert' }]);
    await hub.stop();
    backends.close();
  });

  it('reports the service down with its error, and comes back by itself', async () => {
    const backends = createFakeBackends();
    backends.down.add('sentiment-monitor');
    const states: boolean[] = [];
    const hub = new AlertHub({ backend: backends.sentiment, minBackoffMs: 5, maxBackoffMs: 10 });
    hub.subscribeState((s) => states.push(s.up));
    hub.start();
    await until(() => hub.state().detail.includes('ECONNREFUSED'));
    expect(hub.state()).toEqual({ up: false, detail: 'sentiment-monitor is unavailable: connect ECONNREFUSED' });
    backends.down.delete('sentiment-monitor');
    await until(() => hub.state().up);
    expect(states).toContain(true);
    await hub.stop();
  });
});
