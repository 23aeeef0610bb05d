import type { TaskRow } from '../data/task-rows';
import { buildExemplarSet, distinctExemplarRows } from '../export/exemplar-vote';
import type { FusedExemplars } from '../export/fuse-exemplars';
import type { ExemplarCard } from '../export/model-card';
import { ExemplarPlanError, MAX_EXEMPLARS, validateExemplarOptions, type ExemplarOptions } from '../train/exemplar-options';

/** Which training rows become exemplars, decided before any embedding is computed. */
export interface ExemplarPlan {
  readonly options: ExemplarOptions;
  /** Indices into the training rows (distinct text and label). */
  readonly rows: readonly number[];
  /** Class index of every training row. */
  readonly labelOf: readonly number[];
}

/**
 * Checks the exemplar option against the run now, not after minutes of embedding: single
 * label only, frozen-encoder method only (a tuned encoder would need its own embeddings of
 * the exemplars), k no larger than the distinct training rows, at most MAX_EXEMPLARS of them. Exemplars are the training
 * split only, so the validation metrics (and the fitted temperature) stay honest: a
 * validation text would otherwise find itself at cosine 1.
 */
export function planExemplars(options: ExemplarOptions | undefined, task: string, method: string, train: readonly TaskRow[], labels: readonly string[]): ExemplarPlan | undefined {
  if (!options) return undefined;
  validateExemplarOptions(options);
  if (task === 'multilabel') throw new ExemplarPlanError('exemplars: multi-label heads are not supported (the vote gives one distribution over the labels)');
  if (method !== 'head') throw new ExemplarPlanError(`exemplars: only the frozen-encoder head method is supported, not ${method}`);
  const index = new Map(labels.map((l, i) => [l, i]));
  const labelOf = train.map((r) => index.get(r.labels[0] as string) as number);
  const rows = distinctExemplarRows(train.map((r, i) => ({ text: r.text, label: labelOf[i] as number })));
  if (options.k > rows.length) throw new ExemplarPlanError(`exemplars.k (${options.k}) exceeds the ${rows.length} distinct training rows`);
  if (rows.length > MAX_EXEMPLARS) {
    throw new ExemplarPlanError(`exemplars: ${rows.length} distinct training rows exceed the ${MAX_EXEMPLARS} the graph may carry (model size and per-text cost grow with each); `
      + 'train without exemplars or on fewer rows');
  }
  return { options, rows, labelOf };
}

/** The exemplar set from the training rows' embeddings (the first train.length rows of X). */
export function exemplarsFromEmbeddings(plan: ExemplarPlan, X: Float64Array, dim: number, classes: number): FusedExemplars {
  return { set: buildExemplarSet(X, dim, plan.labelOf, plan.rows, classes), options: plan.options };
}

export function exemplarCard(e: FusedExemplars): ExemplarCard {
  return { ...e.options, count: e.set.count, bytes: 4 * e.set.count * (e.set.dim + e.set.classes) };
}
