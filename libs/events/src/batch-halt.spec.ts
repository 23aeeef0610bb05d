import { BatchHalt } from './batch-halt';
import type { HaltReason } from './consumer-types';

describe('BatchHalt', () => {
  it('halts on the first reason, keeps the first error and aborts its signal once', () => {
    let outside: HaltReason | undefined;
    const halt = new BatchHalt(() => outside);
    expect(halt.current()).toBeUndefined();
    outside = 'stale';
    expect([halt.current(), halt.signal.aborted]).toEqual(['stale', true]);
    const first = new Error('first');
    halt.halt('error', first);
    halt.halt('rebalance', new Error('second'));
    outside = 'stopping';
    expect([halt.current(), halt.failure]).toEqual(['stale', first]);
  });
});
