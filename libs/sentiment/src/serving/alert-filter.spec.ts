import { ALERT_FILTER_LIMITS, alertMatches, MATCH_ALL_ALERTS, parseAlertFilter, type FilterableAlert } from './alert-filter';
import { InvalidAlertFilterError } from './errors';

const alert = (over: Partial<FilterableAlert> = {}): FilterableAlert => ({
  kind: 'entity',
  name: 'ACME',
  severity: 'warning',
  rule: 'negative-share',
  zScore: 3.5,
  volumeZScore: 0.5,
  ...over,
});

function filterError(fn: () => unknown): InvalidAlertFilterError {
  try {
    fn();
  } catch (error) {
    if (error instanceof InvalidAlertFilterError) return error;
    throw error;
  }
  throw new Error('expected InvalidAlertFilterError');
}

describe('parseAlertFilter', () => {
  it('reads an empty input as no filter at all', () => {
    const filter = parseAlertFilter({ entities: null, minSeverity: '', minZScore: '' });
    expect(filter.entities.size).toBe(0);
    expect(filter.topics.size).toBe(0);
    expect(filter.minSeverity).toBeUndefined();
    expect(filter.minZScore).toBe(0);
  });

  it('keeps names exactly as given and reads severity in any case and z from a query string', () => {
    const filter = parseAlertFilter({ entities: ['ACME', ' Acme'], topics: ['earnings'], minSeverity: 'CRITICAL', minZScore: '2.5' });
    expect([...filter.entities]).toEqual(['ACME', ' Acme']);
    expect(filter.minSeverity).toBe('critical');
    expect(filter.minZScore).toBe(2.5);
  });

  it('enforces the list limits and name lengths, naming the field', () => {
    const names = (n: number) => Array.from({ length: n }, (_, i) => `e${i}`);
    expect(parseAlertFilter({ entities: names(ALERT_FILTER_LIMITS.maxEntities) }).entities.size).toBe(100);
    expect(filterError(() => parseAlertFilter({ entities: names(101) })).field).toBe('entities');
    expect(filterError(() => parseAlertFilter({ topics: names(51) })).field).toBe('topics');
    expect(filterError(() => parseAlertFilter({ topics: [''] })).field).toBe('topics');
    expect(filterError(() => parseAlertFilter({ entities: ['x'.repeat(201)] })).code).toBe('INVALID_ALERT_FILTER');
  });

  it.each([['severe'], ['0']])('refuses min severity %j', (value) => {
    expect(filterError(() => parseAlertFilter({ minSeverity: value })).field).toBe('minSeverity');
  });

  it.each([[-1], [Number.NaN], [Number.POSITIVE_INFINITY], ['-1'], ['1e3'], ['abc'], [' 2']])('refuses min z score %p', (value) => {
    expect(filterError(() => parseAlertFilter({ minZScore: value })).field).toBe('minZScore');
  });
});

describe('alertMatches', () => {
  it('passes everything with no filter', () => {
    expect(alertMatches(MATCH_ALL_ALERTS, alert({ kind: 'topic', name: 'earnings', severity: 'warning', zScore: 0 }))).toBe(true);
  });

  it('matches entity names exactly and case-sensitively, and an entity list alone excludes topic alerts', () => {
    const filter = parseAlertFilter({ entities: ['ACME'] });
    expect(alertMatches(filter, alert({ name: 'ACME' }))).toBe(true);
    expect(alertMatches(filter, alert({ name: 'Acme' }))).toBe(false);
    expect(alertMatches(filter, alert({ kind: 'topic', name: 'ACME' }))).toBe(false);
  });

  it('selects by each kind from its own list when both lists are given', () => {
    const filter = parseAlertFilter({ entities: ['ACME'], topics: ['earnings'] });
    expect(alertMatches(filter, alert({ kind: 'topic', name: 'earnings' }))).toBe(true);
    expect(alertMatches(filter, alert({ kind: 'entity', name: 'earnings' }))).toBe(false);
    expect(alertMatches(filter, alert({ kind: 'topic', name: 'mergers' }))).toBe(false);
  });

  it('orders severities warning < critical', () => {
    const critical = parseAlertFilter({ minSeverity: 'critical' });
    expect(alertMatches(critical, alert({ severity: 'warning' }))).toBe(false);
    expect(alertMatches(critical, alert({ severity: 'critical' }))).toBe(true);
    expect(alertMatches(parseAlertFilter({ minSeverity: 'warning' }), alert({ severity: 'critical' }))).toBe(true);
  });

  it("compares min z with the statistic of the alert's rule", () => {
    const filter = parseAlertFilter({ minZScore: 3 });
    expect(alertMatches(filter, alert({ rule: 'negative-share', zScore: 3, volumeZScore: 0 }))).toBe(true);
    expect(alertMatches(filter, alert({ rule: 'negative-share', zScore: 2.9, volumeZScore: 9 }))).toBe(false);
    expect(alertMatches(filter, alert({ rule: 'negative-volume', zScore: 0.1, volumeZScore: 4 }))).toBe(true);
    expect(alertMatches(filter, alert({ rule: 'negative-volume', zScore: 9, volumeZScore: 2 }))).toBe(false);
  });
});
