/**
 * libs/support's IntentClassifier over libs/inference's ModelRepository: every call runs on
 * the version served now, so a hot swap (model.published) changes answers and `version`
 * without a restart.
 */
import { predictionsOf, type ModelRepository } from '@tuneline/inference';
import type { IntentClassifier, IntentPrediction } from '@tuneline/support';

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

  /**
   * Rows, labels and version all come from the one version `infer` ran on (after a swap, the
   * one it retried on), so a new version's scores never get the old version's label names.
   */
  async classify(texts: readonly string[]): Promise<IntentPrediction[]> {
    const { version, rows, labels } = await this.repository.infer(this.name, texts);
    if (!labels) throw new Error(`model ${this.name} version ${version} has no labels.json`);
    return predictionsOf(rows, labels).map(({ label, scores }) => ({ label, confidence: scores[label] ?? 0, scores, modelVersion: version }));
  }
}
