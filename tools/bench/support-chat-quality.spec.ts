import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CONFIDENCE_THRESHOLD, DEFAULT_SUPPORT_OPTIONS, type IntentPrediction } from '@tuneline/support';
import { parseFlags, UsageError } from './bench-cli';
import { mergeBenchJson, mergeBenchPart, SUPPORT_CHAT_FLAT_KEYS, type BenchPart } from './bench-json';
import { SUPPORT_CHAT_CLI, supportChatOptions } from './options';
import { atThreshold, coverageAtPrecision, curveOnGrid, precisionAtCoverage, replayPolicy, selectiveCurve, type ScoredTurn } from './selective';

// Ten turns, most confident first: the 4th and 7th are wrong.
const TURNS: ScoredTurn[] = [0.99, 0.95, 0.9, 0.85, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3].map((confidence, i) => ({ confidence, correct: i !== 3 && i !== 6 }));

describe('selective answering metrics', () => {
  it('answers turns at or above the threshold (>=, as the policy compares)', () => {
    expect(atThreshold(TURNS, 0.85)).toEqual({ threshold: 0.85, coverage: 0.4, precision: 0.75, answered: 4 });
    expect(atThreshold(TURNS, 0.86)).toEqual({ threshold: 0.86, coverage: 0.3, precision: 1, answered: 3 });
    expect(atThreshold(TURNS, 0)).toMatchObject({ coverage: 1, precision: 0.8 });
  });

  it('counts precision 1 when nothing is answered (no wrong answer given)', () => {
    expect(atThreshold(TURNS, 1)).toEqual({ threshold: 1, coverage: 0, precision: 1, answered: 0 });
  });

  it('the curve has one point per distinct confidence, coverage rising, and agrees with atThreshold', () => {
    const curve = selectiveCurve(TURNS);
    expect(curve).toHaveLength(10);
    expect(curve.map((p) => p.coverage)).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
    for (const p of curve) expect(atThreshold(TURNS, p.threshold)).toEqual(p);
  });

  it('tied confidences share one point: a threshold cannot split a tie', () => {
    const tied: ScoredTurn[] = [{ confidence: 0.9, correct: true }, { confidence: 0.7, correct: true }, { confidence: 0.7, correct: false }];
    expect(selectiveCurve(tied)).toEqual([
      { threshold: 0.9, coverage: 1 / 3, precision: 1, answered: 1 },
      { threshold: 0.7, coverage: 1, precision: 2 / 3, answered: 3 },
    ]);
  });

  it('coverage at a precision target is the largest coverage reaching it', () => {
    const curve = selectiveCurve(TURNS);
    expect(coverageAtPrecision(curve, 1)).toEqual({ coverage: 0.3, threshold: 0.9 });
    // 0.8 precision: 0.5 coverage (4/5) and full coverage (8/10) both reach it; the larger wins.
    expect(coverageAtPrecision(curve, 0.8)).toEqual({ coverage: 1, threshold: 0.3 });
    expect(coverageAtPrecision(selectiveCurve([{ confidence: 0.9, correct: false }]), 0.5)).toEqual({ coverage: 0, threshold: null });
  });

  it('precision at a coverage target is taken at the highest threshold that covers it', () => {
    const curve = selectiveCurve(TURNS);
    expect(precisionAtCoverage(curve, 0.9)).toEqual({ precision: 7 / 9, coverage: 0.9, threshold: 0.4 });
    expect(precisionAtCoverage(curve, 0.35)).toEqual({ precision: 0.75, coverage: 0.4, threshold: 0.85 });
  });

  it('the grid curve runs from threshold 0 (everything) to 1', () => {
    const grid = curveOnGrid(TURNS, 10);
    expect(grid).toHaveLength(11);
    expect(grid[0]).toMatchObject({ threshold: 0, coverage: 1 });
    expect(grid[10]).toMatchObject({ threshold: 1, coverage: 0 });
  });

  it('refuses an empty set of turns', () => {
    expect(() => selectiveCurve([])).toThrow(RangeError);
    expect(() => atThreshold([], 0.5)).toThrow(RangeError);
  });
});

