import { applyModelPublished } from './models-follower';
import { ModelsTracker } from './models-tracker';

const good = (version: string) => ({
  model: 'support-intent', version, path: `/repo/support-intent/${version}`, sha256: 'a'.repeat(64), task: 'classify',
  labels: ['a', 'b'], metrics: { accuracy: 0.9 }, publishedAt: '2026-11-30T01:00:00.000Z',
});

describe('applyModelPublished (the console Models view)', () => {
  it('skips a record that fails the event schema with a warning, and applies the next one: one bad record never stalls the view', () => {
    const tracker = new ModelsTracker();
    const warnings: string[] = [];
    const logger = { debug: () => undefined, info: () => undefined, error: () => undefined, warn: (_o: object, m?: string) => void warnings.push(m ?? '') };
    expect(applyModelPublished(tracker, { ...good('2'), uri: 's3://bucket/m/2' }, logger)).toBe(false);
    expect(applyModelPublished(tracker, { model: 'support-intent' }, logger)).toBe(false);
    expect(warnings).toEqual(['model.published record skipped', 'model.published record skipped']);
    expect(tracker.published()).toEqual([]);
    expect(applyModelPublished(tracker, good('3'), logger)).toBe(true);
    expect(tracker.published().map((p) => p.version)).toEqual(['3']);
  });
});
