import { join, resolve } from 'node:path';
import { defaultCacheRoot } from './resolve-model';

describe('defaultCacheRoot', () => {
  it('reads TUNELINE_CACHE from the environment it is given, never from process.env', () => {
    const saved = process.env['TUNELINE_CACHE'];
    process.env['TUNELINE_CACHE'] = '/from/process/env';
    try {
      expect(defaultCacheRoot({ TUNELINE_CACHE: 'relative/cache' })).toBe(resolve('relative/cache'));
      expect(defaultCacheRoot({})).not.toBe('/from/process/env');
      expect(defaultCacheRoot({})).toBe(join(resolve(__dirname, '../../../..'), '.cache'));
    } finally {
      if (saved === undefined) delete process.env['TUNELINE_CACHE'];
      else process.env['TUNELINE_CACHE'] = saved;
    }
  });

  it('requires the environment as an argument (checked by typecheck)', () => {
    // @ts-expect-error library code takes its environment from the caller
    const implicit = () => defaultCacheRoot();
    expect(typeof implicit).toBe('function');
  });
});
