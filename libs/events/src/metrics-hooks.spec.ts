import { guardHooks } from './metrics-hooks';

interface Hooks {
  onA?(info: { n: number }): void;
  onB?(info: { s: string }): void;
}

describe('guardHooks', () => {
  it('calls present hooks with their object as this, makes absent ones no-ops', () => {
    const seen: number[] = [];
    const hooks = { factor: 2, onA(info: { n: number }) { seen.push(info.n * this.factor); } };
    const guarded = guardHooks<Hooks>(hooks, ['onA', 'onB'], { debug: jest.fn(), info: jest.fn(), warn: jest.fn(), error: jest.fn() });
    guarded.onA({ n: 3 });
    guarded.onB({ s: 'x' });
    expect(seen).toEqual([6]);
  });

  it('logs and swallows a throwing hook', () => {
    const warn = jest.fn();
    const guarded = guardHooks<Hooks>({ onA: () => { throw new Error('bad hook'); } }, ['onA', 'onB'], { debug: jest.fn(), info: jest.fn(), warn, error: jest.fn() });
    expect(() => guarded.onA({ n: 1 })).not.toThrow();
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ hook: 'onA' }), 'metrics hook threw');
  });
});
