import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_ALERTING_OPTIONS } from '@tuneline/sentiment';
import { parseFlags, UsageError } from './bench-cli';
import { SENTIMENT_QUALITY_CLI, sentimentQualityOptions, STREAM_ENTITY_NAMES, type SentimentQualityOptions } from './sentiment-quality-options';

// A root whose ../shared does not exist, so the default training file is missing.
let root: string;
beforeAll(() => {
  root = join(mkdtempSync(join(tmpdir(), 'sentiment-flags-')), 'repo');
  mkdirSync(root);
  writeFileSync(join(root, 'fpb.jsonl'), '{"text":"Sales fell .","label":"negative"}\n');
  writeFileSync(join(root, 'test.jsonl'), '{"text":"Sales rose .","label":"positive"}\n');
});
afterAll(() => rmSync(join(root, '..'), { recursive: true, force: true }));

function usageError(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error('expected a UsageError');
}
const parse = (argv: string[]) => sentimentQualityOptions(argv, root) as SentimentQualityOptions;

describe('sentiment-quality flags', () => {
  it('--help lists every flag with its default and never runs', () => {
    const p = parseFlags(SENTIMENT_QUALITY_CLI, ['--help']);
    expect(p.help).toBe(true);
    for (const f of SENTIMENT_QUALITY_CLI.flags) expect(p.help ? p.usage : '').toContain(`--${f.name}`);
    expect(sentimentQualityOptions(['--train', 'missing.jsonl', '-h'], root)).toMatchObject({ help: true });
  });

  it('says clearly when the default Financial PhraseBank file is missing (exit 2 through runCli)', () => {
    expect(usageError(() => parse([]))).toMatch(/--train \.\.\/shared\/datasets\/financial_phrasebank\/train\.jsonl: file not found .*Pass --train <file>/);
    expect(usageError(() => parse(['--train', 'nope.jsonl']))).toMatch(/^--train nope\.jsonl: file not found/);
    expect(usageError(() => parse(['--train', 'fpb.jsonl', '--test', 'nope.jsonl']))).toMatch(/^--test nope\.jsonl: file not found/);
  });

  it('defaults: 20% held out with seed 42, head auto, 10 surging + 2 steady entities, 5 surges each over 24 h, the service alerting defaults', () => {
    const o = parse(['--train', 'fpb.jsonl']);
    expect(o).toMatchObject({ split: 0.2, seed: 42, head: 'auto', method: 'head', surgesPerEntity: 5, hours: 24, out: 'docs/benchmarks/sentiment-monitor.json', alertingOverrides: {} });
    expect(o.test).toBeUndefined();
    expect(o.surgingEntities).toEqual(STREAM_ENTITY_NAMES.slice(0, 10));
    expect(o.steadyEntities).toEqual(STREAM_ENTITY_NAMES.slice(10, 12));
    expect(o.alerting).toEqual(DEFAULT_ALERTING_OPTIONS);
    expect(o.flags).toBe('--train fpb.jsonl --split 0.2 --seed 42 --text-field text --label-field label --base default --head auto '
      + '--surging-entities 10 --steady-entities 2 --surges-per-entity 5 --hours 24');
  });

  it('--test replaces the split; --alerting overrides validated options and lands in the command', () => {
    const o = parse(['--train', 'fpb.jsonl', '--test', 'test.jsonl', '--alerting', '{"minVolume":6}']);
    expect(o.test?.file).toBe(join(root, 'test.jsonl'));
    expect(o.alerting.minVolume).toBe(6);
    expect(o.alerting.windowMs).toBe(DEFAULT_ALERTING_OPTIONS.windowMs);
    expect(o.flags).toContain('--test test.jsonl --seed 42');
    expect(o.flags).toContain(`--alerting '{"minVolume":6}'`);
  });

  it('--method lora trains the encoder too and lands in the command; --validate-alerting needs the frozen head', () => {
    const o = parse(['--train', 'fpb.jsonl', '--method', 'lora']);
    expect(o.method).toBe('lora');
    expect(o.flags).toContain('--head auto --method lora --surging-entities');
    expect(usageError(() => parse(['--train', 'fpb.jsonl', '--method', 'lora', '--validate-alerting']))).toMatch(/--validate-alerting .* --method head/);
    expect(usageError(() => parse(['--train', 'fpb.jsonl', '--method', 'full']))).toMatch(/^--method must be head, lora or top-layers/);
  });

  it('--model scores a trained version instead of training: in the command, never with --validate-alerting or training flags', () => {
    const o = parse(['--train', 'fpb.jsonl', '--model', 'models/fpb/3']);
    expect(o.model).toBe(join(root, 'models/fpb/3'));
    expect(o.flags).toContain('--model models/fpb/3 --surging-entities');
    expect(parse(['--train', 'fpb.jsonl']).model).toBeUndefined();
    expect(usageError(() => parse(['--train', 'fpb.jsonl', '--model', 'm', '--validate-alerting']))).toMatch(/^--validate-alerting .* not with --model/);
    for (const extra of [['--method', 'lora'], ['--head', 'mlp'], ['--base', 'minilm']]) {
      expect(usageError(() => parse(['--train', 'fpb.jsonl', '--model', 'm', ...extra]))).toMatch(/^--model takes its method, head and base from the model card/);
    }
    expect(o.flags).not.toMatch(/--head|--base|--method/);
  });

  it('refuses bad values, naming the flag', () => {
    expect(usageError(() => parse(['--train', 'fpb.jsonl', '--split', '1']))).toMatch(/^--split must be a number in \(0, 1\)/);
    expect(usageError(() => parse(['--train', 'fpb.jsonl', '--head', 'svm']))).toMatch(/^--head must be auto, linear or mlp/);
    expect(usageError(() => parse(['--train', 'fpb.jsonl', '--surging-entities', '15', '--steady-entities', '2']))).toMatch(/at most 16/);
    expect(usageError(() => parse(['--train', 'fpb.jsonl', '--hours', '0']))).toMatch(/^--hours must be an integer >= 1/);
    expect(usageError(() => parse(['--train', 'fpb.jsonl', '--alerting', '[1]']))).toMatch(/^--alerting must be a JSON object/);
    expect(usageError(() => parse(['--train', 'fpb.jsonl', '--alerting', '{"minVolume":0}']))).toMatch(/^--alerting: minVolume/);
    expect(usageError(() => parse(['--train', 'fpb.jsonl', '--alerting', '{"minVolum":6}']))).toMatch(/^--alerting: unknown option minVolum/);
  });
});
