import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from './bench-cli';
import { OP_PROFILE_CLI, opProfileOptions, ROOFLINE_CLI, rooflineOptions } from './options';

// A root whose ../shared does not exist, so the default texts are missing files.
let root: string;
beforeAll(() => {
  root = join(mkdtempSync(join(tmpdir(), 'op-profile-flags-')), 'repo');
  mkdirSync(root);
  writeFileSync(join(root, 't.txt'), 'one\ntwo\n');
});
afterAll(() => rmSync(join(root, '..'), { recursive: true, force: true }));

describe('op-profile and roofline flags', () => {
  it.each([[OP_PROFILE_CLI, opProfileOptions], [ROOFLINE_CLI, rooflineOptions]] as const)('%#: --help lists every flag and never resolves texts', (cli, parse) => {
    const out = parse(['--help'], root);
    expect('help' in out && out.help).toBe(true);
    for (const f of cli.flags) expect('usage' in out ? out.usage : '').toContain(`--${f.name}`);
  });

  it('op-profile: defaults, and the trace directory resolved against the root', () => {
    const o = opProfileOptions(['--texts', 't.txt'], root);
    expect(o).toMatchObject({ n: 1000, models: ['default', 'int8'], callers: 64, traceDir: join(root, '.cache/bench/op-profile') });
  });

  it('roofline: --n and --seconds are whole numbers >= 1', () => {
    expect(rooflineOptions(['--texts', 't.txt', '--n', '50', '--seconds', '1'], root)).toMatchObject({ n: 50, seconds: 1 });
    expect(() => rooflineOptions(['--texts', 't.txt', '--seconds', '0'], root)).toThrow(/--seconds must be an integer >= 1/);
  });

  it('bad input is a UsageError naming the flag, or the missing text files', () => {
    expect(() => opProfileOptions(['--texts', 't.txt', '--callers', '0'], root)).toThrow(UsageError);
    expect(() => opProfileOptions(['--texts', 't.txt', '--models', 'default,'], root)).toThrow(/--models must be a comma-separated list/);
    expect(() => opProfileOptions([], root)).toThrow(/text file not found/);
    expect(() => rooflineOptions(['--reps', '3'], root)).toThrow(/unknown flag --reps/);
  });
});
