import { TextModel } from './text-model';
import { fakeOrtSession, writeFakeModelDir } from './testing';

function gate() {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((r) => { open = r; });
  return { open, wait: () => opened };
}

describe('TextModel', () => {
  it('admits a multi-text request whole or refuses it whole, so no refused text runs', async () => {
    const g = gate();
    const fake = fakeOrtSession({ width: 4, beforeRun: () => g.wait() });
    const model = await TextModel.load(writeFakeModelDir(), {
      createSession: fake.createSession, executionProviders: ['cpu'], batching: { maxBatchSize: 1, maxQueueDelayMs: 0, maxQueueSize: 3 },
    });
    const running = model.infer(['a']);
    const queued = model.infer(['b', 'c']);
    await expect(model.infer(['d', 'hello'])).rejects.toMatchObject({ code: 'RESOURCE_EXHAUSTED' });
    expect(model.queueDepth).toBe(2);
    g.open();
    await expect(Promise.all([running, queued])).resolves.toHaveLength(2);
    await model.dispose();
    expect(fake.runs).toEqual([1, 1, 1]);
  });

  it('releases the native session when the warm-up run fails', async () => {
    const fake = fakeOrtSession({ width: 2, beforeRun: () => { throw new Error('CUDA out of memory'); } });
    await expect(TextModel.load(writeFakeModelDir({ labels: ['neg', 'pos'] }), { createSession: fake.createSession, executionProviders: ['cpu'] }))
      .rejects.toThrow(/CUDA out of memory/);
    expect(fake.runs).toEqual([1]);
    expect(fake.releases()).toBe(1);
  });

  it('releases the native session when the warm-up output does not match labels.json', async () => {
    const fake = fakeOrtSession({ width: 3 });
    await expect(TextModel.load(writeFakeModelDir({ labels: ['neg', 'pos'] }), { createSession: fake.createSession, executionProviders: ['cpu'] }))
      .rejects.toMatchObject({ code: 'FAILED_PRECONDITION', message: expect.stringMatching(/outputs 3 classes but labels.json has 2/) });
    expect(fake.releases()).toBe(1);
  });

  it('releases the native session when the batching options are invalid', async () => {
    const fake = fakeOrtSession({ width: 2 });
    await expect(TextModel.load(writeFakeModelDir(), { createSession: fake.createSession, executionProviders: ['cpu'], batching: { maxBatchSize: 0 } }))
      .rejects.toThrow(/maxBatchSize/);
    expect(fake.releases()).toBe(1);
  });

  it('dispose gives up on a hung run after its timeout and releases the session once the run ends', async () => {
    const g = gate();
    const fake = fakeOrtSession({ width: 4, beforeRun: () => g.wait() });
    const model = await TextModel.load(writeFakeModelDir(), { createSession: fake.createSession, executionProviders: ['cpu'] });
    const hung = model.infer(['a']);
    await expect(model.dispose({ timeoutMs: 20 })).rejects.toMatchObject({ code: 'DEADLINE_EXCEEDED' });
    expect(fake.releases()).toBe(0);
    g.open();
    await hung;
    await new Promise((r) => setImmediate(r));
    expect(fake.releases()).toBe(1);
  });
});
