/**
 * Sentiment monitor quality (issue 12). Two figures, one trained model:
 * 1. the financial-sentiment classifier: finetune() on the training part (head chosen on a
 *    validation part carved from it with --head auto), the test part scored through the fused
 *    model.onnx (libs/finetune predictTexts → libs/inference Classifier);
 * 2. the alerting: a news.raw stream synthesised from the TEST texts by tools/replay (entities
 *    injected, negative surges at planned times, fixed seed), every item scored by the trained
 *    model (its predictions, not the gold labels: model error is part of the figure; the model
 *    reads the text with the watch-listed names masked, ADR 0024) and run through libs/sentiment's
 *    scoreItems → windowEventsOf → AlertEngine, as the service does. To re-run only the alerting
 *    over this run's cached scored items (no model): tools/bench/alerting-from-cache.ts.
 *   npx tsx --tsconfig tools/tsconfig.json tools/bench/sentiment-quality.ts [--train FILE --test FILE] (--help for the flags)
 * Merges its keys into docs/benchmarks/sentiment-monitor.json (a throughput bench adds its own).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { EmbeddingCache, embedTexts, finetune, predictTexts, stratifiedSplit, type TrainOptions } from '@tuneline/finetune';
import { Classifier, Encoder, loadModelDir, resolveModelDir, sha256File } from '@tuneline/inference';
import {
  alertingOptions,
  createSimilarityTopicScorer,
  EntityMatcher,
  loadTopicsFile,
  loadWatchListFile,
  type SentimentAlert,
  type WatchEntity,
} from '@tuneline/sentiment';
import { toCorpus } from '../replay/corpus';
import { SYNTH_DEFAULTS, type LabelledSentence } from '../replay/synthesize';
import { ALERTING_CANDIDATES } from './alerting-candidates';
import { validateAlerting, type AlertingValidation } from './alerting-validation';
import { BENCH_SURGE_SHAPE, benchStream } from './bench-stream';
import { machineLabel, runCli } from './bench-cli';
import { mergeBenchJson, SENTIMENT_MONITOR_QUALITY_KEYS } from './bench-json';
import { HEAD_CANDIDATES, HEAD_SELECTION_FRACTION, selectHead, type HeadCandidate, type HeadSelection } from './head-selection';
import { loadLabelled, type LabelledSpec } from './labelled-data';
import { replayAlerts, runAlerts, type ReplayedItem } from './sentiment-alert-replay';
import { entityAlertOf, labelMetrics, matchSurges, median, recallBy, surgeOrdinals, type LabelMetrics, type SurgeOutcome, type SurgeWindow } from './sentiment-quality-metrics';
import { sentimentQualityOptions } from './sentiment-quality-options';
import { round } from './stats';
import { encoderTuningSummary, trainedModel } from './trained-model';

const MODEL_NAME = 'financial-sentiment';
/** The labels scoreItems reads by name. */
const LABELS = ['negative', 'neutral', 'positive'] as const;
const MINUTE = 60_000;
/** The issue's precision target (recall ≥ 0.95 is the other): the floor when choosing an alerting setting. */
const TARGET_PRECISION = 0.9;
/** Where the stream, its truth and the alerts of the last run are kept for inspection. */
const ARTIFACTS = '.cache/bench/sentiment-quality';

const root = process.cwd();
const opts = runCli((argv) => sentimentQualityOptions(argv, root));
const log = (m: string) => process.stderr.write(`[sentiment-quality] ${m}\n`);
const r4 = (x: number) => round(x, 4);

function corpusOf(spec: LabelledSpec): LabelledSentence[] {
  const rows = loadLabelled(spec);
  // toCorpus refuses any label but negative/neutral/positive, naming the record.
  return toCorpus(rows, spec.file).filter((s) => s.text !== '');
}

/** The base encoder with the embedding cache finetune() uses (same key), so its own pass reads these vectors back. */
interface Embedder {
  readonly dim: number;
  embed(texts: readonly string[]): Promise<Float64Array>;
  dispose(): Promise<void>;
}

