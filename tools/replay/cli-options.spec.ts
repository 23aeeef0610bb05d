import { UsageError } from '../bench/bench-cli';
import { replayArgs, synthArgs } from './cli-options';

describe('replay flags', () => {
  it('defaults: as fast as possible to news.raw on the local broker', () => {
    expect(replayArgs(['--file', 'f.jsonl'], {})).toEqual({ file: 'f.jsonl', ratePerSec: undefined, brokers: '127.0.0.1:9092', topic: 'news.raw', rebaseTime: false, batchSize: 500 });
  });

  it('reads --rate, --rebase-time, --topic and the broker env', () => {
    expect(replayArgs(['--file=f', '--rate', '20/s', '--rebase-time', '--topic', 'news.test'], { KAFKA_BROKERS: 'k:1' })).toMatchObject({ ratePerSec: 20, rebaseTime: true, topic: 'news.test', brokers: 'k:1' });
    expect(replayArgs(['--file=f', '--brokers', 'b:2'], { KAFKA_BROKERS: 'k:1' })).toMatchObject({ brokers: 'b:2' });
  });

  it.each([[[], /--file is required/], [['--file', 'f', '--rate', '5', '--as-fast-as-possible'], /exclude each other/], [['--file', 'f', '--rate', 'fast'], /--rate: rate/], [['--file', 'f', '--speed', '2'], /unknown flag --speed/]])(
    'usage errors: %j',
    (argv, message) => {
      expect(() => replayArgs(argv as string[], {})).toThrow(UsageError);
      expect(() => replayArgs(argv as string[], {})).toThrow(message);
    },
  );

  it('gives usage on --help', () => {
    const p = replayArgs(['--help']);
    expect('usage' in p && p.usage).toMatch(/--as-fast-as-possible/);
  });
});

describe('synth flags', () => {
  const required = ['--input', 'in.jsonl', '--entities', 'A,B', '--out', 'o.jsonl', '--truth', 't.json'];

  it('parses required flags and defaults', () => {
    expect(synthArgs([...required, '--surges', 'A@2h:30m', '--no-tag'])).toMatchObject({
      input: 'in.jsonl', entities: ['A', 'B'], surges: [{ entity: 'A', offsetMs: 7_200_000, durationMs: 1_800_000 }], seed: 42,
      durationMs: 21_600_000, startMs: Date.UTC(2025, 0, 6, 8), tagEntities: false, surgeNegativeShare: 0.8, textField: 'text', labelField: 'label',
    });
  });

  it.each([
    [['--entities', 'A', '--out', 'o', '--truth', 't'], /--input is required/],
    [[...required, '--surges', 'A@2h'], /--surges: surges\[0\]/],
    [[...required, '--duration', '6'], /--duration: duration/],
    [[...required, '--surge-negative-share', '2'], /--surge-negative-share must be a number in \[0, 1\]/],
    [[...required, '--start', 'dawn'], /--start must be an ISO-8601 time/],
    [[...required.slice(0, 2), '--entities', 'A,,B', ...required.slice(4)], /--entities must be a comma-separated list/],
  ])('usage errors: %j', (argv, message) => {
    expect(() => synthArgs(argv as string[])).toThrow(UsageError);
    expect(() => synthArgs(argv as string[])).toThrow(message);
  });
});
