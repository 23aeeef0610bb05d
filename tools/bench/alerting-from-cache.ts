/**
 * The alerting part of the quality bench again, without the model: the scored items the last
 * `sentiment-quality.ts` run cached (`.cache/bench/sentiment-quality/`: `validation-items.jsonl`
 * + `validation-truth.json`, or `items.jsonl` + `truth.json` for the test stream) become window
 * events again and go through AlertEngine with each setting of tools/bench/alerting-candidates.ts
 * (or `--alerting '{"name": {overrides}}'`). Seconds instead of a re-score. The cached items lack
 * each item's P(negative) and title, which only order and fill the alert's headlines: the
 * alerts, their windows and trigger times are the bench's. For choosing settings use the
 * validation stream (the default); the test stream is for the chosen setting only.
 *   npx tsx --tsconfig tools/tsconfig.json tools/bench/alerting-from-cache.ts [--stream validation|test] [--alerting JSON]
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { alertingOptions, windowEventsOf, type AlertingOptions, type ScoredItem, type WindowEvent } from '@tuneline/sentiment';
import type { StreamTruth } from '../replay/truth';
import { ALERTING_CANDIDATES, type AlertingCandidate } from './alerting-candidates';
import { parseFlags, runCli, UsageError, type CliDef, type Help } from './bench-cli';
import { REPLAY_SOURCE, runAlerts, type ReplayedItem } from './sentiment-alert-replay';
import { entityAlertOf, matchSurges } from './sentiment-quality-metrics';

const CLI: CliDef = {
  script: 'tools/bench/alerting-from-cache.ts',
  summary: 'Re-runs the alerting settings over the scored items the last sentiment-quality.ts run cached (no model): surge recall, precision, alerts, median delay.',
  flags: [
    { name: 'stream', default: 'validation', help: 'validation (choose settings here) or test' },
    { name: 'dir', default: '.cache/bench/sentiment-quality', help: 'the quality bench\'s artifacts' },
    { name: 'alerting', default: '', help: 'JSON {"name": {overrides}} to run instead of alerting-candidates.ts' },
  ],
};

/** A cached item as the window events the score stage would have sent (entity keys, then the topic). */
export function eventsOfCachedItem(item: ReplayedItem): WindowEvent[] {
  const negative = item.sentiment === 'negative';
  const scored: ScoredItem = {
    id: item.id, source: '', title: '', language: 'en', publishedAt: new Date(item.eventTimeMs).toISOString(), entities: item.entities,
    topic: item.topic, topicScores: [{ label: item.topic, score: 1 }], topicMethod: 'embedding-similarity', sentiment: item.sentiment,
    // Not cached: only the headlines' order depends on the probabilities.
    scores: { negative: negative ? 1 : 0, neutral: negative ? 0 : 1, positive: 0 }, score: negative ? -1 : 0, modelVersion: 'cached@1',
  };
  return windowEventsOf(scored, REPLAY_SOURCE);
}

function parseCandidates(text: string): AlertingCandidate[] {
  if (text === '') return [...ALERTING_CANDIDATES];
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new UsageError(`--alerting must be a JSON object of named overrides, got ${JSON.stringify(text)}`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new UsageError('--alerting must be a JSON object of named overrides');
  return Object.entries(v as Record<string, Partial<AlertingOptions>>).map(([name, overrides]) => ({ name, overrides }));
}

function options(argv: readonly string[]): { stream: 'validation' | 'test'; dir: string; candidates: AlertingCandidate[] } | Help {
  const p = parseFlags(CLI, argv);
  if (p.help) return p;
  const stream = p.values['stream'];
  if (stream !== 'validation' && stream !== 'test') throw new UsageError(`--stream must be validation or test, got "${stream}"`);
  return { stream, dir: resolve(p.values['dir'] as string), candidates: parseCandidates(p.values['alerting'] as string) };
}

function main(): void {
  const o = runCli(options);
  const prefix = o.stream === 'validation' ? 'validation-' : '';
  const items = readFileSync(join(o.dir, `${prefix}items.jsonl`), 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as ReplayedItem);
  const truth = JSON.parse(readFileSync(join(o.dir, `${prefix}truth.json`), 'utf8')) as StreamTruth;
  const events = items.flatMap(eventsOfCachedItem);
  process.stdout.write(`${o.stream} stream: ${items.length} items, ${truth.surges.length} surges\n`);
  for (const c of o.candidates) {
    const run = runAlerts(events, alertingOptions(c.overrides));
    const m = matchSurges(truth.surges, run.alerts.filter((a) => a.kind === 'entity').map(entityAlertOf));
    process.stdout.write(`${c.name}: recall ${m.recall.toFixed(2)} (${m.detected}/${m.surges}) precision ${m.precision.toFixed(3)} alerts ${m.alerts} median delay ${m.delayMedianSec?.toFixed(0) ?? 'n/a'} s\n`);
  }
}

if (require.main === module) main();
