/**
 * Why surges were missed: the scored items the last `sentiment-quality.ts` run cached go
 * through AlertEngine again (as in alerting-from-cache.ts) and, for each injected surge no
 * alert matched, the windows of its key that overlap it are followed item by item: what they
 * held, how many items the model called negative, the baselines they were judged against,
 * the largest z each rule reached, and whether minVolume / minNegative, the cooldown or
 * lateness stood in the way. Only the validation stream may choose settings; the test
 * stream's misses are for the record.
 *   npx tsx --tsconfig tools/tsconfig.json tools/bench/alerting-misses.ts [--stream validation|test] [--alerting JSON-overrides]
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AlertEngine, alertingOptions, phaseOf, scoreWindow, type AlertingOptions, type KeySnapshot } from '@tuneline/sentiment';
import type { StreamTruth, SurgeTruth } from '../replay/truth';
import { eventsOfCachedItem } from './alerting-from-cache';
import { parseFlags, runCli, UsageError, type CliDef, type Help } from './bench-cli';
import { runAlerts, type ReplayedItem } from './sentiment-alert-replay';
import { entityAlertOf, matchSurges } from './sentiment-quality-metrics';

const CLI: CliDef = {
  script: 'tools/bench/alerting-misses.ts',
  summary: 'For each surge the alerting missed on the cached scored items: its windows, predicted negatives, baselines, the largest z per rule, and what blocked it.',
  flags: [
    { name: 'stream', default: 'validation', help: 'validation or test' },
    { name: 'dir', default: '.cache/bench/sentiment-quality', help: 'the quality bench\'s artifacts' },
    { name: 'alerting', default: '{}', help: 'JSON overrides of the alerting defaults' },
  ],
};

/** One window of a missed surge's key, as it stood after its last item. */
export interface WindowLook {
  readonly start: number;
  readonly items: number;
  readonly inSurge: number;
  readonly negatives: number;
  /** The share baseline μ and the count baseline μc it was judged against (last update). */
  readonly shareMu: number;
  readonly countMu: number;
  /** Largest z of each rule over the updates that reached minVolume and minNegative (−∞: none did). */
  readonly maxZ: number;
  readonly maxVolumeZ: number;
  /** Updates that reached minVolume and minNegative while the key's cooldown ran. */
  readonly inCooldown: number;
}

export interface MissDiagnosis {
  readonly surge: SurgeTruth;
  /** The key's items inside the surge, and how many the model called negative. */
  readonly items: number;
  readonly predictedNegatives: number;
  readonly windows: readonly WindowLook[];
}

interface Tracker {
  readonly surge: SurgeTruth;
  readonly looks: Map<number, { inSurge: number; maxZ: number; maxVolumeZ: number; inCooldown: number; last: Omit<WindowLook, 'maxZ' | 'maxVolumeZ' | 'inSurge' | 'inCooldown'> }>;
}

function follow(t: Tracker, key: KeySnapshot, itemTime: number, o: AlertingOptions): void {
  const { surge } = t;
  for (const w of key.windows) {
    if (!(w.start < surge.endMs && surge.startMs < w.start + o.windowMs) || itemTime < w.start || itemTime >= w.start + o.windowMs) continue;
    const b = key.baselines[phaseOf(w.start, o)];
    const s = scoreWindow(w.total, w.negative, b.share, b.volume, o);
    const look = t.looks.get(w.start) ?? { inSurge: 0, maxZ: Number.NEGATIVE_INFINITY, maxVolumeZ: Number.NEGATIVE_INFINITY, inCooldown: 0, last: { start: w.start, items: 0, negatives: 0, shareMu: 0, countMu: 0 } };
    if (itemTime >= surge.startMs && itemTime < surge.endMs) look.inSurge++;
    if (w.total >= o.minVolume && w.negative >= o.minNegative) {
      look.maxZ = Math.max(look.maxZ, s.zScore);
      if (s.volumeBaselineReady) look.maxVolumeZ = Math.max(look.maxVolumeZ, s.volumeZScore);
      if (key.cooldownUntilMs !== null && key.maxEventMs < key.cooldownUntilMs) look.inCooldown++;
    }
    look.last = { start: w.start, items: w.total, negatives: w.negative, shareMu: s.baselineNegativeShare, countMu: s.baselineNegativeCount };
    t.looks.set(w.start, look);
  }
}

