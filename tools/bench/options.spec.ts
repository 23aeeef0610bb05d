import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseFlags, UsageError, type CliDef } from './bench-cli';
import { loadLabelled } from './labelled-data';
import { BATCH_TUNING_CLI, batchTuningOptions, INFERENCE_CLI, inferenceOptions, PROBE_EMBEDDINGS_CLI, probeEmbeddingsOptions, QUALITY_CLI, qualityOptions, supportChatOptions, tokenBudgetOptions, type SupportChatOptions } from './options';
import { loadSentences, textSourceFromEnv } from './sentences';

const REPO = resolve(__dirname, '../..');

// A root whose ../shared does not exist, so the defaults point at missing files and these
// specs never read the shared datasets.
let root: string;
beforeAll(() => {
  root = join(mkdtempSync(join(tmpdir(), 'bench-flags-')), 'repo');
  mkdirSync(root);
  writeFileSync(join(root, 'a.jsonl'), ['{"text":"short one","label":"x"}', '{"text":" long one ","label":"y"}', '{"text":"third","label":"x"}'].join('\n') + '\n');
  writeFileSync(join(root, 'b.csv'), 'body,category\nq1,c1\nq2,c2\n');
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

describe('bench flag parsing', () => {
  const clis: CliDef[] = [INFERENCE_CLI, BATCH_TUNING_CLI, QUALITY_CLI, PROBE_EMBEDDINGS_CLI];

  it.each(clis.map((c) => [c.script, c] as const))('%s: --help and -h give usage with every flag and its default', (_script, cli) => {
    for (const arg of ['--help', '-h']) {
      const p = parseFlags(cli, [arg]);
      expect(p.help).toBe(true);
      const text = p.help ? p.usage : '';
      for (const f of cli.flags) {
        expect(text).toContain(`--${f.name}`);
        if (f.default) expect(text).toContain(`(default: ${f.default})`);
      }
    }
  });

  it('--help wins over other flags, even unknown ones, so it never runs', () => {
    expect(inferenceOptions(['--n', '5', '--nonsense', '--help'], root)).toMatchObject({ help: true });
    expect(qualityOptions(['-h', '--datasets', 'missing'], root)).toMatchObject({ help: true });
  });

  it('rejects unknown flags, positionals and missing values', () => {
    expect(usageError(() => inferenceOptions(['--bogus', '1'], root))).toBe('unknown flag --bogus');
    expect(usageError(() => inferenceOptions(['1000'], root))).toMatch(/unexpected argument "1000"/);
    expect(usageError(() => inferenceOptions(['--texts', 'samples', '--n'], root))).toBe('--n needs a value');
    expect(usageError(() => inferenceOptions(['--n', '--reps', '3'], root))).toBe('--n needs a value');
  });

  it('checks numbers: --n a positive integer, --reps odd, --sizes integers', () => {
    expect(usageError(() => inferenceOptions(['--texts', 'samples', '--n', '0'], root))).toMatch(/--n must be an integer >= 1/);
    expect(usageError(() => inferenceOptions(['--texts', 'samples', '--reps', '2'], root))).toMatch(/--reps must be an odd integer/);
    expect(usageError(() => batchTuningOptions(['--texts', 'samples', '--sizes', '8,x'], root))).toMatch(/--sizes/);
  });

  it('accepts --name=value and applies defaults', () => {
    expect(inferenceOptions(['--texts=samples', '--n=20'], root)).toEqual({ n: 20, reps: 3, models: ['default', 'int8'], texts: { kind: 'samples' } });
  });

  it('parses the token-budget sweep and refuses budgets below 64 tokens', () => {
    expect(tokenBudgetOptions(['--texts', 'samples'], root)).toEqual({ n: 600, reps: 3, models: ['default', 'int8'], budgets: [512, 1024, 2048, 4096, 16384], texts: { kind: 'samples' } });
    expect(tokenBudgetOptions(['--texts', 'samples', '--budgets', '256,8192'], root)).toMatchObject({ budgets: [256, 8192] });
    expect(usageError(() => tokenBudgetOptions(['--texts', 'samples', '--budgets', '512,32'], root))).toMatch(/--budgets/);
    expect(usageError(() => tokenBudgetOptions([], root))).toMatch(/text file not found/);
  });
});

describe('bench text sources', () => {
  it('fails with a message when the shared datasets are missing, instead of falling back to the samples', () => {
    const msg = usageError(() => inferenceOptions([], root));
    expect(msg).toMatch(/text file not found: .*banking77\/train\.csv/);
    expect(msg).toContain('--texts samples');
    expect(msg).toContain('not comparable');
    expect(usageError(() => batchTuningOptions([], root))).toMatch(/text file not found/);
  });

  it('uses the sample texts only when asked for by name', () => {
    const opts = inferenceOptions(['--texts', 'samples', '--n', '7'], REPO);
    expect(opts).toMatchObject({ texts: { kind: 'samples' } });
    expect(loadSentences(REPO, { kind: 'samples' }, 7)).toHaveLength(7);
  });

  it('reads any files, interleaved and trimmed, with the field named by --text-field', () => {
    const opts = inferenceOptions(['--texts', 'a.jsonl,b.csv', '--text-field', 'text'], root);
    expect(opts).toMatchObject({ texts: { kind: 'files', files: [join(root, 'a.jsonl'), join(root, 'b.csv')], field: 'text' } });
    expect(loadSentences(root, { kind: 'files', files: [join(root, 'b.csv')], field: 'body' }, 10)).toEqual(['q1', 'q2']);
    expect(loadSentences(root, { kind: 'files', files: [join(root, 'a.jsonl')], field: 'text' }, 2)).toEqual(['short one', 'long one']);
    expect(usageError(() => loadSentences(root, { kind: 'files', files: [join(root, 'b.csv')], field: 'text' }, 10))).toMatch(/no string field "text" \(fields: body, category\)/);
  });

  it('the worker refuses to guess its texts', () => {
    expect(() => textSourceFromEnv({})).toThrow(/BENCH_TEXTS is not set/);
  });
});

describe('quality datasets', () => {
  it('fails with a message when a named dataset is missing', () => {
    expect(usageError(() => qualityOptions([], root))).toMatch(/dataset banking77 not found at .*banking77\/train\.csv.*--data <file>/s);
    expect(usageError(() => probeEmbeddingsOptions(['--datasets', 'imdb'], root))).toMatch(/unknown dataset "imdb"/);
  });

  it('scores any labelled file with --data and field flags', () => {
    const opts = qualityOptions(['--data', 'b.csv', '--text-field', 'body', '--label-field', 'category'], root);
    if ('help' in opts) throw new Error('unexpected help');
    expect(opts.datasets).toEqual([{ name: 'b', file: join(root, 'b.csv'), textField: 'body', labelField: 'category' }]);
    expect(opts.flags).toBe('--data b.csv --text-field body --label-field category');
    expect(loadLabelled(opts.datasets[0] as (typeof opts.datasets)[0])).toEqual([{ text: 'q1', label: 'c1' }, { text: 'q2', label: 'c2' }]);
    expect(usageError(() => qualityOptions(['--data', 'nope.csv'], root))).toMatch(/--data nope\.csv: file not found/);
  });
});

describe('driver entry points', () => {
  // The real scripts: --help must exit 0 before any model is loaded or file written, and a bad
  // command line must exit 2. (No timing here: speed checks live in the benches themselves.)
  const run = (script: string, args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', join(REPO, 'tools/bench', script), ...args], {
    cwd: REPO, encoding: 'utf8', env: { ...process.env, TSX_TSCONFIG_PATH: join(REPO, 'tools/tsconfig.json') },
  });

  it.each(['inference.ts', 'batch-tuning.ts', 'finetune-quality.ts', 'probe-embeddings.ts'])('%s --help prints usage and exits 0 without running', (script) => {
    const r = run(script, ['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: .*tools\/bench\//);
    expect(r.stderr).not.toMatch(/\[(bench|tune|quality|probe-embeddings)\]/);
  });

  it('an unknown flag or a missing text file exits 2 with the reason', () => {
    const bad = run('inference.ts', ['--bogus']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('unknown flag --bogus');
    const missing = run('batch-tuning.ts', ['--texts', 'no/such/file.csv']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/text file not found: .*no\/such\/file\.csv/);
  });
});

describe('support-chat quality --exemplars', () => {
  it('defaults to the vote support-chat trains with, --no-exemplars turns it off, a bad spec is a usage error naming the field', () => {
    const on = supportChatOptions(['--train', 'a.jsonl'], root) as SupportChatOptions;
    expect(on.exemplars).toEqual({ k: 10, temperature: 0.02, weight: 0.5 });
    expect(on.flags).toMatch(/ --exemplars k=10,t=0\.02,w=0\.5$/);
    const off = supportChatOptions(['--train', 'a.jsonl', '--no-exemplars'], root) as SupportChatOptions;
    expect(off.exemplars).toBeUndefined();
    expect(off.flags).toMatch(/ --no-exemplars$/);
    expect((supportChatOptions(['--train', 'a.jsonl', '--exemplars', 'k=3'], root) as SupportChatOptions).exemplars).toEqual({ k: 3, temperature: 0.02, weight: 0.5 });
    expect(usageError(() => supportChatOptions(['--train', 'a.jsonl', '--exemplars', 'w=1'], root))).toMatch(/--exemplars: exemplars\.weight must be in \[0, 1\)/);
  });
});

describe('support-chat quality --model', () => {
  it('scores a trained version instead of training: no exemplars, no training flags in the command', () => {
    const o = supportChatOptions(['--train', 'a.jsonl', '--model', 'models/b77/1'], root) as SupportChatOptions;
    expect(o.model).toBe(join(root, 'models/b77/1'));
    expect(o.exemplars).toBeUndefined();
    expect(o.flags).toMatch(/ --threshold [0-9.]+ --model models\/b77\/1$/);
    expect((supportChatOptions(['--train', 'a.jsonl'], root) as SupportChatOptions).model).toBeUndefined();
    expect(usageError(() => supportChatOptions(['--train', 'a.jsonl', '--model', 'm', '--head', 'mlp', '--no-exemplars'], root))).toMatch(/^--model takes how it was trained from its model card: leave out --head, --no-exemplars$/);
    expect(usageError(() => supportChatOptions(['--train', 'a.jsonl', '--model', 'm', '--exemplars', 'k=3'], root))).toMatch(/leave out --exemplars$/);
  });
});
