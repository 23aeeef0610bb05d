import { ValidationError } from '@tuneline/platform';
import { alertStreamQueryOf } from './alert-stream-query';

const q = (s: string) => new URLSearchParams(s);

describe('alertStreamQueryOf', () => {
  it('reads repeated entity/topic, min_severity, min_z_score; no parameters = every alert', async () => {
    const { filter, resumeToken } = await alertStreamQueryOf(q('entity=Northwind%20Bank&entity=Acme,%20Inc.&topic=litigation&min_severity=critical&min_z_score=3.5'), undefined);
    expect([...filter.entities]).toEqual(['Northwind Bank', 'Acme, Inc.']);
    expect([...filter.topics]).toEqual(['litigation']);
    expect(filter).toMatchObject({ minSeverity: 'critical', minZScore: 3.5 });
    expect(resumeToken).toBeUndefined();
    const all = await alertStreamQueryOf(q(''), undefined);
    expect(all).toMatchObject({ filter: { minSeverity: undefined, minZScore: 0 } });
    expect(all.filter.entities.size + all.filter.topics.size).toBe(0);
  });

  it('Last-Event-ID wins over resume_token', async () => {
    expect((await alertStreamQueryOf(q('resume_token=abc'), undefined)).resumeToken).toBe('abc');
    expect((await alertStreamQueryOf(q('resume_token=abc'), ' djE6 ')).resumeToken).toBe('djE6');
  });

  it('refuses unknown or repeated single parameters and bad values, naming the query parameter', async () => {
    const cases: [string, string][] = [
      ['entities=Acme', 'entities'],
      ['min_severity=warning&min_severity=critical', 'min_severity'],
      ['min_severity=urgent', 'min_severity'],
      ['min_z_score=-1', 'min_z_score'],
      [`entity=${'x'.repeat(201)}`, 'entity'],
    ];
    for (const [search, field] of cases) {
      const err = await alertStreamQueryOf(q(search), undefined).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect(err).toMatchObject({ field, httpStatus: 400 });
      expect((err as Error).message).toContain(field);
    }
  });
});
