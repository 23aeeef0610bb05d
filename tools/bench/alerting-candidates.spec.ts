import { alertingOptions, DEFAULT_ALERTING_OPTIONS } from '@tuneline/sentiment';
import { ALERTING_CANDIDATES, chooseAlerting } from './alerting-candidates';

describe('alerting candidates', () => {
  it('start with the service defaults, and every override is a valid setting', () => {
    expect(ALERTING_CANDIDATES[0]).toEqual({ name: 'defaults', overrides: {} });
    for (const c of ALERTING_CANDIDATES) expect(() => alertingOptions(c.overrides)).not.toThrow();
    expect(new Set(ALERTING_CANDIDATES.map((c) => c.name)).size).toBe(ALERTING_CANDIDATES.length);
    expect(alertingOptions(ALERTING_CANDIDATES[0]?.overrides)).toEqual(DEFAULT_ALERTING_OPTIONS);
  });

  it('chooses the highest recall among settings precise enough; ties to precision, then to the earlier', () => {
    const outcomes = [
      { name: 'defaults', recall: 0.8, precision: 1 },
      { name: 'loose', recall: 1, precision: 0.85 },
      { name: 'wide', recall: 0.94, precision: 0.97 },
      { name: 'wide2', recall: 0.94, precision: 0.99 },
      { name: 'wide3', recall: 0.94, precision: 0.99 },
    ];
    expect(chooseAlerting(outcomes, 0.9)?.name).toBe('wide2');
    expect(chooseAlerting(outcomes, 0.8)?.name).toBe('loose');
    expect(chooseAlerting([{ name: 'a', recall: 0.9, precision: 0.9 }, { name: 'b', recall: 0.9, precision: 0.9 }], 0.9)?.name).toBe('a');
    expect(chooseAlerting(outcomes.slice(1, 2), 0.9)).toBeUndefined();
    expect(() => chooseAlerting(outcomes, 1.5)).toThrow(/minPrecision/);
  });
});
