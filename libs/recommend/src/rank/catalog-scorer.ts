import { compileFeatureHead, scoreFeatureRows, type FeatureHead } from '@tuneline/finetune';
import { generateCandidates, type CandidateOptions } from '../candidates/candidate-generator';
import type { Scorer } from '../eval/scorer';
import { COLD_BELOW, FEATURE_NAMES } from '../features/feature-names';
import { boostMatches } from '../rules/apply-rules';
import { DEFAULT_RULES, type BoostRule } from '../rules/rules-config';
import { seenIndices, type OfflineState } from './offline-state';

/** Score of an item retrieval did not propose: below every candidate, so full rankings start with the head's order. */
export const NOT_RETRIEVED_SCORE = -1e9;

/**
 * Tuneline as an evaluation Scorer: for each user (as of their last event) retrieval
 * proposes candidates, the head scores them (TypeScript copy of the served graph), and
 * every other item gets NOT_RETRIEVED_SCORE. The boosts of the business rules (default:
 * DEFAULT_RULES', the cold-item boost) apply as in Recommender; filtering seen items is the
 * evaluation's job, and diversity is left out. Scores are computed for all `userIds` up front
 * in one time sweep, then served from memory.
 */
export class CatalogScorer implements Scorer {
  readonly name = 'tuneline';
  private readonly scores = new Map<string, Float32Array>();

  constructor(state: OfflineState, head: FeatureHead, candidates: CandidateOptions, userIds: readonly string[], boosts: readonly BoostRule[] = DEFAULT_RULES.boosts) {
    if (head.featureNames.join() !== FEATURE_NAMES.join()) throw new RangeError(`head reads ${head.featureNames.join(', ')}, not FEATURE_NAMES`);
    const compiled = compileFeatureHead(head);
    const n = state.catalog.size;
    state.forUsersInTime(userIds, (userId, user, extractor) => {
      const { items } = generateCandidates(user, state.popularity, n, seenIndices(user.profile, state.catalog), candidates);
      const rows = extractor.rows(user, items);
      const s = scoreFeatureRows(compiled, rows, items.length);
      const out = new Float32Array(n).fill(NOT_RETRIEVED_SCORE);
      for (let r = 0; r < items.length; r++) {
        const i = items[r] as number;
        let score = s[r] as number;
        for (const b of boosts) if (boostMatches(b, state.catalog.itemAt(i), state.popularity.countOf(i), { coldBelow: COLD_BELOW, now: user.now })) score += b.add;
        out[i] = score;
      }
      this.scores.set(userId, out);
    });
  }

  scoreUser(userId: string): Float32Array {
    const s = this.scores.get(userId);
    if (!s) throw new RangeError(`user ${userId} was not scored (pass it in userIds)`);
    return s;
  }
}
