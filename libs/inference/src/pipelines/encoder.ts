import type { SubmitOptions } from '../batching/dynamic-batcher';
import { ModelFormatError } from '../errors';
import { TextModel, type TextModelOptions } from '../text-model';

/** Sentence embeddings: `embed(texts) → Float32Array[]`, pooled and normalised per the model config. */
export class Encoder {
  private constructor(readonly model: TextModel) {}

  static async load(path: string, options: TextModelOptions = {}): Promise<Encoder> {
    const model = await TextModel.load(path, options);
    if (model.dir.config.task !== 'embedding') {
      await model.dispose();
      throw new ModelFormatError(`${path} is a ${model.dir.config.task} model, not an encoder`);
    }
    return new Encoder(model);
  }

  static fromModel(model: TextModel): Encoder {
    return new Encoder(model);
  }

  embed(texts: readonly string[], options?: SubmitOptions): Promise<Float32Array[]> {
    return this.model.infer(texts, options);
  }

  dispose(): Promise<void> {
    return this.model.dispose();
  }
}
