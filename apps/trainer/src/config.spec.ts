import { resolve } from 'node:path';
import { loadTrainerConfig, TrainerConfigError } from './config';
import { classifyError, EXIT_CODES } from './exit-codes';

describe('loadTrainerConfig', () => {
  it('applies defaults when nothing is set (empty strings count as unset)', () => {
    const c = loadTrainerConfig({ TUNELINE_DEBUG: '', KAFKA_BROKERS: '  ' });
    expect(c.brokers).toBe('127.0.0.1:9092');
    expect(c.debug).toBe(false);
    expect(c.cacheRoot).toMatch(/\.cache$/);
  });

  it('parses and normalises the variables the trainer reads', () => {
    const c = loadTrainerConfig({ KAFKA_BROKERS: 'a:9092, b:9093', TUNELINE_DEBUG: 'yes', TUNELINE_CACHE: 'some/cache' });
    expect(c).toEqual({ brokers: 'a:9092,b:9093', debug: true, cacheRoot: resolve('some/cache') });
    expect(loadTrainerConfig({ TUNELINE_DEBUG: '0' }).debug).toBe(false);
  });

  it('names every bad variable at once', () => {
    let err: unknown;
    try {
      loadTrainerConfig({ KAFKA_BROKERS: 'localhost', TUNELINE_DEBUG: 'maybe' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TrainerConfigError);
    const message = (err as Error).message;
    expect(message).toContain('KAFKA_BROKERS: brokers: "localhost" is not host:port');
    expect(message).toContain('TUNELINE_DEBUG: must be true or false (1/0, yes/no)');
    expect(classifyError(err).code).toBe(EXIT_CODES.usage);
  });
});
