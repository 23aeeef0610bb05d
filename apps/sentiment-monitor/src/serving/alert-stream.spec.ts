import { OverloadedError, UnavailableError, ValidationError } from '@tuneline/platform';
import { AlertHub, MATCH_ALL_ALERTS, parseAlertFilter, type AlertDelivery } from '@tuneline/sentiment';
import { storedAlert } from '../../test/alerts';
import { streamAlerts, STREAM_HIGH_WATER } from './alert-stream';
import type { StoredAlert } from './stored-alert';

const tick = () => new Promise((r) => setImmediate(r));

describe('streamAlerts', () => {
  it('delivers live alerts in order through the filter, and resolves quietly when the caller goes away', async () => {
    const hub = new AlertHub<StoredAlert>();
    const got: AlertDelivery<StoredAlert>[] = [];
    const caller = new AbortController();
    let subscribed = false;
    const done = streamAlerts({
      hub,
      filter: parseAlertFilter({ entities: ['Northwind Bank'] }),
      signal: caller.signal,
      onSubscribed: () => (subscribed = true),
      deliver: async (d) => void got.push(d),
    });
    expect(subscribed).toBe(true);
    hub.publish(storedAlert({ alertId: 'a1' }), { partition: 0, offset: 0 });
    hub.publish(storedAlert({ alertId: 'x', name: 'Acme Robotics', key: 'entity:Acme Robotics' }), { partition: 1, offset: 0 });
    hub.publish(storedAlert({ alertId: 'a2' }), { partition: 0, offset: 1 });
    await tick();
    expect(got.map((d) => d.alert.alertId)).toEqual(['a1', 'a2']);
    caller.abort();
    await expect(done).resolves.toBeUndefined();
    expect(hub.stats().subscribers).toBe(0);
  });

  it('resumes after a token with the held alerts first, then live ones', async () => {
    const hub = new AlertHub<StoredAlert>();
    const first: AlertDelivery<StoredAlert>[] = [];
    const caller = new AbortController();
    const one = streamAlerts({ hub, filter: MATCH_ALL_ALERTS, signal: caller.signal, deliver: async (d) => void first.push(d) });
    hub.publish(storedAlert({ alertId: 'a1' }), { partition: 0, offset: 0 });
    await tick();
    caller.abort();
    await one;
    hub.publish(storedAlert({ alertId: 'a2' }), { partition: 0, offset: 1 });

    const again: string[] = [];
    const second = new AbortController();
    const two = streamAlerts({ hub, filter: MATCH_ALL_ALERTS, resumeToken: first[0]?.resumeToken, signal: second.signal, deliver: async (d) => void again.push(d.alert.alertId) });
    hub.publish(storedAlert({ alertId: 'a3' }), { partition: 0, offset: 2 });
    await tick();
    expect(again).toEqual(['a2', 'a3']);
    second.abort();
    await two;
  });

  it('holds the hub back while the transport is behind and goes on once it caught up', async () => {
    const hub = new AlertHub<StoredAlert>({ maxPending: 1_000 });
    const release: (() => void)[] = [];
    const got: string[] = [];
    const caller = new AbortController();
    const done = streamAlerts({
      hub,
      filter: MATCH_ALL_ALERTS,
      signal: caller.signal,
      deliver: (d) => new Promise<void>((resolve) => release.push(() => (got.push(d.alert.alertId), resolve()))),
    });
    const total = STREAM_HIGH_WATER * 3;
    for (let i = 0; i < total; i++) hub.publish(storedAlert({ alertId: `a${i}` }), { partition: 0, offset: i });
    await tick();
    expect(release).toHaveLength(1); // one write at a time
    while (got.length < total) {
      release.shift()?.();
      await tick();
    }
    expect(got).toEqual(Array.from({ length: total }, (_, i) => `a${i}`));
    caller.abort();
    await done;
  });

  it('ends with RESOURCE_EXHAUSTED when it falls too far behind, UNAVAILABLE when the hub closes', async () => {
    const slowHub = new AlertHub<StoredAlert>({ maxPending: 2 });
    const slow = streamAlerts({ hub: slowHub, filter: MATCH_ALL_ALERTS, signal: new AbortController().signal, deliver: () => new Promise<void>(() => undefined) });
    for (let i = 0; i < STREAM_HIGH_WATER + 5; i++) slowHub.publish(storedAlert({ alertId: `s${i}` }), { partition: 0, offset: i });
    await expect(slow).rejects.toBeInstanceOf(OverloadedError);

    const hub = new AlertHub<StoredAlert>();
    const open = streamAlerts({ hub, filter: MATCH_ALL_ALERTS, signal: new AbortController().signal, deliver: async () => undefined });
    hub.close();
    await expect(open).rejects.toBeInstanceOf(UnavailableError);
  });

  it('a malformed resume token or too many streams are refused before anything is delivered', async () => {
    const hub = new AlertHub<StoredAlert>({ maxSubscribers: 1 });
    const bad = streamAlerts({ hub, filter: MATCH_ALL_ALERTS, resumeToken: 'not-a-token!', signal: new AbortController().signal, deliver: async () => undefined });
    await expect(bad).rejects.toBeInstanceOf(ValidationError);
    await expect(bad).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', field: 'resumeToken' });
    const caller = new AbortController();
    const first = streamAlerts({ hub, filter: MATCH_ALL_ALERTS, signal: caller.signal, deliver: async () => undefined });
    await expect(streamAlerts({ hub, filter: MATCH_ALL_ALERTS, signal: new AbortController().signal, deliver: async () => undefined })).rejects.toMatchObject({ code: 'RESOURCE_EXHAUSTED' });
    caller.abort();
    await first;
  });

  it('a failing transport write ends the stream with its error', async () => {
    const hub = new AlertHub<StoredAlert>();
    const done = streamAlerts({ hub, filter: MATCH_ALL_ALERTS, signal: new AbortController().signal, deliver: async () => Promise.reject(new Error('socket broke')) });
    hub.publish(storedAlert(), { partition: 0, offset: 0 });
    await expect(done).rejects.toThrow('socket broke');
    expect(hub.stats().subscribers).toBe(0);
  });
});
