import { createHash } from 'node:crypto';
import { featureNormalization, groupNdcg, mergeFeatureHeads, trainFeatureHead, type FeatureHead, type FeatureHeadOptions } from '@tuneline/finetune';
import { DEFAULT_CANDIDATE_OPTIONS, validateCandidateOptions, type CandidateOptions } from '../candidates/candidate-generator';
import type { ItemCatalog } from '../catalog/item-catalog';
import { isPositive } from '../collab/collaborative';
import type { Interaction } from '../data/catalog-item';
import { splitByUserTime } from '../data/temporal-split';
import { FEATURE_NAMES, type FeatureName } from '../features/feature-names';
import { buildOfflineState, type OfflineState, type OfflineStateOptions } from './offline-state';
import { rankerRows, splitRows } from './ranker-rows';

export interface FitTunelineOptions {
  /** Share of each user's latest interactions whose positives label the head's training rows. Default 0.2. */
  readonly labelFraction?: number;
  /** Share of the labelled users kept out of each member's training for early stopping. Default 0.15. */
  readonly holdoutFraction?: number;
  /**
   * Heads trained, each with its own held-out users and seed, merged into one head that
   * outputs their mean score (one graph to serve). Default DEFAULT_ENSEMBLE (3): single
   * heads' validation NDCG@10 swung by ±4% between seeds (README).
   */
  readonly ensemble?: number;
  /**
   * Features the head must not read (ablations, or signals that do not carry over from the
   * training period): their columns are zeroed in the training rows and their input weights
   * zeroed in the trained head, so serving ignores them too.
   */
  readonly ignoreFeatures?: readonly FeatureName[];
  readonly candidates?: Partial<CandidateOptions>;
  readonly head?: Partial<FeatureHeadOptions>;
  readonly state?: OfflineStateOptions;
  readonly log?: (message: string) => void;
}

export interface FitReport {
  readonly labelUsers: number;
  readonly rows: number;
  readonly positives: number;
  readonly candidateRecall: number;
  /** Per ensemble member: its held-out users' AUC and NDCG@10 at the kept epoch. */
  readonly members: readonly {
    readonly validationAuc: number;
    readonly validationNdcg10: number;
    /** NDCG@10 of the same held-out candidates in EASE's order: what the head has to beat. */
    readonly easeOrderNdcg10: number;
    readonly bestEpoch: number;
  }[];
  readonly seconds: { readonly labelState: number; readonly rows: number; readonly head: number; readonly finalState: number };
}

export interface FitTunelineResult {
  readonly head: FeatureHead;
  /** Built from every interaction: what serves (or is evaluated) next. */
  readonly state: OfflineState;
  readonly candidates: CandidateOptions;
  readonly report: FitReport;
}

/**
 * The head's training, chosen on MovieLens validation (README): listwise softmax over each
 * user's candidates, 20 epochs, the last kept (choosing an epoch on ~90 held-out users picked
 * noise), an MLP of 32 hidden units. Validation NDCG@10: listwise 0.1425 (30 epochs: 0.1418),
 * a linear head 0.1338, pairwise BPR without the sequence feature 0.117–0.123; EASE 0.1219.
 */
export const TUNELINE_HEAD_OPTIONS: Partial<FeatureHeadOptions> = { head: 'mlp', hiddenDim: 32, loss: 'listwise', selectBy: 'last', epochs: 20, minSteps: 0 };
/** Heads averaged into the served one (each with its own held-out users and seed). */
export const DEFAULT_ENSEMBLE = 3;

/** Stable pseudo-random holdout membership by user id and ensemble member. */
function inHoldout(userId: string, member: number, fraction: number): boolean {
  return createHash('sha1').update(`${member}:${userId}`).digest().readUInt32LE(0) / 2 ** 32 < fraction;
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
  const built = rankerRows({ state: labelState, positives, candidates });
  const ignored = (options.ignoreFeatures ?? []).map((f) => {
    const j = FEATURE_NAMES.indexOf(f);
    if (j < 0) throw new RangeError(`ignoreFeatures: unknown feature ${String(f)}`);
    return j;
  });
  for (const j of ignored) for (let r = 0; r < built.rows.n; r++) built.rows.X[r * FEATURE_NAMES.length + j] = 0;
  const t2 = performance.now();
  const positiveRows = built.rows.labels.reduce((a, b) => a + b, 0);
  log(`ranker rows: ${built.groupUsers.length} users, ${built.rows.n} rows (${positiveRows} positive), candidate recall ${built.candidateRecall.toFixed(3)} (${((t2 - t0) / 1000).toFixed(1)} s)`);
  const ensemble = options.ensemble ?? DEFAULT_ENSEMBLE;
  if (!Number.isInteger(ensemble) || ensemble < 1) throw new RangeError(`ensemble must be a positive integer, got ${String(ensemble)}`);
  const normalization = featureNormalization(built.rows.X, built.rows.n, FEATURE_NAMES);
  const members: FitReport['members'][number][] = [];
  const heads: FeatureHead[] = [];
  for (let m = 0; m < ensemble; m++) {
    const { train, validation } = splitRows(built.rows, (g) => inHoldout(built.groupUsers[g] as string, m, holdout));
    const seed = (options.head?.seed ?? 42) + m;
    const r = trainFeatureHead({ featureNames: FEATURE_NAMES, train, validation, normalization, options: { ...TUNELINE_HEAD_OPTIONS, ...options.head, seed } });
    const easeRank = FEATURE_NAMES.indexOf('easeRank');
    const easeOrder = Float32Array.from({ length: validation.n }, (_, i) => -(validation.X[i * FEATURE_NAMES.length + easeRank] as number));
    const easeOrderNdcg10 = groupNdcg(easeOrder, validation.labels, validation.groups, 10);
    log(`head ${m + 1}/${ensemble}: epoch ${r.bestEpoch} kept, validation AUC ${r.validationAuc.toFixed(4)}, NDCG@10 ${r.validationNdcg10.toFixed(4)} (EASE's order: ${easeOrderNdcg10.toFixed(4)})`);
    members.push({ validationAuc: r.validationAuc, validationNdcg10: r.validationNdcg10, easeOrderNdcg10, bestEpoch: r.bestEpoch });
    heads.push(r);
  }
  const head = withoutInputs(mergeFeatureHeads(heads), ignored);
  const t3 = performance.now();
  const state = buildOfflineState(catalog, interactions, { ...options.state, sharedTextNeighbours: labelState.textNeighbours });
  const t4 = performance.now();
  return {
    head, state, candidates,
    report: {
      labelUsers: built.groupUsers.length, rows: built.rows.n, positives: positiveRows, candidateRecall: built.candidateRecall, members,
      seconds: { labelState: (t1 - t0) / 1000, rows: (t2 - t1) / 1000, head: (t3 - t2) / 1000, finalState: (t4 - t3) / 1000 },
    },
  };
}

/** The head with the input weights of columns `ignored` set to 0 (they were constant 0 in training). */
function withoutInputs(head: FeatureHead, ignored: readonly number[]): FeatureHead {
  if (ignored.length === 0) return head;
  const d = head.featureNames.length;
  const name = head.weights.kind === 'linear' ? 'W' : 'W1';
  const w = head.weights.tensors[name];
  if (!w) throw new RangeError(`head weights lack tensor ${name}`);
  const data = w.data.map((x, k) => (ignored.includes(k % d) ? 0 : x));
  return { ...head, weights: { ...head.weights, tensors: { ...head.weights.tensors, [name]: { shape: w.shape, data } } } };
}
