import { TextModel } from './text-model';
import { fakeOrtSession, writeFakeModelDir } from './testing';
import { TextTokenizer } from './tokenizer/text-tokenizer';

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
    // Refused before any tokenising: shedding load must not cost the event loop the request's work.
    const encode = jest.spyOn(TextTokenizer.prototype, 'encode');
    await expect(model.infer(['d', 'hello'])).rejects.toMatchObject({ code: 'RESOURCE_EXHAUSTED' });
    expect(encode).not.toHaveBeenCalled();
    encode.mockRestore();
    expect(model.queueDepth).toBe(2);
    g.open();
    await expect(Promise.all([running, queued])).resolves.toHaveLength(2);
    await model.dispose();
    expect(fake.runs).toEqual([1, 1, 1]);
  });

  it('takes the provider\'s token budget per run unless one is configured (CPU: 512, the mixed-length sweep\'s best)', async () => {
    const fake = fakeOrtSession({ width: 2 });
    const byDefault = await TextModel.load(writeFakeModelDir(), { createSession: fake.createSession, executionProviders: ['cpu'] });
    expect(byDefault.batching).toMatchObject({ maxTokensPerBatch: 512, maxBatchSize: 8 });
    await byDefault.dispose();
    const configured = await TextModel.load(writeFakeModelDir(), { createSession: fake.createSession, executionProviders: ['cpu'], batching: { maxTokensPerBatch: 2048 } });
    expect(configured.batching.maxTokensPerBatch).toBe(2048);
    await configured.dispose();
  });

  it('raises a configured token budget below the model\'s max length to it, so a full-length text still runs (truncated, not refused)', async () => {
    const fake = fakeOrtSession({ width: 2 });
    const model = await TextModel.load(writeFakeModelDir(), { createSession: fake.createSession, executionProviders: ['cpu'], batching: { maxTokensPerBatch: 8 } });
    // The fake model's max length is 16 tokens.
    expect(model.batching.maxTokensPerBatch).toBe(16);
    const long = Array.from({ length: 40 }, (_, i) => (i % 2 ? 'hello' : 'world')).join(' ');
    await expect(model.infer([long])).resolves.toHaveLength(1);
    await model.dispose();
  });

  it('returns the fused graph\'s sentence embedding of each text, batched with the rows, when asked', async () => {
    const fake = fakeOrtSession({ width: 2, embeddingWidth: 3 });
    const model = await TextModel.load(writeFakeModelDir({ labels: ['neg', 'pos'] }), {
      createSession: fake.createSession, executionProviders: ['cpu'], batching: { maxQueueDelayMs: 5 },
    });
    expect(model.embeddingOutput).toBe('sentence_embedding');
    const [one, two] = await Promise.all([model.inferWithEmbeddings(['a', 'b']), model.inferWithEmbeddings(['c'])]);
    expect(fake.runs).toEqual([1, 3]); // warm-up, then both requests in one batch
    expect(one?.rows.map((r) => Array.from(r))).toEqual([[0.5, 0.5], [0.5, 0.5]]);
    expect(one?.embeddings?.map((e) => Array.from(e))).toEqual([[1, 1, 1], [2, 2, 2]]);
    expect(two?.embeddings?.map((e) => Array.from(e))).toEqual([[3, 3, 3]]);
    expect(await model.infer(['d'])).toHaveLength(1);
    await model.dispose();
  });

  it('has no embeddings for a graph without a sentence_embedding output (older model dirs, plain encoders)', async () => {
    const classifier = await TextModel.load(writeFakeModelDir({ labels: ['neg', 'pos'] }), { createSession: fakeOrtSession({ width: 2 }).createSession, executionProviders: ['cpu'] });
    expect(classifier.embeddingOutput).toBeUndefined();
    expect(await classifier.inferWithEmbeddings(['a'])).toEqual({ rows: [expect.any(Float32Array)], embeddings: undefined });
    await classifier.dispose();
    // An embedding model's graph is never read as a fused classifier, whatever its outputs.
    const encoder = await TextModel.load(writeFakeModelDir(), { createSession: fakeOrtSession({ width: 2, embeddingWidth: 2 }).createSession, executionProviders: ['cpu'] });
    expect(encoder.embeddingOutput).toBeUndefined();
    await encoder.dispose();
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
