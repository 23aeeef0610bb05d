import { TextModel, type TextModelOptions } from '../text-model';
import { Classifier } from './classifier';
import { Encoder } from './encoder';

/**
 * Task registry in the manner of transformers.js pipelines: a table, not a switch.
 * The model directory's `task` picks the handler when the caller does not.
 */
export const TASKS = {
  'feature-extraction': { handler: (m: TextModel) => Encoder.fromModel(m) },
  'text-classification': { handler: (m: TextModel) => Classifier.fromModel(m) },
} as const;

export type TaskName = keyof typeof TASKS;

export const TASK_ALIASES: Readonly<Record<string, TaskName>> = {
  embedding: 'feature-extraction',
  embeddings: 'feature-extraction',
  classification: 'text-classification',
  multilabel: 'text-classification',
};

export type Pipeline = Encoder | Classifier;

export async function createPipeline(path: string, options: TextModelOptions & { task?: string } = {}): Promise<Pipeline> {
  const model = await TextModel.load(path, options);
  const requested = options.task ?? model.dir.config.task;
  const task = (requested in TASKS ? requested : TASK_ALIASES[requested]) as TaskName | undefined;
  if (!task) {
    await model.dispose();
    throw new RangeError(`unknown task "${requested}"; expected one of ${Object.keys(TASKS).join(', ')}`);
  }
  return TASKS[task].handler(model);
}
