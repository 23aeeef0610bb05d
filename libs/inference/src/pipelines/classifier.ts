import type { SubmitOptions } from '../batching/dynamic-batcher';
import { ModelFormatError } from '../errors';
import { TextModel, type TextModelOptions } from '../text-model';

export interface Prediction {
  /** Best label (classification) or every label above threshold joined by the caller (multi-label: see `labels`). */
  readonly label: string;
  readonly labels: readonly string[];
  readonly scores: Readonly<Record<string, number>>;
}

/** Fine-tuned classifiers whose fused graph outputs logits or probabilities. */
export class Classifier {
  private constructor(
    readonly model: TextModel,
    readonly labels: readonly string[],
    private readonly threshold: number,
  ) {}

  static async load(path: string, options: TextModelOptions & { multilabelThreshold?: number } = {}): Promise<Classifier> {
    const model = await TextModel.load(path, options);
    const { task } = model.dir.config;
    if (task === 'embedding' || !model.dir.labels) {
      await model.dispose();
      throw new ModelFormatError(`${path} is an embedding model with no labels; load it as an Encoder`);
    }
    return new Classifier(model, model.dir.labels, options.multilabelThreshold ?? 0.5);
  }

  static fromModel(model: TextModel): Classifier {
    if (!model.dir.labels) throw new ModelFormatError(`${model.dir.path} has no labels.json`);
    return new Classifier(model, model.dir.labels, 0.5);
  }

  async predict(texts: readonly string[], options?: SubmitOptions): Promise<Prediction[]> {
    const rows = await this.model.infer(texts, options);
    const multilabel = this.model.dir.config.task === 'multilabel';
    return rows.map((row) => {
      const scores: Record<string, number> = {};
      let best = 0;
      this.labels.forEach((l, i) => {
        scores[l] = row[i] as number;
        if ((row[i] as number) > (row[best] as number)) best = i;
      });
      const bestLabel = this.labels[best] as string;
      const labels = multilabel ? this.labels.filter((l) => (scores[l] as number) >= this.threshold) : [bestLabel];
      return { label: bestLabel, labels, scores };
    });
  }

  dispose(): Promise<void> {
    return this.model.dispose();
  }
}
