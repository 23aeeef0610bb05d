import { UsageError } from '../exit-codes';
import { encoderOptionsFrom } from './encoder-options';

describe('--method flags → encoder options', () => {
  it('head (the default) takes no encoder options and refuses encoder-only flags', () => {
    expect(encoderOptionsFrom({})).toBeUndefined();
    expect(() => encoderOptionsFrom({ layers: 2 })).toThrow('--layers need --method lora or top-layers');
  });

  it('lora keeps the flags given, under EncoderTrainOptions names', () => {
    expect(encoderOptionsFrom({ method: 'lora', layers: 3, loraRank: 4, loraAlpha: 8, loraTargets: 'query,value,ffn', lr: 0.0005, headLr: 0.01, epochs: 2, maxGradNorm: 0.5, dropout: 0.1 }))
      .toEqual({ method: 'lora', options: { layers: 3, loraRank: 4, loraAlpha: 8, loraTargets: ['query', 'value', 'ffn'], learningRate: 0.0005, headLearningRate: 0.01, epochs: 2, maxGradNorm: 0.5,
        dropout: 0.1 } });
  });

  it('--adapted-only takes the probe out of early stopping, and only for encoder methods', () => {
    expect(encoderOptionsFrom({ method: 'lora', adaptedOnly: true })).toEqual({ method: 'lora', options: { probeCompetes: false } });
    expect(encoderOptionsFrom({ method: 'top-layers' })).toEqual({ method: 'top-layers', options: {} });
    expect(() => encoderOptionsFrom({ adaptedOnly: true })).toThrow('--adapted-only need --method lora or top-layers');
  });

  it('refuses head-only flags and values the trainer refuses, as usage errors (exit 2)', () => {
    expect(() => encoderOptionsFrom({ method: 'top-layers', head: 'mlp' })).toThrow('--head apply to --method head only');
    expect(() => encoderOptionsFrom({ method: 'lora', exemplars: true })).toThrow('--exemplars apply to --method head only');
    expect(() => encoderOptionsFrom({ method: 'lora', loraTargets: 'query,key' })).toThrow(UsageError);
    expect(() => encoderOptionsFrom({ method: 'lora', dropout: 1 })).toThrow('dropout must be in [0, 1), got 1');
    expect(() => encoderOptionsFrom({ method: 'lora', loraTargets: 'query,key' })).toThrow('loraTargets must be a non-empty list of query, value, ffn');
  });
});
