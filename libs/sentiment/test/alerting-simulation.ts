/**
 * Measures AlertEngine's false alarms on calm keys and its detection of injected surges,
 * on simulated streams (Poisson arrivals, a fixed negative share). Not a spec: a script for
 * tuning DEFAULT_ALERTING_OPTIONS; README.md "Alerting" quotes its output.
 *
 *   npx tsx libs/sentiment/test/alerting-simulation.ts ['{"name": {overrides}}']
 *
 * Seeded: the same options give the same numbers.
 */
import { AlertEngine, alertingOptions, type AlertingOptions, type WindowEvent } from '../src/index';

const MIN = 60_000;
const W = 15 * MIN;
const T0 = Date.UTC(2025, 0, 1);

/** mulberry32: small, seeded, good enough for a simulation. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `rate` items per 15 minutes (× rateAt(t)), each negative with probability share(t). */
function stream(name: string, rate: number, share: (t: number) => number, rateAt: (t: number) => number, quarters: number, rnd: () => number): WindowEvent[] {
  const out: WindowEvent[] = [];
  let t = T0;
  for (let i = 0; ; i++) {
    t += Math.round(-Math.log(1 - rnd()) / ((rate * rateAt(t)) / W));
    if (t >= T0 + quarters * W) return out;
    const negative = rnd() < share(t);
    out.push({
      key: `entity:${name}`, kind: 'entity', name, itemId: `${name}-${i}`, eventTimeMs: t,
      sentiment: negative ? 'negative' : 'neutral', negativeProb: negative ? 0.6 + 0.4 * rnd() : 0.3 * rnd(),
      title: '', modelVersion: 'sim@1', source: '',
    });
  }
}

/** Alerts per key per 1000 quarter-hours (~10 days) on calm keys (10 keys × 1000 quarter-hours). */
function falseAlarms(o: AlertingOptions, rate: number, share: number): number {
  const rnd = prng(rate * 7 + share * 100);
  let alerts = 0;
  for (let k = 0; k < 10; k++) {
    const engine = new AlertEngine(o);
    for (const e of stream(`k${k}`, rate, () => share, () => 1, 1000, rnd)) alerts += engine.process(e).length;
  }
  return alerts / 10;
}

/** Share of 200 trials in which a 30-minute surge (from 7 minutes into window 40) alerts, and the median delay. */
function detection(o: AlertingOptions, rate: number, share: number, surgeShare: number, surgeRate: number): { rate: number; medianMin: number } {
  const rnd = prng(rate + surgeShare * 1000);
  const start = T0 + 40 * W + 7 * MIN;
  const inSurge = (t: number) => t >= start && t < start + 30 * MIN;
  const delays: number[] = [];
  for (let k = 0; k < 200; k++) {
    const engine = new AlertEngine(o);
    const events = stream(`k${k}`, rate, (t) => (inSurge(t) ? surgeShare : share), (t) => (inSurge(t) ? surgeRate : 1), 44, rnd);
    const hit = events.flatMap((e) => engine.process(e)).find((a) => Date.parse(a.eventTime) >= start);
    if (hit) delays.push((Date.parse(hit.eventTime) - start) / MIN);
  }
  delays.sort((a, b) => a - b);
  return { rate: delays.length / 200, medianMin: delays[Math.floor(delays.length / 2)] ?? Number.NaN };
}

const variants = JSON.parse(process.argv[2] ?? '{"default": {}}') as Record<string, Partial<AlertingOptions>>;
for (const [name, overrides] of Object.entries(variants)) {
  const o = alertingOptions(overrides);
  const fa = [5, 10, 20, 60].map((rate) => `${rate}: ${[0.1, 0.25, 0.4].map((s) => falseAlarms(o, rate, s).toFixed(1)).join(' / ')}`);
  console.log(`${name} false alarms per key per 1000 quarter-hours (items per 15 min: share 0.1 / 0.25 / 0.4) ${fa.join(' | ')}`);
  const cases: [number, number, number][] = [[10, 0.6, 2], [20, 0.6, 3], [5, 0.7, 2], [10, 0.5, 1], [20, 0.45, 1], [60, 0.35, 1]];
  const det = cases.map(([rate, ss, sr]) => {
    const d = detection(o, rate, 0.2, ss, sr);
    return `${rate} → ${ss} ×${sr}: ${(d.rate * 100).toFixed(0)}% ${d.medianMin.toFixed(1)} min`;
  });
  console.log(`${name} detection (items per 15 min at share 0.2 → surge share × volume) ${det.join(' | ')}`);
}
