/**
 * libs/support's IntentClassifier over libs/inference's ModelRepository: every call runs on
 * the version served now, so a hot swap (model.published) changes answers and `version`
 * without a restart. Predictions carry the fused graph's sentence embedding and the encoder
 * it was fine-tuned on (the version's model card `baseModel.sha256`), so the handler can
 * retrieve with it instead of a second encoder pass when that is the knowledge base's encoder.
 */
import { predictionsOf, type InferResult, type ModelRepository } from '@tuneline/inference';
import type { IntentClassifier, IntentPrediction } from '@tuneline/support';

/**
 * The model card's `baseModel.sha256`: the frozen encoder the classifier's graph starts with.
 * Undefined for an encoder-tuned version (`encoderTuning`: LoRA, top layers): its merged weights
 * make its embeddings its own, so they must not search a knowledge base the base embedded.
 */
export function baseModelChecksum(card: InferResult['card']): string | undefined {
  if (card?.['encoderTuning'] !== undefined) return undefined;
  const base = card?.['baseModel'];
  const sha = base && typeof base === 'object' ? (base as Record<string, unknown>)['sha256'] : undefined;
  return typeof sha === 'string' && sha ? sha : undefined;
}

export class RepositoryIntentClassifier implements IntentClassifier {
  constructor(
    private readonly repository: Pick<ModelRepository, 'infer' | 'get' | 'currentVersion'>,
    readonly name: string,
  ) {}

  /** Labels of the version served now (feedback's correctIntent must be one of them). */
  get labels(): readonly string[] | undefined {
    return this.repository.currentVersion(this.name) === undefined ? undefined : this.repository.get(this.name).textModel.dir.labels;
  }

  get version(): string {
    return this.repository.currentVersion(this.name) ?? '';
  }

  /** The served version's base encoder checksum, when its graph exposes the sentence embedding. */
  get encoderChecksum(): string | undefined {
    if (this.repository.currentVersion(this.name) === undefined) return undefined;
    const { textModel } = this.repository.get(this.name);
    return textModel.embeddingOutput ? baseModelChecksum(textModel.dir.card) : undefined;
  }

  /**
   * Rows, labels, embeddings, card and version all come from the one version `infer` ran on
   * (after a swap, the one it retried on), so a new version's scores never get the old
   * version's label names, nor its embeddings the old version's encoder checksum.
   */
  async classify(texts: readonly string[]): Promise<IntentPrediction[]> {
    const { version, rows, labels, embeddings, card } = await this.repository.infer(this.name, texts, { withEmbedding: true });
    if (!labels) throw new Error(`model ${this.name} version ${version} has no labels.json`);
    const encoderChecksum = embeddings ? baseModelChecksum(card) : undefined;
    return predictionsOf(rows, labels).map(({ label, scores }, i) => ({
      label,
      confidence: scores[label] ?? 0,
      scores,
      modelVersion: version,
      ...(encoderChecksum && embeddings?.[i] ? { embedding: embeddings[i], encoderChecksum } : {}),
    }));
  }
}
