import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * A bench JSON written by more than one driver (docs/benchmarks/support-chat.json: the quality
 * bench's keys and the load bench's). Each driver merges its part in, so rerunning one never
 * erases the other's figures.
 */

/** The flat number keys of support-chat.json (besides command/date/machine); anything else goes in a nested object. */
export const SUPPORT_CHAT_QUALITY_KEYS = ['intentAccuracy', 'threshold', 'coverageAtThreshold', 'precisionAnswered', 'handoffRate'] as const;
export const SUPPORT_CHAT_LOAD_KEYS = ['turnsPerSec', 'classifierTextsPerSec', 'serviceToClassifierRatio', 'p50Ms', 'p99Ms'] as const;
export const SUPPORT_CHAT_FLAT_KEYS: readonly string[] = [...SUPPORT_CHAT_QUALITY_KEYS, ...SUPPORT_CHAT_LOAD_KEYS];
/** sentiment-monitor.json, quality part (tools/bench/sentiment-quality.ts); a throughput bench adds its own list. */
export const SENTIMENT_MONITOR_QUALITY_KEYS = ['fpbAccuracy', 'fpbMacroF1', 'surgeRecall', 'surgePrecision', 'detectionDelayMedianSec'] as const;

export interface BenchPart {
  /** e.g. `quality` or `load`: its command/date/machine are also kept under `runs.<part>`. */
  readonly part: string;
  readonly command: string;
  readonly date: string;
  readonly machine: string;
  /** Top-level numbers. */
  readonly flat: Readonly<Record<string, number>>;
  /** Top-level objects (`details`, `curve`, …), merged one level deep with what is there. */
  readonly nested?: Readonly<Record<string, unknown>>;
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * `existing` with `p` merged in: its flat keys replace theirs, objects merge one level deep
 * (another part's `runs.load` or `details.load` survive), foreign keys stay. The top-level
 * command/date/machine are the latest part's; each part's own stay under `runs`.
 */
export function mergeBenchPart(existing: Readonly<Record<string, unknown>>, p: BenchPart, allowedFlat?: readonly string[]): Record<string, unknown> {
  for (const [k, v] of Object.entries(p.flat)) {
    if (allowedFlat && !allowedFlat.includes(k)) throw new RangeError(`flat key "${k}" is not one of ${allowedFlat.join(', ')}: put it in a nested object`);
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`flat key "${k}" must be a finite number, got ${String(v)}`);
  }
  const nested: Record<string, unknown> = { ...(p.nested ?? {}), runs: { [p.part]: { command: p.command, date: p.date, machine: p.machine } } };
  for (const [k, v] of Object.entries(nested)) {
    if (!isObject(v) && !Array.isArray(v)) throw new TypeError(`nested key "${k}" must hold an object or array`);
  }
  // command/date/machine lead a fresh file; in an existing one every key keeps its place.
  const out: Record<string, unknown> = { command: p.command, date: p.date, machine: p.machine, ...existing };
  Object.assign(out, { command: p.command, date: p.date, machine: p.machine }, p.flat);
  for (const [k, v] of Object.entries(nested)) {
    const old = out[k];
    out[k] = isObject(old) && isObject(v) ? { ...old, ...v } : v;
  }
  return out;
}

/** Reads `file` (absent → {}), merges `p` in, writes it back and returns the text. An unreadable file is an error, not a blank slate. */
export function mergeBenchJson(file: string, p: BenchPart, allowedFlat?: readonly string[]): string {
  let existing: Record<string, unknown> = {};
  if (existsSync(file)) {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (!isObject(parsed)) throw new TypeError(`${file} does not hold a JSON object; refusing to overwrite it`);
    existing = parsed;
  }
  const text = JSON.stringify(mergeBenchPart(existing, p, allowedFlat), null, 2) + '\n';
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  return text;
}