/** The missed surges of a cached stream under `options`, each with its windows followed. */
export function diagnoseMisses(items: readonly ReplayedItem[], truth: StreamTruth, options: AlertingOptions): { readonly detected: number; readonly surges: number; readonly lateDropped: number; readonly misses: readonly MissDiagnosis[] } {
  const events = items.flatMap(eventsOfCachedItem);
  const run = runAlerts(events, options);
  const m = matchSurges(truth.surges, run.alerts.filter((a) => a.kind === 'entity').map(entityAlertOf));
  // perSurge is in truth.surges' order.
  const trackers = truth.surges.filter((_, i) => m.perSurge[i].delaySec === null).map((surge): Tracker => ({ surge, looks: new Map() }));
  const engine = new AlertEngine(options);
  for (const e of events) {
    engine.process(e);
    const mine = trackers.filter((t) => t.surge.key === e.key && e.eventTimeMs >= t.surge.startMs - options.windowMs && e.eventTimeMs < t.surge.endMs + options.windowMs);
    if (mine.length === 0) continue;
    const key = engine.snapshot().keys.find((k) => k.key === e.key) as KeySnapshot;
    for (const t of mine) follow(t, key, e.eventTimeMs, options);
  }
  const misses = trackers.map((t): MissDiagnosis => {
    const inside = items.filter((i) => i.entities.includes(t.surge.entity) && i.eventTimeMs >= t.surge.startMs && i.eventTimeMs < t.surge.endMs);
    return {
      surge: t.surge,
      items: inside.length,
      predictedNegatives: inside.filter((i) => i.sentiment === 'negative').length,
      windows: [...t.looks.values()].sort((a, b) => a.last.start - b.last.start).map((l) => ({ ...l.last, inSurge: l.inSurge, maxZ: l.maxZ, maxVolumeZ: l.maxVolumeZ, inCooldown: l.inCooldown })),
    };
  });
  return { detected: m.detected, surges: m.surges, lateDropped: run.engine.lateDropped, misses };
}

const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
const z2 = (z: number) => (Number.isFinite(z) ? z.toFixed(2) : '–');

function main(): void {
  const p = runCli((argv: readonly string[]): { stream: string; dir: string; overrides: Partial<AlertingOptions> } | Help => {
    const f = parseFlags(CLI, argv);
    if (f.help) return f;
    const stream = f.values['stream'] as string;
    if (stream !== 'validation' && stream !== 'test') throw new UsageError(`--stream must be validation or test, got "${stream}"`);
    let overrides: unknown;
    try {
      overrides = JSON.parse(f.values['alerting'] as string);
    } catch {
      throw new UsageError('--alerting must be a JSON object of AlertingOptions overrides');
    }
    if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) throw new UsageError('--alerting must be a JSON object of AlertingOptions overrides');
    return { stream, dir: resolve(f.values['dir'] as string), overrides: overrides as Partial<AlertingOptions> };
  });
  const prefix = p.stream === 'validation' ? 'validation-' : '';
  const items = readFileSync(join(p.dir, `${prefix}items.jsonl`), 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as ReplayedItem);
  const truth = JSON.parse(readFileSync(join(p.dir, `${prefix}truth.json`), 'utf8')) as StreamTruth;
  const o = alertingOptions(p.overrides);
  const d = diagnoseMisses(items, truth, o);
  process.stdout.write(`${p.stream} stream: ${d.detected}/${d.surges} surges detected, ${d.lateDropped} late items dropped; window ${o.windowMs / 60_000} min, hop ${o.hopMs / 60_000} min, z ${o.zThreshold}\n`);
  for (const x of d.misses) {
    const s = x.surge;
    process.stdout.write(`${s.entity} ${hhmm(s.startMs)}-${hhmm(s.endMs)} (${(s.endMs - s.startMs) / 60_000} min): ${s.items} items, ${s.negatives} negative by the generator, ${x.predictedNegatives} of ${x.items} by the model\n`);
    for (const w of x.windows) {
      process.stdout.write(`  window ${hhmm(w.start)}: ${w.items} items (${w.inSurge} in the surge), ${w.negatives} negative; share μ ${w.shareMu.toFixed(3)}, max z ${z2(w.maxZ)}; count μc ${w.countMu.toFixed(2)}, max volume z ${z2(w.maxVolumeZ)}; judged in cooldown ${w.inCooldown}\n`);
    }
  }
}

if (require.main === module) main();