async function openEmbedder(baseDir: string): Promise<Embedder> {
  const base = await loadModelDir(baseDir);
  const sha = typeof base.config.source['sha256'] === 'string' ? (base.config.source['sha256'] as string) : await sha256File(base.onnxPath);
  const encoder = await Encoder.load(baseDir);
  const [probe] = await encoder.embed(['dimension probe']);
  const dim = (probe as Float32Array).length;
  const cache = await EmbeddingCache.open(resolve(root, opts.cache), sha, dim);
  return {
    dim,
    async embed(texts) {
      const { X, stats } = await embedTexts(encoder, texts, dim, cache);
      if (stats.encoded > 0) log(`embeddings: ${stats.unique} unique texts, ${stats.cacheHits} from cache, ${stats.encoded} encoded in ${stats.seconds.toFixed(1)} s`);
      return X;
    },
    dispose: () => encoder.dispose(),
  };
}

function perClassOf(m: LabelMetrics): Record<string, { precision: number; recall: number; f1: number; support: number }> {
  return Object.fromEntries(Object.entries(m.perClass).map(([l, c]) => [l, { precision: r4(c.precision), recall: r4(c.recall), f1: r4(c.f1), support: c.support }]));
}

/** The service's watch-list: the sample entries for the sample names, bare names for the rest. */
function watchListFor(entities: readonly string[]): WatchEntity[] {
  const sample = new Map(loadWatchListFile().map((w) => [w.name, w]));
  return entities.map((name) => sample.get(name) ?? { name });
}

/** Model-predicted negatives among an entity's items in [fromMs, toMs). */
function predictedIn(items: readonly ReplayedItem[], entity: string, fromMs: number, toMs: number): { items: number; negatives: number } {
  let n = 0;
  let neg = 0;
  for (const it of items) {
    if (it.eventTimeMs < fromMs || it.eventTimeMs >= toMs || !it.entities.includes(entity)) continue;
    n++;
    if (it.sentiment === 'negative') neg++;
  }
  return { items: n, negatives: neg };
}

