import { resolve } from 'node:path';
import { parseFlags, UsageError } from './bench-cli';
import { SENTIMENT_THROUGHPUT_CLI, sentimentThroughputOptions } from './sentiment-throughput-options';

const ROOT = resolve(__dirname, '../..');

function usageError(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('sentiment-throughput flags', () => {
  it('--help lists every flag with its default and wins over anything else', () => {
    const p = parseFlags(SENTIMENT_THROUGHPUT_CLI, ['--items', 'x', '--help']);
    expect(p.help).toBe(true);
    for (const f of SENTIMENT_THROUGHPUT_CLI.flags) expect(p.help && p.usage).toContain(`--${f.name}`);
    expect(sentimentThroughputOptions(['-h'], ROOT)).toMatchObject({ help: true });
  });

  it('has defaults: the shipped sample news, half the measured rate, a reused repository per base model, the JSON written', () => {
    const o = sentimentThroughputOptions([], ROOT);
    if ('help' in o) throw new Error('help');
    expect(o).toMatchObject({
      items: 2000,
      seconds: 180,
      reps: 3,
      ceilingSeconds: 30,
      warmupSeconds: 5,
      latencyRate: undefined,
      news: resolve(ROOT, 'libs/sentiment/samples/news-sample.jsonl'),
      baseModel: 'default',
      repo: resolve(ROOT, '.cache/bench/sentiment-throughput/repo-default'),
      out: 'docs/benchmarks/sentiment-monitor.json',
      write: true,
    });
    expect(o.flags).toBe('--items 2000 --seconds 180 --reps 3 --ceiling-seconds 30 --warmup-seconds 5 --news libs/sentiment/samples/news-sample.jsonl --base-model default --seed 42');
  });

  it('takes small development runs and a fixed latency rate', () => {
    const o = sentimentThroughputOptions(['--items', '200', '--seconds', '40', '--reps', '1', '--cpu-prof', '--latency-rate', '7.5', '--base-model', 'int8', '--brokers', 'a:1,b:2', '--no-write'], ROOT);
    expect(o).toMatchObject({ items: 200, seconds: 40, latencyRate: 7.5, repo: resolve(ROOT, '.cache/bench/sentiment-throughput/repo-int8'), brokers: 'a:1,b:2', write: false, reps: 1, cpuProf: true });
  });

  it('refuses bad values, naming the flag', () => {
    expect(usageError(() => sentimentThroughputOptions(['--items', '1'], ROOT))).toMatch(/^--items must be an integer >= 2/);
    expect(usageError(() => sentimentThroughputOptions(['--seconds', '10'], ROOT))).toMatch(/^--seconds must be an integer >= 30/);
    expect(usageError(() => sentimentThroughputOptions(['--reps', '2'], ROOT))).toMatch(/^--reps must be an odd integer/);
    expect(usageError(() => sentimentThroughputOptions(['--latency-rate', '0'], ROOT))).toMatch(/^--latency-rate must be a number > 0/);
    expect(usageError(() => sentimentThroughputOptions(['--brokers', 'localhost'], ROOT))).toMatch(/^--brokers must be host:port/);
    expect(usageError(() => sentimentThroughputOptions(['--news', 'missing.jsonl'], ROOT))).toMatch(/^--news missing\.jsonl: file not found/);
    expect(usageError(() => sentimentThroughputOptions(['--bogus'], ROOT))).toBe('unknown flag --bogus');
  });
});
