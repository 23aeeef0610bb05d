import { decideTurn, resolveIntent, type IntentPrediction, type PolicyDecision, type SupportOptions } from '@tuneline/support';

/**
 * Selective answering: the bot answers a turn only when the intent's top confidence reaches
 * a threshold and hands the rest on. Pure metrics over scored test turns, so the spec can
 * check them without a model.
 */

export interface ScoredTurn {
  /** The classifier's top probability. */
  readonly confidence: number;
  /** Whether the top label is the gold one. */
  readonly correct: boolean;
}

export interface SelectivePoint {
  readonly threshold: number;
  /** Share of turns with confidence >= threshold. */
  readonly coverage: number;
  /** Accuracy among those turns; 1 when none is answered (nothing answered wrongly). */
  readonly precision: number;
  readonly answered: number;
}

function checkTurns(turns: readonly ScoredTurn[]): void {
  if (turns.length === 0) throw new RangeError('no scored turns');
}

/** Coverage and precision of the turns answered at `threshold` (confidence >= threshold, as the policy compares). */
export function atThreshold(turns: readonly ScoredTurn[], threshold: number): SelectivePoint {
  checkTurns(turns);
  let answered = 0;
  let right = 0;
  for (const t of turns) {
    if (t.confidence >= threshold) {
      answered++;
      if (t.correct) right++;
    }
  }
  return { threshold, coverage: answered / turns.length, precision: answered ? right / answered : 1, answered };
}

/**
 * The whole curve: one point per distinct confidence (the thresholds where coverage changes),
 * highest threshold first, so coverage rises along the array.
 */
export function selectiveCurve(turns: readonly ScoredTurn[]): SelectivePoint[] {
  checkTurns(turns);
  const sorted = [...turns].sort((a, b) => b.confidence - a.confidence);
  const points: SelectivePoint[] = [];
  let right = 0;
  for (let i = 0; i < sorted.length; i++) {
    const t = sorted[i] as ScoredTurn;
    if (t.correct) right++;
    // Ties share one threshold: a threshold cannot answer half of a tie.
    const next = sorted[i + 1];
    if (next && next.confidence === t.confidence) continue;
    points.push({ threshold: t.confidence, coverage: (i + 1) / sorted.length, precision: right / (i + 1), answered: i + 1 });
  }
  return points;
}

/** Highest coverage whose answered turns reach `minPrecision` (0 when no threshold does), with its threshold. */
export function coverageAtPrecision(curve: readonly SelectivePoint[], minPrecision: number): { coverage: number; threshold: number | null } {
  let best: SelectivePoint | undefined;
  for (const p of curve) if (p.precision >= minPrecision && (!best || p.coverage > best.coverage)) best = p;
  return best ? { coverage: best.coverage, threshold: best.threshold } : { coverage: 0, threshold: null };
}

/** Precision at the highest threshold that still answers at least `minCoverage` of the turns. */
export function precisionAtCoverage(curve: readonly SelectivePoint[], minCoverage: number): { precision: number; coverage: number; threshold: number } {
  const p = curve.find((q) => q.coverage >= minCoverage) ?? curve[curve.length - 1];
  if (!p) throw new RangeError('empty curve');
  return { precision: p.precision, coverage: p.coverage, threshold: p.threshold };
}

/** The curve on a fixed threshold grid (0, 0.01, …, 1) for the JSON: small and comparable between runs. */
export function curveOnGrid(turns: readonly ScoredTurn[], steps = 100): SelectivePoint[] {
  return Array.from({ length: steps + 1 }, (_, i) => atThreshold(turns, i / steps));
}

export interface PolicyTurn {
  readonly text: string;
  readonly gold: string;
  readonly prediction: IntentPrediction;
}

export interface PolicyReplay {
  /** Turns the policy answered from the intent (template). */
  readonly answered: number;
  readonly answeredCorrect: number;
  readonly handedOff: number;
  readonly retrieval: number;
  readonly handoffReasons: Readonly<Record<string, number>>;
  readonly coverage: number;
  readonly precisionAnswered: number;
  readonly handoffRate: number;
}

/**
 * Each test text as the first turn of its own conversation through libs/support's policy
 * (resolveIntent + decideTurn): no knowledge base (no passages), every intent has a template,
 * no sentiment scorer, no human-request pattern. What it models is classifier-only selective
 * answering at the configured threshold; a retrieval hit would turn some handoffs into answers.
 */
export function replayPolicy(turns: readonly PolicyTurn[], options: SupportOptions): PolicyReplay {
  if (turns.length === 0) throw new RangeError('no turns');
  let answered = 0;
  let answeredCorrect = 0;
  let retrieval = 0;
  const reasons: Record<string, number> = {};
  for (const t of turns) {
    const intent = resolveIntent(t.prediction, t.text, undefined, options);
    const d: PolicyDecision = decideTurn({ intent, humanRequested: false, passages: [], hasTemplate: () => true, lowConfidenceStreak: 0 }, options);
    if (d.kind === 'template') {
      answered++;
      if (intent.label === t.gold) answeredCorrect++;
    } else if (d.kind === 'retrieval') {
      retrieval++;
    } else {
      reasons[d.reason] = (reasons[d.reason] ?? 0) + 1;
    }
  }
  const handedOff = Object.values(reasons).reduce((a, b) => a + b, 0);
  return {
    answered, answeredCorrect, handedOff, retrieval, handoffReasons: reasons,
    coverage: answered / turns.length, precisionAnswered: answered ? answeredCorrect / answered : 1, handoffRate: handedOff / turns.length,
  };
}
