import { UsageError } from '../exit-codes';
import { trainOptionsFrom, type FinetuneCliOptions } from './finetune-command';

const base: FinetuneCliOptions = { task: 'classify', data: 'd.jsonl', base: 'default', out: 'repo', name: 'm', cache: true, brokers: '127.0.0.1:9092' };

describe('finetune flags → TrainOptions', () => {
  it('keeps only the flags given, under TrainOptions names', () => {
    expect(trainOptionsFrom(base)).toEqual({});
    expect(trainOptionsFrom({ ...base, head: 'linear', epochs: 10, lr: 0.01, hidden: 64, batchSize: 8, weightDecay: 0, dropout: 0.2, patience: 3, seed: 0, classWeights: 'balanced', minSteps: 0 }))
      .toEqual({ head: 'linear', epochs: 10, learningRate: 0.01, hiddenDim: 64, batchSize: 8, weightDecay: 0, dropout: 0.2, patience: 3, seed: 0, classWeights: 'balanced', minSteps: 0 });
  });

  it('turns a value the trainer refuses into a usage error (exit 2)', () => {
    expect(() => trainOptionsFrom({ ...base, dropout: 1 })).toThrow(UsageError);
    expect(() => trainOptionsFrom({ ...base, dropout: 1 })).toThrow('dropout must be in [0, 1), got 1');
  });
});

describe('--exemplars', () => {
  it('turns the flag (alone or with a spec) into TrainOptions.exemplars', () => {
    expect(trainOptionsFrom({ ...base, exemplars: true })).toEqual({ exemplars: { k: 10, temperature: 0.02, weight: 0.5 } });
    expect(trainOptionsFrom({ ...base, exemplars: 'k=5,w=0.7', epochs: 3 })).toEqual({ epochs: 3, exemplars: { k: 5, temperature: 0.02, weight: 0.7 } });
  });

  it('refuses a bad spec and a multi-label task as usage errors (exit 2)', () => {
    expect(() => trainOptionsFrom({ ...base, exemplars: 'k=0' })).toThrow(UsageError);
    expect(() => trainOptionsFrom({ ...base, exemplars: 'k=0' })).toThrow('exemplars.k must be an integer in [1, 1000], got 0');
    expect(() => trainOptionsFrom({ ...base, exemplars: 'q=1' })).toThrow(/"q=1" is not key=value/);
    expect(() => trainOptionsFrom({ ...base, task: 'multilabel', exemplars: true })).toThrow(/multi-label heads are not supported/);
  });
});
