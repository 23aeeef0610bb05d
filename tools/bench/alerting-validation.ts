import { predictLogits } from '@tuneline/finetune';
import { softmax } from '@tuneline/inference';
import { alertingOptions, type AlertingOptions, type EntityMatcher, type TopicScorer } from '@tuneline/sentiment';
import type { LabelledSentence } from '../replay/synthesize';
import type { StreamTruth } from '../replay/truth';
import { chooseAlerting, type AlertingCandidate } from './alerting-candidates';
import { benchStream } from './bench-stream';
import { argmaxLabels, selectionParts, trainCandidate, type HeadCandidate } from './head-selection';
import { runAlerts, scoreStream, type ReplayedItem } from './sentiment-alert-replay';
import { entityAlertOf, labelMetrics, matchSurges } from './sentiment-quality-metrics';

/**
 * Alerting settings judged without the test part: the training part is split as head
 * selection splits it; the head trains on the fit part only, and a stream is synthesised
 * (another seed) from the selection part's texts, which that head never saw. Every item is
 * scored by the head on the base encoder's embeddings of its text (what the fused graph
 * computes in one pass), then each candidate setting runs over the same window events.
 */
export interface AlertingValidationInput {
  /** The training part, with its embeddings (row-major [rows × dim]). */
  readonly rows: readonly LabelledSentence[];
  readonly X: Float64Array;
  readonly dim: number;
  readonly labels: readonly string[];
  readonly head: HeadCandidate;
  readonly selectionFraction: number;
  readonly seed: number;
  /** Row-major embeddings of any texts, by the same base encoder. */
  readonly embed: (texts: readonly string[]) => Promise<Float64Array>;
  readonly matcher: EntityMatcher;
  readonly topics: TopicScorer;
  readonly stream: { readonly surgingEntities: readonly string[]; readonly steadyEntities: readonly string[]; readonly surgesPerEntity: number; readonly hours: number };
  readonly candidates: readonly AlertingCandidate[];
  readonly minPrecision: number;
  readonly log?: (m: string) => void;
}

export interface ValidationOutcome {
  readonly name: string;
  readonly overrides: Readonly<Partial<AlertingOptions>>;
  readonly recall: number;
  readonly precision: number;
  readonly alerts: number;
  readonly delayMedianSec: number | null;
}

export interface AlertingValidation {
  readonly streamSeed: number;
  readonly selectionRows: number;
  readonly items: number;
  readonly surges: number;
  /** The fit-only head on the selection rows themselves (no entity injected). */
  readonly model: { readonly accuracy: number; readonly macroF1: number; readonly negativeRecall: number };
  readonly outcomes: readonly ValidationOutcome[];
  readonly chosen: ValidationOutcome | undefined;
  /** The stream's truth and what each item became, for inspection. */
  readonly truth: StreamTruth;
  readonly scoredItems: readonly ReplayedItem[];
}

/** The validation stream's seed: not the test stream's, so its surges fall elsewhere. */
export const validationSeed = (seed: number) => seed + 1;

export async function validateAlerting(input: AlertingValidationInput): Promise<AlertingValidation> {
  const gold = input.rows.map((r) => r.label);
  const parts = selectionParts(gold, input.selectionFraction, input.seed);
  const res = trainCandidate({ X: input.X, dim: input.dim, labels: input.labels, gold }, parts, input.head, input.seed);
  const selectRows = parts.select.map((i) => input.rows[i] as LabelledSentence);
  const selX = new Float64Array(parts.select.length * input.dim);
  parts.select.forEach((r, i) => selX.set(input.X.subarray(r * input.dim, (r + 1) * input.dim), i * input.dim));
  const selMetrics = labelMetrics(selectRows.map((r) => r.label), argmaxLabels(predictLogits(res.head, selX, parts.select.length), input.labels), input.labels);

  const seed = validationSeed(input.seed);
  const { records, truth } = benchStream({ sentences: selectRows, ...input.stream, seed });
  input.log?.(`validation stream: ${records.length} items from ${selectRows.length} selection rows, ${truth.surges.length} surges (seed ${seed})`);
  const k = input.labels.length;
  const scored = await scoreStream(records, {
    model: 'validation', matcher: input.matcher, topics: input.topics,
    run: async (texts) => {
      const X = await input.embed(texts);
      const logits = predictLogits(res.head, X, texts.length);
      return {
        version: '1', labels: input.labels,
        rows: texts.map((_, i) => Float32Array.from(softmax(logits.subarray(i * k, (i + 1) * k), res.temperature))),
        embeddings: texts.map((_, i) => Float32Array.from(X.subarray(i * input.dim, (i + 1) * input.dim))),
      };
    },
    onProgress: (d, t) => { if (d % 2048 < 256 || d === t) input.log?.(`validation stream scored ${d}/${t}`); },
  });
  const outcomes = input.candidates.map((c): ValidationOutcome => {
    const run = runAlerts(scored.events, alertingOptions(c.overrides));
    const m = matchSurges(truth.surges, run.alerts.filter((a) => a.kind === 'entity').map(entityAlertOf));
    input.log?.(`alerting "${c.name}": recall ${m.recall.toFixed(3)} precision ${m.precision.toFixed(3)} (${m.alerts} alerts), median delay ${m.delayMedianSec ?? 'n/a'} s`);
    return { name: c.name, overrides: c.overrides, recall: m.recall, precision: m.precision, alerts: m.alerts, delayMedianSec: m.delayMedianSec };
  });
  return {
    streamSeed: seed, selectionRows: selectRows.length, items: records.length, surges: truth.surges.length,
    model: { accuracy: selMetrics.accuracy, macroF1: selMetrics.macroF1, negativeRecall: selMetrics.perClass['negative']?.recall ?? 0 },
    outcomes, chosen: chooseAlerting(outcomes, input.minPrecision), truth, scoredItems: scored.items,
  };
}
