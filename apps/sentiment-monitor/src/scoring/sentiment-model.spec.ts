import type { InferResult, LoadedVersion, RepositoryInferOptions } from '@tuneline/inference';
import type { TopicDefinition, TopicScorer } from '@tuneline/sentiment';
import { checkSentimentModel, encoderKeyOf, SentimentModel, type TopicScorerFactory } from './sentiment-model';

const LABELS = ['negative', 'neutral', 'positive'];
const TOPICS: TopicDefinition[] = [{ name: 'earnings', descriptions: ['results', 'guidance'] }];

/** A repository stand-in: each version has an encoder checksum; infer answers from the version served at the call. */
class FakeRepository {
  version = '1';
  encoders: Record<string, string | undefined> = { '1': 'enc-a', '2': 'enc-a', '3': 'enc-b' };
  calls: string[][] = [];
  /** Swaps to this version right after the next infer call computed its answer (a swap racing a run). */
  swapAfterNextCall: string | undefined;
  private readonly listeners: ((v: LoadedVersion) => void)[] = [];

  async infer(_model: string, texts: readonly string[], options: RepositoryInferOptions = {}): Promise<InferResult> {
    this.calls.push([...texts]);
    const version = this.version;
    const sha = this.encoders[version];
    const result: InferResult = {
      version,
      labels: LABELS,
      rows: texts.map(() => Float32Array.from([0.7, 0.2, 0.1])),
      ...(options.withEmbedding ? { embeddings: texts.map(() => Float32Array.from([1, 0])) } : {}),
      ...(sha ? { card: { baseModel: { sha256: sha } } } : {}),
    };
    if (this.swapAfterNextCall) {
      const next = this.swapAfterNextCall;
      this.swapAfterNextCall = undefined;
      this.swap(next);
    }
    return result;
  }

  onSwap(listener: (v: LoadedVersion) => void): void {
    this.listeners.push(listener);
  }

  swap(version: string): void {
    this.version = version;
    const sha = this.encoders[version];
    const textModel = { dir: { card: sha ? { baseModel: { sha256: sha } } : undefined } } as unknown as LoadedVersion['textModel'];
    for (const l of this.listeners) l({ model: 'fin', version, textModel });
  }
}

