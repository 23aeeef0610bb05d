import type { UserItemMatrix } from '../data/user-item-matrix';
import type { EvalTask } from '../eval/eval-task';
import { evaluate } from '../eval/evaluate';
import { EaseScorer, type EaseSolver } from './ease';

/** λ values tried by default: log-spaced around the optimum found on MovieLens small (README). */
export const DEFAULT_EASE_LAMBDAS: readonly number[] = [10, 25, 50, 100, 200, 400, 800, 1600];

export interface LambdaPoint {
  readonly lambda: number;
  readonly ndcg10: number;
  readonly hr10: number;
  readonly recall20: number;
}

export interface LambdaSearch {
  /** The λ with the highest validation NDCG@10 (the first of equals, in grid order). */
  readonly best: number;
  readonly points: readonly LambdaPoint[];
}

/** Fits EASE on `fit` for every λ in `lambdas` and scores each on the validation task. */
export function tuneEaseLambda(fit: UserItemMatrix, validation: EvalTask, lambdas: readonly number[] = DEFAULT_EASE_LAMBDAS, solver: EaseSolver = 'auto'): LambdaSearch {
  if (!Array.isArray(lambdas) || lambdas.length === 0) throw new RangeError('lambdas must be a non-empty list');
  const points: LambdaPoint[] = [];
  let best: LambdaPoint | undefined;
  for (const lambda of lambdas) {
    const r = evaluate(EaseScorer.fit(fit, { lambda, solver }), validation);
    const point = { lambda, ndcg10: r.ndcg10, hr10: r.hr10, recall20: r.recall20 };
    points.push(point);
    if (!best || point.ndcg10 > best.ndcg10) best = point;
  }
  return { best: (best as LambdaPoint).lambda, points };
}
