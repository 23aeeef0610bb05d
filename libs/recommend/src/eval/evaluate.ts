import type { EvalTask } from './eval-task';
import { hitRateAtK, ndcgAtK, recallAtK } from './metrics';
import type { Scorer } from './scorer';
import { topK } from './top-k';

/** Means over the task's users (cold NDCG over the users with a cold relevant item). */
export interface EvalResult {
  readonly scorer: string;
  readonly users: number;
  readonly ndcg10: number;
  readonly hr10: number;
  readonly recall20: number;
  readonly coldUsers: number;
  /** NaN when no user has a cold relevant item. */
  readonly coldNdcg10: number;
}

/** Cut-offs of the metrics; the ranking is cut at the largest. */
const K_NDCG = 10;
const K_RECALL = 20;

/**
 * Ranks the whole catalog for every task user with `scorer` (training items excluded) and
 * averages NDCG@10, HR@10, Recall@20 and cold-item NDCG@10. `onUser`, if given, sees each
 * user's top 20 (for reports); it must not keep the array.
 */
export function evaluate(scorer: Scorer, task: EvalTask, onUser?: (userId: string, top: Int32Array) => void): EvalResult {
  const nItems = task.items.size;
  let ndcg = 0;
  let hr = 0;
  let recall = 0;
  let coldNdcg = 0;
  let coldUsers = 0;
  for (const user of task.users) {
    const scores = scorer.scoreUser(user.id);
    if (!(scores instanceof Float32Array) || scores.length !== nItems) {
      throw new RangeError(`${scorer.name}.scoreUser(${user.id}) must return a Float32Array of ${nItems} scores, got ${scores?.length ?? String(scores)}`);
    }
    const top = topK(scores, K_RECALL, user.seen);
    ndcg += ndcgAtK(top, user.relevant, K_NDCG);
    hr += hitRateAtK(top, user.relevant, K_NDCG);
    recall += recallAtK(top, user.relevant, K_RECALL);
    if (user.coldRelevant.length > 0) {
      coldNdcg += ndcgAtK(top, user.coldRelevant, K_NDCG);
      coldUsers++;
    }
    onUser?.(user.id, top);
  }
  const n = task.users.length;
  return {
    scorer: scorer.name,
    users: n,
    ndcg10: n ? ndcg / n : NaN,
    hr10: n ? hr / n : NaN,
    recall20: n ? recall / n : NaN,
    coldUsers,
    coldNdcg10: coldUsers ? coldNdcg / coldUsers : NaN,
  };
}