async function main(): Promise<void> {
  const started = new Date();
  const all = corpusOf(opts.train);
  const split = opts.test ? { train: all, validation: corpusOf(opts.test) } : stratifiedSplit(all, (r) => r.label, opts.split, opts.seed);
  const train: LabelledSentence[] = split.train;
  const test: LabelledSentence[] = split.validation;
  log(`train ${train.length} rows (${relative(root, opts.train.file)}), test ${test.length} rows${opts.test ? ` (${relative(root, opts.test.file)})` : ` (held-out ${opts.split}, seed ${opts.seed})`}`);
  // --model brings its own base (its card says which); no other base is needed.
  const baseDir = opts.model ? '' : resolveModelDir(opts.base, process.env);

  // 1a. The head: compared on a part of the training rows, never on the test rows.
  let selection: HeadSelection | undefined;
  let validation: AlertingValidation | undefined;
  let head: HeadCandidate | undefined = HEAD_CANDIDATES.find((c) => c.name === opts.head);
  const entities = [...opts.surgingEntities, ...opts.steadyEntities];
  const matcher = new EntityMatcher(watchListFor(entities));
  if (!opts.model && opts.method === 'head' && (opts.head === 'auto' || opts.validateAlerting)) {
    const embedder = await openEmbedder(baseDir);
    try {
      const X = await embedder.embed(train.map((r) => r.text));
      const data = { X, dim: embedder.dim, labels: LABELS, gold: train.map((r) => r.label) };
      if (opts.head === 'auto') {
        selection = selectHead(data, HEAD_CANDIDATES, { selectionFraction: HEAD_SELECTION_FRACTION, seed: opts.seed, log });
        head = selection.best;
        log(`chosen head: ${head.name}`);
      }
      // 1a'. Alerting settings on a stream from the selection part (optional).
      if (opts.validateAlerting && head) {
        const embed32 = async (texts: string[]) => {
          const V = await embedder.embed(texts);
          return texts.map((_, i) => Float32Array.from(V.subarray(i * embedder.dim, (i + 1) * embedder.dim)));
        };
        validation = await validateAlerting({
          rows: train, X, dim: embedder.dim, labels: LABELS, head, selectionFraction: HEAD_SELECTION_FRACTION, seed: opts.seed,
          embed: (texts) => embedder.embed(texts), matcher, topics: await createSimilarityTopicScorer(loadTopicsFile(), embed32),
          stream: { surgingEntities: opts.surgingEntities, steadyEntities: opts.steadyEntities, surgesPerEntity: opts.surgesPerEntity, hours: opts.hours },
          candidates: ALERTING_CANDIDATES, minPrecision: TARGET_PRECISION, log,
        });
        log(`alerting validation: ${validation.chosen ? `best "${validation.chosen.name}"` : `no setting reaches precision ${TARGET_PRECISION}`}`);
      }
    } finally {
      await embedder.dispose();
    }
  }
  if (!head && !opts.model && opts.method === 'head') throw new RangeError(`head: no candidate named "${opts.head}"`);
  // lora / top-layers train their own linear head with the encoder (library defaults).
  const trainOptions: Partial<TrainOptions> = opts.method === 'head' && head ? head.options : {};

  const work = mkdtempSync(join(tmpdir(), 'sentiment-quality-'));
  try {
    // 1b. The model, trained on the whole training part.
    const trainFile = join(work, 'train.jsonl');
    writeFileSync(trainFile, train.map((r) => JSON.stringify({ text: r.text, label: r.label })).join('\n') + '\n');
    const t0 = performance.now();
    const res = opts.model ? await trainedModel(opts.model, trainFile, train.length) : await finetune({
      task: 'classify', dataFile: trainFile, baseModelDir: baseDir, repo: join(work, 'repo'), name: MODEL_NAME, cacheRoot: resolve(root, opts.cache),
      train: { ...trainOptions, seed: opts.seed }, ...(opts.method === 'head' ? {} : { method: opts.method }), log,
    });
    // --model: no training in this run; the card's time (another run, its own machine load) is reported apart.
    const trainSeconds = opts.model ? res.card.training.seconds : (performance.now() - t0) / 1000;
    const method = res.card.encoderTuning?.method ?? 'head';
    log(`${opts.model ? `model ${opts.model} (trained on this training part)` : 'trained'}: ${method === 'head' ? `${res.card.hyperParameters.head} head` : `${method}${opts.model ? '' : ' (library defaults)'}`}, `
      + `${trainSeconds.toFixed(1)} s (${res.card.training.epochsRun} epochs)`);

    // 1c. The test part through the fused graph.
    const t1 = performance.now();
    const predictions = await predictTexts(res.dir, test.map((r) => r.text), { onProgress: (d, t) => log(`test scored ${d}/${t}`) });
    const fpb = labelMetrics(test.map((r) => r.label), predictions.map((p) => p.label), res.labels);
    const testSeconds = (performance.now() - t1) / 1000;
    log(`test accuracy ${fpb.accuracy.toFixed(4)} macro-F1 ${fpb.macroF1.toFixed(4)}`);

    // 2a. The stream, from the test texts only.
    const stream = benchStream({ sentences: test, surgingEntities: opts.surgingEntities, steadyEntities: opts.steadyEntities, surgesPerEntity: opts.surgesPerEntity, hours: opts.hours, seed: opts.seed });
    const { records, truth } = stream;
    log(`stream: ${records.length} items, ${entities.length} entities, ${truth.surges.length} surges over ${opts.hours} h`);

    // 2b. Every item through the trained model and the alerting, as the service runs them.
    const clf = await Classifier.load(res.dir);
    let replay;
    const t2 = performance.now();
    try {
      const infer = async (texts: readonly string[]) => {
        const out = await clf.model.inferWithEmbeddings(texts);
        if (!out.embeddings) throw new TypeError(`${res.dir}: the fused graph has no sentence_embedding output`);
        return { rows: out.rows, embeddings: out.embeddings };
      };
      const topics = await createSimilarityTopicScorer(loadTopicsFile(), async (texts) => (await infer(texts)).embeddings);
      replay = await replayAlerts(records, {
        model: MODEL_NAME, run: async (texts) => ({ version: res.version, labels: clf.labels, ...(await infer(texts)) }),
        matcher, topics, alerting: opts.alerting,
        onProgress: (d, t) => { if (d % 1024 < 256 || d === t) log(`stream scored ${d}/${t}`); },
      });
    } finally {
      await clf.dispose();
    }
    const streamSeconds = (performance.now() - t2) / 1000;

    // 2c. Matching the entity alerts with the injected surges.
    const surges: SurgeWindow[] = truth.surges.map((s) => ({ entity: s.entity, startMs: s.startMs, endMs: s.endMs }));
    const entityAlerts = replay.alerts.filter((a) => a.kind === 'entity');
    const topicAlerts = replay.alerts.filter((a) => a.kind === 'topic');
    const m = matchSurges(surges, entityAlerts.map(entityAlertOf));
    const byId = new Map(replay.alerts.map((a) => [a.alertId, a]));
    const ordinals = surgeOrdinals(m.perSurge);
    const lengthBand = (o: SurgeOutcome) => {
      const min = (o.surge.endMs - o.surge.startMs) / MINUTE;
      return min < 27 ? '20-26 min' : min < 34 ? '27-33 min' : '34-40 min';
    };
    // The setting validation chose, on the same scored test items (one run; reported, not used for the flat keys).
    const chosenOnTest = validation?.chosen && Object.keys(validation.chosen.overrides).length > 0 ? (() => {
      const run = runAlerts(replay.events, alertingOptions(validation.chosen.overrides));
      const c = matchSurges(surges, run.alerts.filter((a) => a.kind === 'entity').map(entityAlertOf));
      return { name: validation.chosen.name, overrides: validation.chosen.overrides, recall: r4(c.recall), precision: r4(c.precision), alerts: c.alerts,
        delayMedianSec: c.delayMedianSec === null ? null : round(c.delayMedianSec, 1), topicAlerts: run.alerts.length - c.alerts };
    })() : undefined;
    const delays = m.perSurge.filter((o) => o.delaySec !== null).map((o) => o.delaySec as number);
    const surgeMs = Math.min(...surges.map((s) => s.startMs));
    const topicDuringSurge = topicAlerts.filter((a) => surges.some((s) => Date.parse(a.windowStart) < s.endMs && s.startMs < Date.parse(a.windowEnd))).length;
    const goldSurge = truth.surges.reduce((acc, s) => ({ items: acc.items + s.items, negatives: acc.negatives + s.negatives }), { items: 0, negatives: 0 });
    const predSurge = truth.surges.reduce((acc, s) => {
      const p = predictedIn(replay.items, s.entity, s.startMs, s.endMs);
      return { items: acc.items + p.items, negatives: acc.negatives + p.negatives };
    }, { items: 0, negatives: 0 });
    const goldAll = Object.values(truth.entities).reduce((acc, c) => ({ items: acc.items + c.items, negatives: acc.negatives + c.negatives }), { items: 0, negatives: 0 });
    const predAll = replay.items.filter((it) => it.entities.some((e) => entities.includes(e)));
    const predAllNeg = predAll.filter((it) => it.sentiment === 'negative').length;
    const calmGold = { items: goldAll.items - goldSurge.items, negatives: goldAll.negatives - goldSurge.negatives };
    const calmPred = { items: predAll.length - predSurge.items, negatives: predAllNeg - predSurge.negatives };
    const count = <K extends string>(xs: readonly SentimentAlert[], f: (a: SentimentAlert) => K) => xs.reduce<Record<string, number>>((acc, a) => ({ ...acc, [f(a)]: (acc[f(a)] ?? 0) + 1 }), {});

    const out = resolve(root, ARTIFACTS);
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'stream.jsonl'), records.map((r) => JSON.stringify(r)).join('\n') + '\n');
    writeFileSync(join(out, 'truth.json'), JSON.stringify(truth, null, 2) + '\n');
    writeFileSync(join(out, 'alerts.jsonl'), replay.alerts.map((a) => JSON.stringify(a)).join('\n') + '\n');
    writeFileSync(join(out, 'items.jsonl'), replay.items.map((it) => JSON.stringify(it)).join('\n') + '\n');
    if (validation) {
      writeFileSync(join(out, 'validation-truth.json'), JSON.stringify(validation.truth, null, 2) + '\n');
      writeFileSync(join(out, 'validation-items.jsonl'), validation.scoredItems.map((it) => JSON.stringify(it)).join('\n') + '\n');
    }

    const flat: Record<string, number> = {
      fpbAccuracy: r4(fpb.accuracy), fpbMacroF1: r4(fpb.macroF1), surgeRecall: r4(m.recall), surgePrecision: r4(m.precision),
      ...(m.delayMedianSec === null ? {} : { detectionDelayMedianSec: round(m.delayMedianSec, 1) }),
    };
    const alertSummary = (a: SentimentAlert) => ({
      entity: a.name, windowStart: a.windowStart, eventTime: a.eventTime, rule: a.rule, severity: a.severity,
      totalCount: a.totalCount, negativeCount: a.negativeCount, zScore: round(a.zScore, 2), volumeZScore: round(a.volumeZScore, 2),
    });
    const command = `npx tsx --tsconfig tools/tsconfig.json tools/bench/sentiment-quality.ts ${opts.flags}`;
    const text = mergeBenchJson(resolve(root, opts.out), {
      part: 'quality', command, date: started.toISOString(), machine: machineLabel(), flat,
      nested: {
        details: {
          quality: {
            dataset: opts.test ? { train: relative(root, opts.train.file), test: relative(root, opts.test.file) }
              : { train: relative(root, opts.train.file), split: `${Math.round((1 - opts.split) * 100)}/${Math.round(opts.split * 100)} stratified, seed ${opts.seed}` },
            trainRows: train.length, testRows: test.length, base: opts.model ? res.card.baseModel.id : opts.base,
            headSelection: selection ? {
              protocol: `training part split again 80/20 (stratified, seed ${opts.seed}); each candidate trained on the 80% (early stopping on 15% of it), scored on the 20%`,
              fitRows: selection.fitRows, selectionRows: selection.selectionRows, chosen: selection.best.name,
              candidates: selection.scores.map((s) => ({ name: s.name, options: s.options, accuracy: r4(s.selection.accuracy), macroF1: r4(s.selection.macroF1), epochsRun: s.epochsRun })),
            } : { chosen: opts.model ? `the --model version's own (${method === 'head' ? res.card.hyperParameters.head : `${method}, its own head`})` : opts.method === 'head' ? opts.head : `${opts.method} (its own head)` },
            model: { method, ...(res.card.encoderTuning ? { encoderTuning: encoderTuningSummary(res.card.encoderTuning) } : {}), ...(opts.model ? { from: '--model (not trained by this run)' } : {}), head: res.card.hyperParameters.head, learningRate: res.card.hyperParameters.learningRate, classWeights: res.card.hyperParameters.classWeights,
              epochsRun: res.card.training.epochsRun, temperature: r4(res.card.temperature),
              ...(opts.model ? { trainSeconds: null, cardTrainSeconds: round(trainSeconds, 1) } : { trainSeconds: round(trainSeconds, 1) }) },
            fpb: { accuracy: r4(fpb.accuracy), macroF1: r4(fpb.macroF1), perClass: perClassOf(fpb), confusion: { labels: res.labels, rows: fpb.confusion }, scoreSeconds: round(testSeconds, 1) },
            stream: {
              generator: 'tools/replay/synthesize.ts synthesizeStream', seed: opts.seed, hours: opts.hours, items: records.length, windowEvents: replay.windowEvents,
              entities: entities.length, surgingEntities: opts.surgingEntities.length, steadyEntities: opts.steadyEntities, surges: surges.length,
              surgesPerEntity: opts.surgesPerEntity, surgeMinutes: [BENCH_SURGE_SHAPE.surgeMinMs / MINUTE, BENCH_SURGE_SHAPE.surgeMaxMs / MINUTE],
              firstSurgeAfterMinutes: round((surgeMs - Date.parse(truth.start)) / MINUTE, 0),
              rates: { entityPerHour: SYNTH_DEFAULTS.entityRatePerHour, backgroundPerHour: SYNTH_DEFAULTS.backgroundRatePerHour,
                surgeRateMultiplier: SYNTH_DEFAULTS.surgeRateMultiplier, surgeNegativeShare: SYNTH_DEFAULTS.surgeNegativeShare },
              surgeItems: { gold: goldSurge, predicted: predSurge }, calmEntityItems: { gold: calmGold, predicted: calmPred },
              scoreSeconds: round(streamSeconds, 1),
            },
            alerting: {
              options: opts.alerting, overrides: opts.alertingOverrides, defaults: Object.keys(opts.alertingOverrides).length === 0,
              engine: replay.engine,
              entityAlerts: entityAlerts.length, matchedAlerts: m.matchedAlerts, falseAlerts: m.falseAlerts.map((f) => alertSummary(byId.get(f.alertId) as SentimentAlert)),
              surgesDetected: m.detected, missedSurges: m.perSurge.filter((o) => o.delaySec === null).map((o) => ({ entity: o.surge.entity, start: new Date(o.surge.startMs).toISOString(), minutes: (o.surge.endMs - o.surge.startMs) / MINUTE })),
              delaySec: delays.length === 0 ? null : { median: round(median(delays), 1), min: round(Math.min(...delays), 1), max: round(Math.max(...delays), 1),
                p90: round([...delays].sort((a, b) => a - b)[Math.ceil(0.9 * delays.length) - 1] as number, 1) },
              recallBySurgeLength: recallBy(m.perSurge, lengthBand), recallByEntitySurgeNumber: recallBy(m.perSurge, (_, i) => `#${ordinals[i]}`),
              ...(chosenOnTest ? { validationChosenSettingOnTest: chosenOnTest } : {}),
              byRule: count(entityAlerts, (a) => a.rule), bySeverity: count(entityAlerts, (a) => a.severity),
              topicAlerts: topicAlerts.length, topicAlertsOverlappingAnEntitySurge: topicDuringSurge, topicAlertsByTopic: count(topicAlerts, (a) => a.name),
            },
            ...(validation ? { alertingValidation: {
              protocol: `head trained on the fit part of the head-selection split only; stream synthesised (seed ${validation.streamSeed}) from the ${validation.selectionRows} selection rows; `
                + `each setting run over the same window events; chosen: highest recall at precision >= ${TARGET_PRECISION}`,
              items: validation.items, surges: validation.surges,
              model: { accuracy: r4(validation.model.accuracy), macroF1: r4(validation.model.macroF1), negativeRecall: r4(validation.model.negativeRecall) },
              outcomes: validation.outcomes.map((o) => ({ ...o, recall: r4(o.recall), precision: r4(o.precision), delayMedianSec: o.delayMedianSec === null ? null : round(o.delayMedianSec, 1) })),
              chosen: validation.chosen?.name ?? null,
            } } : {}),
            artifacts: `${ARTIFACTS}/ (stream.jsonl, truth.json, alerts.jsonl, items.jsonl, validation-*; not committed)`,
          },
        },
      },
    }, SENTIMENT_MONITOR_QUALITY_KEYS);
    process.stdout.write(text);
    log(`FPB accuracy ${fpb.accuracy.toFixed(4)} macro-F1 ${fpb.macroF1.toFixed(4)}; surges ${m.detected}/${m.surges} detected (recall ${m.recall.toFixed(4)}), `
      + `${m.matchedAlerts}/${m.alerts} entity alerts match a surge (precision ${m.precision.toFixed(4)}), median delay ${m.delayMedianSec ?? 'n/a'} s; `
      + `${topicAlerts.length} topic alerts (not scored)`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e: Error) => { process.stderr.write(`${e.stack}\n`); process.exit(1); });