describe('policy replay (classifier-only, no knowledge base)', () => {
  const pred = (label: string, confidence: number): IntentPrediction => ({ label, confidence, scores: { [label]: confidence, other: 1 - confidence } });
  const options = { ...DEFAULT_SUPPORT_OPTIONS, confidenceThreshold: 0.6 };

  it('answers confident turns from the template and hands off the rest (no passages to retrieve)', () => {
    const r = replayPolicy([
      { text: 'where is my refund', gold: 'refund', prediction: pred('refund', 0.9) },
      { text: 'change my pin please', gold: 'pin', prediction: pred('refund', 0.7) },
      { text: 'hmm', gold: 'pin', prediction: pred('pin', 0.59) },
      { text: 'and what about that?', gold: 'pin', prediction: pred('pin', 0.3) },
    ], options);
    expect(r).toMatchObject({ answered: 2, answeredCorrect: 1, handedOff: 2, retrieval: 0, handoffReasons: { no_answer: 2 } });
    expect(r.coverage).toBe(0.5);
    expect(r.precisionAnswered).toBe(0.5);
    expect(r.handoffRate).toBe(0.5);
  });

  it('agrees with the pure threshold metrics when no label is sensitive or a human intent', () => {
    const turns = TURNS.map((t, i) => ({ text: `question ${i} here`, gold: t.correct ? 'a' : 'b', prediction: pred('a', t.confidence) }));
    const r = replayPolicy(turns, options);
    const at = atThreshold(TURNS, 0.6);
    expect(r.coverage).toBe(at.coverage);
    expect(r.precisionAnswered).toBe(at.precision);
    expect(r.handoffRate).toBeCloseTo(1 - at.coverage, 12);
  });

  it('a confident sensitive intent is handed off, not answered', () => {
    const r = replayPolicy([{ text: 'I lost my card', gold: 'card_lost', prediction: pred('card_lost', 0.95) }], options);
    expect(r).toMatchObject({ answered: 0, handedOff: 1, handoffReasons: { sensitive_intent: 1 } });
  });
});

