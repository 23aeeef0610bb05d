/**
 * libs/support's IntentClassifier over libs/inference's ModelRepository: every call runs on
 * the version served now, so a hot swap (model.published) changes answers and `version`
 * without a restart.
 */
import type { ModelRepository } from '@tuneline/inference';
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

  async classify(texts: readonly string[]): Promise<IntentPrediction[]> {
    const labels = this.repository.get(this.name).textModel.dir.labels;
    if (!labels) throw new Error(`model ${this.name} has no labels.json`);
    const { rows } = await this.repository.infer(this.name, texts);
    return rows.map((row) => {
      const scores: Record<string, number> = {};
      let best = 0;
      labels.forEach((label, i) => {
        scores[label] = row[i] ?? 0;
        if ((row[i] ?? 0) > (row[best] ?? 0)) best = i;
      });
      return { label: labels[best] ?? '', confidence: row[best] ?? 0, scores };
    });
  }
}
