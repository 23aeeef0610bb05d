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
