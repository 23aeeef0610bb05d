import { DEFAULT_MAX_MESSAGE_CHARS, DEFAULT_SUPPORT_OPTIONS, resolveSupportOptions } from './support-options';

describe('resolveSupportOptions', () => {
  it('returns the defaults, overlaid with the given values (undefined keeps the default)', () => {
    expect(resolveSupportOptions()).toEqual(DEFAULT_SUPPORT_OPTIONS);
    const o = resolveSupportOptions({ confidenceThreshold: 0.75, maxTurns: undefined, sensitiveIntents: ['card_lost', 'close_account'] });
    expect([o.confidenceThreshold, o.maxTurns, o.sensitiveIntents]).toEqual([0.75, DEFAULT_SUPPORT_OPTIONS.maxTurns, ['card_lost', 'close_account']]);
    expect(DEFAULT_MAX_MESSAGE_CHARS).toBe(2_000);
  });

  it.each([
    [{ confidenceThreshold: 1.1 }, /confidenceThreshold: 1.1 must be within \[0, 1\]/],
    [{ confidenceThreshold: Number.NaN }, /confidenceThreshold/],
    [{ retrievalMinScore: -2 }, /retrievalMinScore: -2 must be within \[-1, 1\]/],
    [{ negativeSentimentThreshold: -0.1 }, /negativeSentimentThreshold/],
    [{ lowConfidenceHandoffCount: 0 }, /lowConfidenceHandoffCount: 0 must be a positive integer/],
    [{ sessionTtlMs: 1.5 }, /sessionTtlMs/],
    [{ maxTurns: -1 }, /maxTurns/],
    [{ maxMessageChars: 0 }, /maxMessageChars/],
    [{ topIntents: 0 }, /topIntents/],
    [{ sentimentTimeoutMs: -1 }, /sentimentTimeoutMs/],
    [{ sensitiveIntents: [''] }, /sensitiveIntents: must be a list/],
    [{ humanIntents: 'talk_to_human' as unknown as string[] }, /humanIntents/],
  ])('rejects %j naming the field', (overrides, message) => {
    expect(() => resolveSupportOptions(overrides)).toThrow(message);
  });
});
