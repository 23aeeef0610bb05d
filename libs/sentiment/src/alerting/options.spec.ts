import { alertingOptions, DEFAULT_ALERTING_OPTIONS, validateAlertingOptions, type AlertingOptions } from './options';

describe('alerting options', () => {
  it('the defaults are valid: 30 min tumbling windows, 2 min lateness, z ≥ 3', () => {
    expect(validateAlertingOptions(DEFAULT_ALERTING_OPTIONS)).toBe(DEFAULT_ALERTING_OPTIONS);
    expect(DEFAULT_ALERTING_OPTIONS).toMatchObject({ windowMs: 1_800_000, hopMs: 1_800_000, allowedLatenessMs: 120_000, zThreshold: 3 });
    expect(Object.isFrozen(DEFAULT_ALERTING_OPTIONS)).toBe(true);
  });

  it('alertingOptions keeps tumbling windows when only windowMs is overridden', () => {
    expect(alertingOptions({ windowMs: 600_000 })).toMatchObject({ windowMs: 600_000, hopMs: 600_000 });
    expect(alertingOptions({ windowMs: 600_000, hopMs: 60_000 })).toMatchObject({ windowMs: 600_000, hopMs: 60_000 });
    expect(alertingOptions()).toEqual(DEFAULT_ALERTING_OPTIONS);
  });

  it.each<[keyof AlertingOptions, number, RegExp | null]>([
    ['windowMs', 0, null],
    ['windowMs', 1.5, null],
    ['hopMs', 2_000_000, /exceeds windowMs/],
    ['hopMs', 7 * 60_000, /does not divide/],
    ['hopMs', 1000, /windows per event/],
    ['allowedLatenessMs', -1, null],
    ['sourceIdleMs', 0, null],
    ['sourceIdleMs', 1.5, null],
    ['zThreshold', 0, null],
    ['zThreshold', Number.NaN, null],
    ['criticalZ', 2, /below zThreshold/],
    ['minVolume', 0, null],
    ['minNegative', 0, null],
    ['cooldownMs', -5, null],
    ['ewmaAlpha', 0, null],
    ['ewmaAlpha', 1.5, null],
    ['minBaselineWindows', -1, null],
    ['priorNegativeShare', 1, null],
    ['priorNegativeShare', 0, null],
    ['shareStdFloor', 0, null],
    ['maxKeys', 0, null],
    ['idleKeyTtlMs', 0, null],
    ['topHeadlines', 6, null],
    ['topHeadlines', -1, null],
  ])('%s = %d throws a RangeError naming the field', (field, value, message) => {
    const bad = { ...DEFAULT_ALERTING_OPTIONS, [field]: value };
    expect(() => validateAlertingOptions(bad)).toThrow(RangeError);
    expect(() => validateAlertingOptions(bad)).toThrow(new RegExp(`^${field}: `));
    if (message !== null) expect(() => validateAlertingOptions(bad)).toThrow(message);
  });

  it('rejects a non-number naming the field', () => {
    const bad = { ...DEFAULT_ALERTING_OPTIONS, minVolume: '8' } as unknown as AlertingOptions;
    expect(() => validateAlertingOptions(bad)).toThrow(/^minVolume: expected a finite number/);
  });
});