function factory(built: string[]): TopicScorerFactory {
  return async (topics, embed) => {
    await embed(topics.flatMap((t) => [...t.descriptions]));
    const id = `scorer-${built.length + 1}`;
    built.push(id);
    const scorer: TopicScorer = { method: 'embedding-similarity', score: () => [{ label: id, score: 1 }] };
    return scorer;
  };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('SentimentModel', () => {
  it('runs once per batch with embeddings and reads topics with the scorer of the run\'s encoder', async () => {
    const repo = new FakeRepository();
    const built: string[] = [];
    const model = new SentimentModel(repo, 'fin', TOPICS, factory(built));
    await model.warmUp();
    const run = await model.run(['a', 'b']);
    expect(run).toMatchObject({ model: 'fin', version: '1', modelVersion: 'fin@1', labels: LABELS });
    expect(run.rows).toHaveLength(2);
    expect(run.embeddings).toHaveLength(2);
    expect(run.topics.score(run.embeddings[0])[0]?.label).toBe('scorer-1');
    expect(built).toEqual(['scorer-1']);
    expect(repo.calls).toEqual([['results', 'guidance'], ['a', 'b']]);
  });

  it('keeps the descriptions\' embeddings across a swap on the same encoder and re-embeds them on a swap to another', async () => {
    const repo = new FakeRepository();
    const built: string[] = [];
    const model = new SentimentModel(repo, 'fin', TOPICS, factory(built));
    await model.warmUp();
    repo.swap('2');
    await flush();
    expect((await model.run(['x'])).topics.score(undefined)[0]?.label).toBe('scorer-1');
    repo.swap('3');
    await flush();
    expect(built).toEqual(['scorer-1', 'scorer-2']);
    const run = await model.run(['y']);
    expect(run.version).toBe('3');
    expect(run.topics.score(undefined)[0]?.label).toBe('scorer-2');
  });

  it('a run whose version is on an encoder without a scorer builds one first (a swap it had not heard of)', async () => {
    const repo = new FakeRepository();
    const built: string[] = [];
    const model = new SentimentModel(repo, 'fin', TOPICS, factory(built));
    await model.warmUp();
    repo.version = '3'; // no swap event: the first run on version 3 must not use enc-a's scorer
    const run = await model.run(['z']);
    expect(run.topics.score(undefined)[0]?.label).toBe('scorer-2');
  });

  it('retries when the version swaps between the run and the description embedding, and gives up retriably after repeated swaps', async () => {
    const repo = new FakeRepository();
    const model = new SentimentModel(repo, 'fin', TOPICS, factory([]));
    await model.warmUp();
    repo.version = '3';
    repo.swapAfterNextCall = '1'; // the run on v3 (enc-b); then the build embeds on v1 (enc-a, known) -> retry on v1
    const run = await model.run(['q']);
    expect(run.version).toBe('1');

    const flaky = new FakeRepository();
    flaky.encoders = {};
    let n = 0;
    flaky.infer = async (_m, texts, o) => ({ version: String(++n), labels: LABELS, rows: texts.map(() => Float32Array.from([1, 0, 0])), ...(o?.withEmbedding ? { embeddings: texts.map(() => Float32Array.from([1])) } : {}) });
    const unlucky = new SentimentModel(flaky, 'fin', TOPICS, factory([]));
    await expect(unlucky.run(['q'])).rejects.toMatchObject({ code: 'UNAVAILABLE', retriable: true });
  });
});

describe('SentimentModel signals', () => {
  it('passes the repository a signal of its own that follows the caller\'s (room for one listener per text)', async () => {
    const repo = new FakeRepository();
    const model = new SentimentModel(repo, 'fin', TOPICS, factory([]));
    await model.warmUp();
    const seen: (AbortSignal | undefined)[] = [];
    const infer = repo.infer.bind(repo);
    repo.infer = async (m, texts, o) => (seen.push(o?.signal), infer(m, texts, o));
    const caller = new AbortController();
    await model.run(Array.from({ length: 64 }, (_, i) => `t${i}`), { signal: caller.signal });
    const passed = seen[0];
    expect(passed).toBeDefined();
    expect(passed).not.toBe(caller.signal);
    expect(passed?.aborted).toBe(false);

    const second = new AbortController();
    let during: AbortSignal | undefined;
    repo.infer = async (m, texts, o) => {
      during = o?.signal;
      second.abort(new Error('stop'));
      return infer(m, texts, o);
    };
    await model.run(['x'], { signal: second.signal });
    expect(during?.aborted).toBe(true);
    expect(during?.reason).toEqual(new Error('stop'));
  });
});

describe('encoderKeyOf / checkSentimentModel', () => {
  it('keys by the card\'s base encoder checksum, else (no card, or an encoder-tuned version) by model and version', () => {
    expect(encoderKeyOf({ version: '4', card: { baseModel: { sha256: 'abc' } } }, 'fin')).toBe('abc');
    expect(encoderKeyOf({ version: '4' }, 'fin')).toBe('fin@4');
    // A LoRA / top-layers version merged trained weights into its encoder: its own key, whatever base it names.
    expect(encoderKeyOf({ version: '5', card: { baseModel: { sha256: 'abc' }, encoderTuning: { method: 'lora' } } }, 'fin')).toBe('fin@5');
  });

  const candidate = (labels: string[] | undefined, embeddingOutput: string | undefined) =>
    ({ model: 'fin', version: '2', textModel: { dir: { labels }, embeddingOutput } }) as unknown as LoadedVersion;

  it('accepts the three sentiment labels in any order with a sentence embedding output', () => {
    expect(() => checkSentimentModel(candidate(['positive', 'negative', 'neutral'], 'sentence_embedding'))).not.toThrow();
  });

  it('refuses other labels or a graph without sentence_embedding, naming the version', () => {
    expect(() => checkSentimentModel(candidate(['card', 'refund'], 'sentence_embedding'))).toThrow(/fin@2/);
    expect(() => checkSentimentModel(candidate(LABELS, undefined))).toThrow(/fin v2: the graph has no sentence_embedding/);
  });
});
