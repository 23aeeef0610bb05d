import { Gauge, Registry } from 'prom-client';
import { createKafka } from '@tuneline/events';
import type { LoadedVersion } from '@tuneline/inference';
import { createModelFollower } from './model-follower';
import type { ServingRepository } from './serving-repository';

// Wiring without a broker (nothing connects before start()); consuming is covered in test/*.int.spec.ts.

const kafka = createKafka({ clientId: 'unit', brokers: '127.0.0.1:1' });

function repository(served: Record<string, string>): ServingRepository {
  return {
    root: '/nonexistent',
    currentVersion: (m) => served[m],
    get: () => ({}) as LoadedVersion,
    load: () => Promise.reject(new Error('not in this test')),
  };
}

describe('createModelFollower', () => {
  it('lets two followers share one registry: same swap series, one follower_up series per group', async () => {
    const registry = new Registry();
    const a = createModelFollower({ kafka, service: 'svc', replicaId: 'a', models: ['intent'], repository: repository({ intent: '1' }), registry });
    const b = createModelFollower({ kafka, service: 'svc', replicaId: 'b', models: ['sentiment'], repository: repository({}), registry });
    expect(registry.getMetricsAsArray().map((m) => m.name).sort()).toEqual(['tuneline_model_follower_up', 'tuneline_model_swap_seconds', 'tuneline_model_swaps_total']);
    const up = await registry.getSingleMetric('tuneline_model_follower_up')?.get();
    expect(up?.values).toEqual([
      { labels: { group: a.groupId }, value: 0 },
      { labels: { group: b.groupId }, value: 0 },
    ]);
  });

  it('serving (readiness) follows the served versions only; following needs a started, healthy runner', () => {
    const follower = createModelFollower({ kafka, service: 'svc', replicaId: 'c', models: ['intent', 'sentiment'], repository: repository({ intent: '1', sentiment: '4' }), registry: new Registry() });
    expect(follower.isServing()).toBe(true);
    expect(follower.isFollowing()).toBe(false);
    expect(follower.state()).toMatchObject({ serving: true, following: false, consuming: false, runner: 'idle' });
    const half = createModelFollower({ kafka, service: 'svc', replicaId: 'd', models: ['intent', 'sentiment'], repository: repository({ intent: '1' }), registry: new Registry() });
    expect(half.isServing()).toBe(false);
  });

  it('refuses a registry that holds one of its metric names as another kind', () => {
    const registry = new Registry();
    registry.registerMetric(new Gauge({ name: 'tuneline_model_swaps_total', help: 'x', registers: [] }));
    expect(() => createModelFollower({ kafka, service: 'svc', replicaId: 'e', models: ['intent'], repository: repository({}), registry })).toThrow(/tuneline_model_swaps_total is registered already/);
  });
});
