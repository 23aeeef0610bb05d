import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jsonLines, ROOT, runCli, type CliResult } from '../test/run-cli';

const DATA = join(ROOT, 'libs/finetune/samples/financial-sentiment.jsonl');
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const LABELS = ['negative', 'neutral', 'positive'];
// Exactly 10 epochs (--min-steps 0 keeps the small sample from being given more), so the progress lines can be counted.
const TRAIN_FLAGS = ['--task', 'classify', '--data', DATA, '--base', 'default', '--head', 'linear', '--epochs', '10', '--min-steps', '0', '--no-cache'];

const explain = (r: CliResult) => `exit ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;

describe('tuneline: bad invocations get a clear message and the documented exit code', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'tuneline-cli-'));

  it('unknown --task → 2', async () => {
    const r = await runCli(['finetune', '--task', 'regress', '--data', DATA, '--out', tmp, '--name', 'm']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("option '--task <task>' argument 'regress' is invalid. Allowed choices are classify, multilabel, pair.");
    expect(r.stdout).toBe('');
  }, 30_000);

  it('missing --data → 2', async () => {
    const r = await runCli(['finetune', '--task', 'classify', '--out', tmp, '--name', 'm']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("required option '--data <file>' not specified");
  }, 30_000);

  it('non-numeric --epochs → 2', async () => {
    const r = await runCli(['finetune', '--task', 'classify', '--data', DATA, '--out', tmp, '--name', 'm', '--epochs', 'ten']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("option '--epochs <n>' argument 'ten' is invalid. expected an integer in [1, 10000]");
  }, 30_000);

  it('unknown option and unknown command → 2', async () => {
    expect((await runCli(['finetune', '--task', 'classify', '--data', DATA, '--out', tmp, '--name', 'm', '--epoch', '3'])).code).toBe(2);
    const r = await runCli(['train']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown command 'train'");
  }, 30_000);

  it('a data row with a missing field → 3, naming file and line', async () => {
    const file = join(tmp, 'broken.jsonl');
    writeFileSync(file, [
      JSON.stringify({ text: 'Sales rose 5 % .', label: 'positive' }),
      JSON.stringify({ label: 'negative' }),
      JSON.stringify({ text: 'The office is in Turku .', label: 'neutral' }),
    ].join('\n') + '\n');
    const r = await runCli(['finetune', '--task', 'classify', '--data', file, '--out', tmp, '--name', 'm']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`${file}:2: missing field "text"`);
    expect(existsSync(join(tmp, 'm'))).toBe(false);
  }, 30_000);

  it('a label column named otherwise → 3 naming the columns and --label-field; the flag then gets past loading', async () => {
    const file = join(tmp, 'b77-like.csv');
    writeFileSync(file, 'text,category\nwhere is my card,card_arrival\nI lost my card,card_lost\n');
    const r = await runCli(['finetune', '--task', 'classify', '--data', file, '--out', tmp, '--name', 'm']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`${file}:2: missing field "label" (columns found: text, category)`);
    expect(r.stderr).toContain('--label-field');
    // With the flag the rows load; a one-class file then fails on its label count, which only loaded rows can show.
    const oneClass = join(tmp, 'b77-one-class.csv');
    writeFileSync(oneClass, 'text,category\nwhere is my card,card_arrival\nstill no card,card_arrival\n');
    const loaded = await runCli(['finetune', '--task', 'classify', '--data', oneClass, '--label-field', 'category', '--out', tmp, '--name', 'm']);
    expect(loaded.stderr).toContain('need at least 2 distinct labels, found 1');
    expect(existsSync(join(tmp, 'm'))).toBe(false);
  }, 30_000);

  it('a bad environment variable → 2, naming it', async () => {
    const r = await runCli(['predict', '--model', tmp], { env: { KAFKA_BROKERS: 'localhost' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('KAFKA_BROKERS: brokers: "localhost" is not host:port');
  }, 30_000);

  it('a missing model directory for evaluate → 4; an unknown base model → 4', async () => {
    const r = await runCli(['evaluate', '--model', join(tmp, 'no-such-model'), '--data', DATA]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(`model directory ${join(tmp, 'no-such-model')} does not exist`);
    const b = await runCli(['finetune', '--task', 'classify', '--data', DATA, '--base', 'no-such-base', '--out', tmp, '--name', 'm']);
    expect(b.code).toBe(4);
    expect(b.stderr).toContain('"no-such-base" is neither a model directory nor a catalog model name');
  }, 30_000);
});

describe('tuneline: finetune, evaluate and predict on the real encoder', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'tuneline-run-'));
  const repo = join(tmp, 'repo');
  let run: CliResult;
  let summary: Record<string, unknown>;

  beforeAll(async () => {
    run = await runCli(['finetune', ...TRAIN_FLAGS, '--out', repo, '--name', 'fin-sentiment']);
    summary = jsonLines(run.stdout)[0] ?? {};
  }, 90_000);

  it('finetune exits 0 with one JSON summary line on stdout', () => {
    if (run.code !== 0) throw new Error(explain(run));
    expect(jsonLines(run.stdout)).toHaveLength(1);
    expect(summary).toMatchObject({ dir: join(repo, 'fin-sentiment', '1'), name: 'fin-sentiment', version: '1', task: 'classification',
      labels: LABELS, epochsRun: 10, published: false });
    expect(summary['accuracy']).toEqual(expect.any(Number));
    expect(summary['macroF1']).toEqual(expect.any(Number));
  });

  it('prints one progress line per epoch on a non-TTY stderr', () => {
    expect(run.stderr).toMatch(/^epoch 1\/10 train_loss=\d\.\d{4} val_loss=\d\.\d{4} val_accuracy=\d\.\d{4} val_macro_f1=\d\.\d{4}/m);
    expect(run.stderr.match(/^epoch \d+\/10 /gm)).toHaveLength(10);
    expect(run.stderr).toContain('embedding 48/48 texts');
  });

  it('writes the model directory, report.md and the three charts', () => {
    const dir = String(summary['dir']);
    for (const f of ['model.onnx', 'labels.json', 'model-card.json', 'tokenizer.json']) expect(existsSync(join(dir, f))).toBe(true);
    for (const png of ['loss.png', 'metrics.png', 'confusion.png']) {
      expect(readFileSync(join(dir, png)).subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    }
    const report = readFileSync(join(dir, 'report.md'), 'utf8');
    expect(summary['report']).toBe(join(dir, 'report.md'));
    expect(report).toContain('# Training report: fin-sentiment v1');
    expect(report).toContain(`| accuracy | ${(summary['accuracy'] as number).toFixed(4)} |`);
    expect(report).toContain('![Confusion matrix](confusion.png)');
  });

  it('evaluate prints a metrics table and writes metrics JSON', async () => {
    const out = join(tmp, 'eval', 'metrics.json');
    const r = await runCli(['evaluate', '--model', String(summary['dir']), '--data', DATA, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^accuracy +\d\.\d{4}$/m);
    expect(r.stdout).toMatch(/^macro-F1 +\d\.\d{4}$/m);
    expect(r.stdout).toMatch(/^label +precision +recall +F1 +support$/m);
    const metrics = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>;
    expect(metrics).toMatchObject({ count: 48, task: 'classify', labels: LABELS, model: String(summary['dir']) });
    expect((metrics['confusion'] as number[][]).flat().reduce((a, b) => a + b, 0)).toBe(48);
  }, 30_000);

  it('predict reads plain lines and JSONL from stdin, one JSON line out per text', async () => {
    const texts = ['Net profit more than doubled to a record .', 'The annual meeting will be held in Espoo .', 'The company issued a profit warning .'];
    // The model root (<repo>/<name>) resolves to its latest version.
    const r = await runCli(['predict', '--model', join(repo, 'fin-sentiment')], { input: `${texts[0]}\n\n${texts[1]}\n${texts[2]}\n` });
    expect(r.code).toBe(0);
    const out = jsonLines(r.stdout);
    expect(out.map((o) => o['text'])).toEqual(texts);
    for (const o of out) {
      expect(LABELS).toContain(o['label']);
      const scores = o['scores'] as Record<string, number>;
      expect(Object.keys(scores)).toEqual(LABELS);
      expect(Object.values(scores).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    }
    const j = await runCli(['predict', '--model', String(summary['dir'])], { input: '{"id":"a1","text":"Shares plunged ."}\n{"id":"a2","text":"Sales rose ."}\n' });
    expect(j.code).toBe(0);
    expect(jsonLines(j.stdout).map((o) => o['id'])).toEqual(['a1', 'a2']);
  }, 30_000);

  it('predict names the bad input line → 3', async () => {
    const r = await runCli(['predict', '--model', String(summary['dir']), '--format', 'jsonl'], { input: '{"text":"fine"}\n{"txt":"oops"}\n' });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('<stdin>:2: missing field "text"');
  }, 30_000);
});
