import { createHash } from 'node:crypto';
import { trainFeatureHead, type FeatureHeadOptions, type FeatureHeadResult } from '@tuneline/finetune';
import { DEFAULT_CANDIDATE_OPTIONS, validateCandidateOptions, type CandidateOptions } from '../candidates/candidate-generator';
import type { ItemCatalog } from '../catalog/item-catalog';
import { isPositive } from '../collab/collaborative';
import type { Interaction } from '../data/catalog-item';
import { splitByUserTime } from '../data/temporal-split';
import { FEATURE_NAMES } from '../features/feature-names';
import { buildOfflineState, type OfflineState, type OfflineStateOptions } from './offline-state';
import { rankerRows } from './ranker-rows';

export interface FitTunelineOptions {
  /** Share of each user's latest interactions whose positives label the head's training rows. Default 0.2. */
  readonly labelFraction?: number;
  /** Share of the labelled users kept out of training for early stopping. Default 0.15. */
  readonly holdoutFraction?: number;
  readonly candidates?: Partial<CandidateOptions>;
  readonly head?: Partial<FeatureHeadOptions>;
  readonly state?: OfflineStateOptions;
  readonly log?: (message: string) => void;
}

export interface FitReport {
  readonly labelUsers: number;
  readonly trainRows: number;
  readonly validationRows: number;
  readonly candidateRecall: number;
  readonly validationAuc: number;
  readonly bestEpoch: number;
  readonly seconds: { readonly labelState: number; readonly rows: number; readonly head: number; readonly finalState: number };
}

export interface FitTunelineResult {
  readonly head: FeatureHeadResult;
  /** Built from every interaction: what serves (or is evaluated) next. */
  readonly state: OfflineState;
  readonly candidates: CandidateOptions;
  readonly report: FitReport;
}

/** Stable pseudo-random holdout membership by user id. */
function inHoldout(userId: string, fraction: number): boolean {
  return createHash('sha1').update(userId).digest().readUInt32LE(0) / 2 ** 32 < fraction;
}

/**
 * Trains Tuneline's ranking head on an interaction log with a temporal split inside it:
 * the features come from each user's earlier interactions (the first 80%), the labels from
 * what they liked next (the latest 20%); then rebuilds the state from the whole log. The
 * test part of an evaluation is never seen: pass only training interactions.
 */
export function fitTuneline(catalog: ItemCatalog, interactions: readonly Interaction[], options: FitTunelineOptions = {}): FitTunelineResult {
  const log = options.log ?? (() => undefined);
  const labelFraction = options.labelFraction ?? 0.2;
  const holdout = options.holdoutFraction ?? 0.15;
  if (!(holdout > 0 && holdout < 1)) throw new RangeError(`holdoutFraction must be in (0, 1), got ${String(holdout)}`);
  const candidates = validateCandidateOptions({ ...DEFAULT_CANDIDATE_OPTIONS, ...options.candidates });
  const t0 = performance.now();
  const { train: history, test: later } = splitByUserTime(interactions, { testFraction: labelFraction });
  const labelState = buildOfflineState(catalog, history, options.state);
  const t1 = performance.now();
  const positives = new Map<string, Set<number>>();
  for (const x of later) {
    if (!isPositive(x)) continue;
    const i = catalog.indexOf(x.itemId);
    if (i < 0) continue;
    if (labelState.profiles.get(x.userId)?.seen.some((s) => s.itemId === x.itemId)) continue;
    let set = positives.get(x.userId);
    if (!set) positives.set(x.userId, (set = new Set()));
    set.add(i);
  }
  const rows = rankerRows({ state: labelState, positives, candidates, isHoldout: (u) => inHoldout(u, holdout) });
  const t2 = performance.now();
  log(`ranker rows: ${rows.users} users, ${rows.train.n} training and ${rows.validation.n} validation rows, candidate recall ${rows.candidateRecall.toFixed(3)} (${((t2 - t0) / 1000).toFixed(1)} s)`);
  const head = trainFeatureHead({
    featureNames: FEATURE_NAMES, train: rows.train, validation: rows.validation, ...(options.head ? { options: options.head } : {}),
    onEpoch: (r, total) => log(`epoch ${r.epoch}/${total}: loss ${r.trainLoss.toFixed(4)}, validation AUC ${r.validationAuc.toFixed(4)}`),
  });
  const t3 = performance.now();
  const state = buildOfflineState(catalog, interactions, options.state);
  const t4 = performance.now();
  return {
    head, state, candidates,
    report: {
      labelUsers: rows.users, trainRows: rows.train.n, validationRows: rows.validation.n, candidateRecall: rows.candidateRecall,
      validationAuc: head.validationAuc, bestEpoch: head.bestEpoch,
      seconds: { labelState: (t1 - t0) / 1000, rows: (t2 - t1) / 1000, head: (t3 - t2) / 1000, finalState: (t4 - t3) / 1000 },
    },
  };
}
