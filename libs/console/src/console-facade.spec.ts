import { AlertHub } from './alert-hub';
import { ConsoleFacade } from './console-facade';
import { ModelsTracker } from './models-tracker';
import { createFakeBackends } from './testing-fakes';

const until = async (cond: () => boolean, ms = 2_000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('ConsoleFacade', () => {
  const make = () => {
    const backends = createFakeBackends();
    const hub = new AlertHub({ backend: backends.sentiment, minBackoffMs: 5 });
    const models = new ModelsTracker();
    return { backends, hub, models, facade: new ConsoleFacade(backends, hub, models) };
  };

  it('status lists every service, down ones with the reason', async () => {
    const { backends, facade } = make();
    backends.down.add('recommender');
    const s = await facade.status();
    expect(s.services.map((x) => [x.service, x.up])).toEqual([
      ['support-chat', true],
      ['sentiment-monitor', true],
      ['recommender', false],
    ]);
    expect(s.services[2]?.detail).toContain('recommender is unavailable');
  });

  it('models view: probed versions, the version of the last chat answer, a down service marked, latest publish per model', async () => {
    const { backends, facade, models } = make();
    expect((await facade.modelsView()).served.find((x) => x.service === 'support-chat')).toEqual({
      service: 'support-chat',
      up: true,
      detail: 'version shown after its first answer through the console',
    });
    await facade.chat({ sessionId: 's1', text: 'hi' });
    backends.down.add('recommender');
    models.publish({ model: 'm', version: '1', task: 'classify', publishedAt: '2026-01-01T00:00:00.000Z', metrics: {} });
    models.publish({ model: 'm', version: '2', task: 'classify', publishedAt: '2026-01-02T00:00:00.000Z', metrics: { accuracy: 0.9 } });
    const view = await facade.modelsView();
    expect(view.served).toEqual([
      { service: 'support-chat', up: true, model: { name: 'support-intent', version: '2' } },
      { service: 'sentiment-monitor', up: true, model: { name: 'financial-sentiment', version: '1' } },
      // down: the last version seen is kept, with why it is down
      { service: 'recommender', up: false, model: { name: 'recommend-ranker', version: '1' }, detail: 'recommender is down: recommender is unavailable: connect ECONNREFUSED' },
    ]);
    expect(view.published).toEqual([{ model: 'm', version: '2', task: 'classify', publishedAt: '2026-01-02T00:00:00.000Z', metrics: { accuracy: 0.9 } }]);
  });

  it('refuses an alert stream while sentiment-monitor is down, naming it', async () => {
    const { backends, facade, hub } = make();
    backends.down.add('sentiment-monitor');
    await expect(facade.ensureAlertsUp()).rejects.toThrow('sentiment-monitor is unavailable: connect ECONNREFUSED');
    backends.down.delete('sentiment-monitor');
    hub.start();
    await until(() => hub.state().up);
    await expect(facade.ensureAlertsUp()).resolves.toBeUndefined();
    await hub.stop();
  });

  it('adds the current window to the entity series', async () => {
    const { facade } = make();
    expect(await facade.series('ACME')).toEqual({ entity: 'ACME', points: [{ at: '2026-01-01T12:00:00.000Z', negativeShare: 0.5, total: 4, source: 'window' }] });
  });
});