describe('support-chat.json merge writer', () => {
  const quality: BenchPart = {
    part: 'quality', command: 'quality cmd', date: '2026-01-01T00:00:00.000Z', machine: 'm1',
    flat: { intentAccuracy: 0.9, threshold: 0.6, coverageAtThreshold: 0.92, precisionAnswered: 0.96, handoffRate: 0.08 },
    nested: { details: { quality: { x: 1 } } },
  };
  const load: BenchPart = {
    part: 'load', command: 'load cmd', date: '2026-01-02T00:00:00.000Z', machine: 'm2',
    flat: { turnsPerSec: 50, classifierTextsPerSec: 80, serviceToClassifierRatio: 0.62, p50Ms: 20, p99Ms: 90 },
    nested: { details: { load: { y: 2 } } },
  };

  it('keeps the other part\'s flat keys, runs and details, whichever writes last', () => {
    const a = mergeBenchPart(mergeBenchPart({}, quality, SUPPORT_CHAT_FLAT_KEYS), load, SUPPORT_CHAT_FLAT_KEYS);
    const b = mergeBenchPart(mergeBenchPart({}, load, SUPPORT_CHAT_FLAT_KEYS), quality, SUPPORT_CHAT_FLAT_KEYS);
    for (const m of [a, b]) {
      expect(m).toMatchObject({ ...quality.flat, ...load.flat, details: { quality: { x: 1 }, load: { y: 2 } } });
      expect(m['runs']).toEqual({ quality: { command: 'quality cmd', date: quality.date, machine: 'm1' }, load: { command: 'load cmd', date: load.date, machine: 'm2' } });
      const flat = Object.keys(m).filter((k) => typeof m[k] !== 'object');
      expect(flat.sort()).toEqual(['command', 'date', 'machine', ...SUPPORT_CHAT_FLAT_KEYS].sort());
    }
    expect(a['command']).toBe('load cmd');
    expect(b['command']).toBe('quality cmd');
  });

  it('rerunning a part replaces its own figures and keeps foreign keys', () => {
    const first = mergeBenchPart({ foreign: { kept: true }, p99Ms: 90 }, quality);
    const again = mergeBenchPart(first, { ...quality, flat: { ...quality.flat, intentAccuracy: 0.91 } });
    expect(again).toMatchObject({ foreign: { kept: true }, p99Ms: 90, intentAccuracy: 0.91 });
  });

  it('refuses flat keys outside the list and non-numbers', () => {
    expect(() => mergeBenchPart({}, { ...quality, flat: { coverageAt090: 0.5 } }, SUPPORT_CHAT_FLAT_KEYS)).toThrow(/not one of/);
    expect(() => mergeBenchPart({}, { ...quality, flat: { threshold: Number.NaN } }, SUPPORT_CHAT_FLAT_KEYS)).toThrow(/finite number/);
  });

  it('merges into the file on disk and refuses to overwrite one that is not a JSON object', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-json-'));
    try {
      const file = join(dir, 'docs', 'support-chat.json');
      mkdirSync(join(dir, 'docs'));
      writeFileSync(file, JSON.stringify({ p50Ms: 20, runs: { load: { command: 'load cmd' } } }));
      mergeBenchJson(file, quality, SUPPORT_CHAT_FLAT_KEYS);
      const out = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      expect(out).toMatchObject({ p50Ms: 20, intentAccuracy: 0.9, runs: { load: { command: 'load cmd' }, quality: { command: 'quality cmd' } } });
      writeFileSync(file, '[1]');
      expect(() => mergeBenchJson(file, quality)).toThrow(/refusing to overwrite/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('support-chat-quality flags', () => {
  // A root whose ../shared does not exist, so the default never reads the shared datasets.
  let root: string;
  beforeAll(() => {
    root = join(mkdtempSync(join(tmpdir(), 'support-chat-flags-')), 'repo');
    mkdirSync(root);
    writeFileSync(join(root, 'train.csv'), 'body,intent\nq1,a\nq2,b\n');
  });
  afterAll(() => rmSync(join(root, '..'), { recursive: true, force: true }));

  const message = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(UsageError);
      return (e as Error).message;
    }
    throw new Error('expected a UsageError');
  };

  it('--help lists every flag; the threshold defaults to libs/support\'s', () => {
    const p = parseFlags(SUPPORT_CHAT_CLI, ['--help']);
    const text = p.help ? p.usage : '';
    for (const f of SUPPORT_CHAT_CLI.flags) expect(text).toContain(`--${f.name}`);
    expect(text).toContain(`(default: ${DEFAULT_CONFIDENCE_THRESHOLD})`);
    expect(supportChatOptions(['--bogus', '-h'], root)).toMatchObject({ help: true });
  });

  it('stops with a usage error when the shared Banking77 file is missing, instead of falling back', () => {
    expect(message(() => supportChatOptions([], root))).toMatch(/no --train given .*banking77\/train\.csv.*--train <file>/);
  });

  it('takes any labelled file with its fields; the label field defaults to "label"', () => {
    const o = supportChatOptions(['--train', 'train.csv', '--text-field', 'body', '--label-field', 'intent'], root);
    expect(o).toMatchObject({ train: { file: join(root, 'train.csv'), textField: 'body', labelField: 'intent' }, seed: 42, threshold: DEFAULT_CONFIDENCE_THRESHOLD });
    expect('test' in o).toBe(false);
    expect(supportChatOptions(['--train', 'train.csv'], root)).toMatchObject({ train: { labelField: 'label' } });
    expect((o as { flags: string }).flags).toBe('--train train.csv --seed 42 --text-field body --label-field intent --threshold 0.6 --base default --head linear --epochs 60 --lr 0.005 --exemplars k=10,t=0.02,w=0.5');
  });

  it('checks values', () => {
    expect(message(() => supportChatOptions(['--train', 'missing.csv'], root))).toMatch(/--train missing\.csv: file not found/);
    expect(message(() => supportChatOptions(['--train', 'train.csv', '--test', 'nope.csv'], root))).toMatch(/--test nope\.csv/);
    expect(message(() => supportChatOptions(['--train', 'train.csv', '--threshold', '1.5'], root))).toMatch(/--threshold must be a number in \[0, 1\]/);
    expect(message(() => supportChatOptions(['--train', 'train.csv', '--head', 'tree'], root))).toMatch(/--head must be linear or mlp/);
    expect(message(() => supportChatOptions(['--train', 'train.csv', '--epochs', '0'], root))).toMatch(/--epochs must be an integer/);
  });
});
