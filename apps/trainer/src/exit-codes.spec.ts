import { CommanderError, InvalidArgumentError } from 'commander';
import { DatasetError, ExemplarPlanError, TaskMismatchError } from '@tuneline/finetune';
import { InvalidInputError, ModelFormatError, ModelNotFoundError } from '@tuneline/inference';
import { classifyError, EXIT_CODES, UsageError } from './exit-codes';

describe('exit codes', () => {
  it('are the documented numbers', () => {
    expect(EXIT_CODES).toEqual({ ok: 0, failure: 1, usage: 2, data: 3, model: 4 });
  });

  it('bad command lines → 2; commander has printed its own message', () => {
    expect(classifyError(new CommanderError(1, 'commander.unknownOption', "error: unknown option '--x'"))).toEqual({ code: 2 });
    expect(classifyError(new CommanderError(0, 'commander.helpDisplayed', '(outputHelp)'))).toEqual({ code: 0 });
    expect(classifyError(new UsageError('--val-fraction and --validation exclude each other'))).toEqual({
      code: 2, message: 'error: --val-fraction and --validation exclude each other' });
    expect(classifyError(new TaskMismatchError('task "multilabel" does not fit')).code).toBe(2);
    expect(classifyError(new InvalidArgumentError('expected an integer')).code).toBe(2);
    expect(classifyError(new ExemplarPlanError('exemplars.k (100) exceeds the 8 distinct training rows'))).toEqual({
      code: 2, message: 'error: exemplars.k (100) exceeds the 8 distinct training rows' });
  });

  it('bad data → 3 with file:line', () => {
    expect(classifyError(new DatasetError('a.jsonl', 7, 'missing field "text"'))).toEqual({
      code: 3, message: 'error: bad data: a.jsonl:7: missing field "text"' });
    expect(classifyError(new InvalidInputError('texts[0] is empty')).code).toBe(3);
  });

  it('missing or broken model → 4', () => {
    expect(classifyError(new ModelNotFoundError('model bge is not in the cache')).code).toBe(4);
    expect(classifyError(new ModelFormatError('model directory /x does not exist'))).toEqual({
      code: 4, message: 'error: model: model directory /x does not exist' });
  });

  it('anything else → 1', () => {
    expect(classifyError(new Error('ECONNREFUSED'))).toEqual({ code: 1, message: 'error: ECONNREFUSED' });
    expect(classifyError('thrown string')).toEqual({ code: 1, message: 'error: thrown string' });
  });
});
