import type { InferResult, ModelRepository } from '@tuneline/inference';
import { RepositoryIntentClassifier } from './repository-intent-classifier';

type Repo = Pick<ModelRepository, 'infer' | 'get' | 'currentVersion'>;

/** A repository serving one version whose result is `result`; `embeddingOutput` as its TextModel reports it. */
function repo(result: InferResult, embeddingOutput: string | undefined): Repo & { asked: unknown[] } {
  const asked: unknown[] = [];
  return {
    asked,
    currentVersion: () => result.version,
    get: () => ({ model: 'm', version: result.version, textModel: { embeddingOutput, dir: { labels: result.labels, card: result.card } } }) as unknown as ReturnType<Repo['get']>,
    infer: async (_model, _texts, options) => {
      asked.push(options);
      return result;
    },
  };
}

const card = { baseModel: { id: 'BAAI/bge-small-en-v1.5', sha256: 'base-sha' } };
const rows = [Float32Array.from([0.2, 0.8])];

describe('RepositoryIntentClassifier', () => {
  it('asks for embeddings and tags them with the version\'s base encoder checksum (model card)', async () => {
    const embeddings = [Float32Array.from([0.6, 0.8])];
    const r = repo({ version: '3', rows, labels: ['a', 'b'], embeddings, card }, 'sentence_embedding');
    const classifier = new RepositoryIntentClassifier(r, 'm');
    expect(classifier.encoderChecksum).toBe('base-sha');
    const [p] = await classifier.classify(['x']);
    expect(r.asked).toEqual([{ withEmbedding: true }]);
    expect(p).toMatchObject({ label: 'b', modelVersion: '3', encoderChecksum: 'base-sha', embedding: embeddings[0] });
  });

  it('leaves both out for a graph without the output or a version without a card', async () => {
    const noOutput = new RepositoryIntentClassifier(repo({ version: '1', rows, labels: ['a', 'b'], card }, undefined), 'm');
    expect(noOutput.encoderChecksum).toBeUndefined();
    const [p] = await noOutput.classify(['x']);
    expect(p).not.toHaveProperty('embedding');
    expect(p).not.toHaveProperty('encoderChecksum');
    const noCard = new RepositoryIntentClassifier(repo({ version: '2', rows, labels: ['a', 'b'], embeddings: [Float32Array.from([1, 0])] }, 'sentence_embedding'), 'm');
    expect(noCard.encoderChecksum).toBeUndefined();
    expect((await noCard.classify(['x']))[0]).not.toHaveProperty('embedding');
  });

  it('claims no base encoder for an encoder-tuned version (LoRA/top layers): its embeddings are its own, not the knowledge base\'s', async () => {
    const tuned = { ...card, encoderTuning: { method: 'lora', layers: 12 } };
    const classifier = new RepositoryIntentClassifier(repo({ version: '4', rows, labels: ['a', 'b'], embeddings: [Float32Array.from([1, 0])], card: tuned }, 'sentence_embedding'), 'm');
    expect(classifier.encoderChecksum).toBeUndefined();
    expect((await classifier.classify(['x']))[0]).not.toHaveProperty('encoderChecksum');
  });
});
