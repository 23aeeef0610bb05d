import { newStartId, replicaGroupId } from './replica-feed';

describe('replicaGroupId / newStartId', () => {
  it('names the group <service>.<instance>.<start>.<feed>, and a new start of the same instance gets another group', () => {
    expect(replicaGroupId('sentiment-monitor', 'pod-1', 'm5x1k2-abc123', 'alerts')).toBe('sentiment-monitor.pod-1.m5x1k2-abc123.alerts');
    const starts = new Set(Array.from({ length: 50 }, () => newStartId(1_700_000_000_000)));
    expect(starts.size).toBe(50);
    const group = (start: string) => replicaGroupId('sentiment-monitor', 'pod-1', start, 'alerts');
    expect(group(newStartId())).not.toBe(group(newStartId()));
    expect(newStartId(1_700_000_000_000)).toMatch(/^loyw3v28-[0-9a-f]{6}$/);
  });

  it('refuses a part outside Kafka\'s group-name characters, naming it', () => {
    expect(() => replicaGroupId('sm', 'a/b', 's1', 'alerts')).toThrow(/^instanceId: /);
    expect(() => replicaGroupId('sm', 'i', '', 'alerts')).toThrow(/^startId: /);
  });
});
