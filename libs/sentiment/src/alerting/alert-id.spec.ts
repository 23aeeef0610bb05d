import { createHash } from 'node:crypto';
import { alertIdOf } from './alert-id';

describe('alertIdOf', () => {
  it('is the first 32 hex chars of sha256(key|start|window)', () => {
    const full = createHash('sha256').update('entity:Acme|1736150400000|900000').digest('hex');
    expect(alertIdOf('entity:Acme', 1736150400000, 900000)).toBe(full.slice(0, 32));
    expect(alertIdOf('entity:Acme', 1736150400000, 900000)).toMatch(/^[0-9a-f]{32}$/);
  });

  it('differs by key, window start and window length', () => {
    const base = alertIdOf('entity:Acme', 0, 900000);
    expect(new Set([
      base,
      alertIdOf('topic:Acme', 0, 900000),
      alertIdOf('entity:Acme', 900000, 900000),
      alertIdOf('entity:Acme', 0, 300000),
    ]).size).toBe(4);
  });
});
