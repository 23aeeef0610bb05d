import { createLogger, PlatformError } from '@tuneline/platform';
import { fakeEngine } from '../../test/fake-engine';
import { Admission } from './admission';
import { RecommenderService } from './recommender.service';

const logger = createLogger({ service: 'recommender-spec', level: 'silent' });

describe('RecommenderService and a cancelled call', () => {
  const setup = () => {
    const engine = fakeEngine();
    const admission = new Admission(2);
    return { engine, admission, service: new RecommenderService(engine, admission, { maxCandidates: 4, maxK: 10, defaultK: 5 }, logger, undefined) };
  };
  const cancelled = () => {
    const c = new AbortController();
    c.abort(new PlatformError('Cancelled by the client', 'CANCELLED'));
    return c.signal;
  };

  it('does not start a Rank or Recommend whose signal is already aborted: no engine call, the abort reason back', async () => {
    const { engine, service } = setup();
    await expect(service.rank({ userId: 'u', candidates: [{ itemId: 'm-1' }], signal: cancelled() })).rejects.toMatchObject({ code: 'CANCELLED' });
    await expect(service.recommend({ userId: 'u', signal: cancelled() })).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(engine.rankCalls).toHaveLength(0);
    expect(engine.recommendCalls).toHaveLength(0);
    // A live signal runs as usual.
    await service.rank({ userId: 'u', candidates: [{ itemId: 'm-1' }], signal: new AbortController().signal });
    expect(engine.rankCalls).toHaveLength(1);
  });
});
