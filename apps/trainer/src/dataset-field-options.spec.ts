import { Command } from 'commander';
import { addDatasetFieldOptions, datasetFieldsFrom, type DatasetFieldFlags } from './dataset-field-options';
import { createProgram } from './main';

/** Parses argv with a throwaway command carrying the field flags; returns its options. */
function parse(argv: string[], withLabel = true): DatasetFieldFlags {
  const cmd = addDatasetFieldOptions(new Command('x').exitOverride().configureOutput({ writeErr: () => undefined }), withLabel);
  cmd.parse(argv, { from: 'user' });
  return cmd.opts<DatasetFieldFlags>();
}

describe('dataset field flags', () => {
  it('map --text-field, --label-field, --text-a-field and --text-b-field to dataset fields', () => {
    const o = parse(['--text-field', 'body', '--label-field', 'category', '--text-a-field', 'q', '--text-b-field', 'd']);
    expect(datasetFieldsFrom(o)).toEqual({ text: 'body', label: 'category', textA: 'q', textB: 'd' });
  });

  it('leave unset fields out, so the loader keeps its defaults', () => {
    expect(datasetFieldsFrom(parse([]))).toEqual({});
    expect(datasetFieldsFrom(parse(['--label-field', ' category ']))).toEqual({ label: 'category' });
  });

  it('refuse an empty column name', () => {
    expect(() => parse(['--label-field', ' '])).toThrow('expected a column name');
  });

  it('offer no --label-field where there is no label (predict)', () => {
    expect(() => parse(['--label-field', 'category'], false)).toThrow(/unknown option '--label-field'/);
    expect(datasetFieldsFrom(parse(['--text-field', 'body'], false))).toEqual({ text: 'body' });
  });
});

describe('commands that read datasets take the field flags', () => {
  const io = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, config: { brokers: 'k:1', cacheRoot: '/tmp/c', debug: false } };
  const flagsOf = (name: string) => createProgram(io).commands.find((c) => c.name() === name)?.options.map((o) => o.long) ?? [];

  it.each(['finetune', 'evaluate'])('%s: all four', (name) => {
    expect(flagsOf(name)).toEqual(expect.arrayContaining(['--text-field', '--label-field', '--text-a-field', '--text-b-field']));
  });

  it('predict: the text columns only', () => {
    expect(flagsOf('predict')).toEqual(expect.arrayContaining(['--text-field', '--text-a-field', '--text-b-field']));
    expect(flagsOf('predict')).not.toContain('--label-field');
  });

  it('--brokers defaults to the configured brokers', () => {
    const finetune = createProgram(io).commands.find((c) => c.name() === 'finetune');
    expect(finetune?.options.find((o) => o.long === '--brokers')?.defaultValue).toBe('k:1');
  });
});
