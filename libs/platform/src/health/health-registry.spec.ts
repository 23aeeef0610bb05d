import { HealthRegistry } from './health-registry';
import { readinessResponse, livenessResponse } from './http-health';

describe('HealthRegistry', () => {
  it('is ready only when every required component is ready', () => {
    const h = new HealthRegistry().addComponent('model').addComponent('kafka').addComponent('cache', { required: false });
    expect(h.isReady()).toBe(false);
    expect(h.readiness().notReady).toEqual(['model', 'kafka']);
    h.setReady('model', true);
    h.setReady('kafka', true);
    expect(h.isReady()).toBe(true);
    expect(h.readiness().notReady).toEqual([]);
  });

  it('answers per gRPC service name, "" meaning the whole server', () => {
    const h = new HealthRegistry().addComponent('model').addComponent('kafka');
    h.addService('pkg.Scoring', ['model']).addService('pkg.All');
    expect(h.servingStatus('nope')).toBe('SERVICE_UNKNOWN');
    h.setReady('model', true);
    expect(h.servingStatus('pkg.Scoring')).toBe('SERVING');
    expect(h.servingStatus('pkg.All')).toBe('NOT_SERVING');
    expect(h.servingStatus('')).toBe('NOT_SERVING');
    h.setReady('kafka', true);
    expect(h.servingStatus('')).toBe('SERVING');
  });

  it('turns everything NOT_SERVING once shutdown starts', () => {
    const h = new HealthRegistry().addComponent('model', { ready: true }).addService('pkg.S');
    h.markShuttingDown();
    expect(h.servingStatus('pkg.S')).toBe('NOT_SERVING');
    expect(h.servingStatus('')).toBe('NOT_SERVING');
    expect(h.readiness()).toMatchObject({ ready: false, shuttingDown: true });
  });

  it('notifies listeners on real changes only and can unsubscribe', () => {
    const h = new HealthRegistry().addComponent('model');
    const seen: boolean[] = [];
    const off = h.onChange(() => seen.push(h.isReady()));
    h.setReady('model', true);
    h.setReady('model', true);
    off();
    h.setReady('model', false);
    expect(seen).toEqual([true]);
  });

  it('rejects unknown or duplicate component names', () => {
    const h = new HealthRegistry().addComponent('model');
    expect(() => h.addComponent('model')).toThrow(RangeError);
    expect(() => h.setReady('modle', true)).toThrow(/unknown health component "modle"/);
    expect(() => h.addService('pkg.S', ['gpu'])).toThrow(/unknown component "gpu"/);
  });

  it('builds /healthz and /readyz answers', () => {
    const h = new HealthRegistry().addComponent('model', { detail: 'loading' });
    expect(livenessResponse().status).toBe(200);
    expect(readinessResponse(h)).toMatchObject({ status: 503, body: { status: 'not-ready', notReady: ['model'] } });
    h.setReady('model', true, 'cpu');
    expect(readinessResponse(h)).toMatchObject({ status: 200, body: { status: 'ready', notReady: [] } });
    h.markShuttingDown();
    expect(readinessResponse(h)).toMatchObject({ status: 503, body: { status: 'shutting-down' } });
  });
});
