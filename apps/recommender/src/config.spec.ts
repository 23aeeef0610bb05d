import { join } from 'node:path';
import { ConfigError, loadConfig } from '@tuneline/platform';
import { DEFAULT_RULES, RECOMMEND_SAMPLES_DIR } from '@tuneline/recommend';
import { recommenderConfigSchema, rulesOf, settingsOf, withServiceDefaults } from './config';

const load = (env: Record<string, string>) => loadConfig(recommenderConfigSchema, withServiceDefaults(env));

function variablesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.issues.map((i) => i.variable).sort();
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('recommender config', () => {
  it('defaults: service name, ports 8083/50063, limits, the sample data, recommend-ranker in <cache>/repo, memory profiles', () => {
    const config = load({ TUNELINE_CACHE: '/var/cache/tuneline', RECOMMEND_INSTANCE_ID: 'pod-1' });
    expect(config).toMatchObject({
      SERVICE_NAME: 'recommender',
      HTTP_PORT: 8083,
      GRPC_PORT: 50063,
      RECOMMEND_MAX_CANDIDATES: 1000,
      RECOMMEND_MAX_K: 100,
      RECOMMEND_DEFAULT_K: 10,
      RECOMMEND_FOLLOW_MODELS: true,
      RECOMMEND_CONSUME_EVENTS: true,
      RECOMMEND_FILTER_SEEN: true,
    });
    expect(config.REDIS_URL).toBeUndefined();
    expect(settingsOf(config)).toEqual({
      cacheRoot: '/var/cache/tuneline',
      repoRoot: join('/var/cache/tuneline', 'repo'),
      encoderModel: 'default',
      rankerModel: 'recommend-ranker',
      dataDir: RECOMMEND_SAMPLES_DIR,
      instanceId: 'pod-1',
    });
  });

  it('derives a Kafka-safe instance id per process when none is set', () => {
    const a = settingsOf(load({})).instanceId;
    expect(a).toMatch(/^[A-Za-z0-9._-]{1,100}$/);
    expect(settingsOf(load({})).instanceId).not.toBe(a);
  });

  it('refuses bad values, naming each variable', () => {
    expect(variablesOf(() => load({ HTTP_PORT: 'eighty', RECOMMEND_MAX_CANDIDATES: '0', RECOMMEND_MODEL: 'Bad Name', RECOMMEND_INSTANCE_ID: 'a/b', RECOMMEND_DIVERSITY_LAMBDA: '2' }))).toEqual([
      'HTTP_PORT',
      'RECOMMEND_DIVERSITY_LAMBDA',
      'RECOMMEND_INSTANCE_ID',
      'RECOMMEND_MAX_CANDIDATES',
      'RECOMMEND_MODEL',
    ]);
  });

  it('maps the rule variables onto libs/recommend rules: by default DEFAULT_RULES (filter seen, the cold boost, diversity off); a boost of 0 is off', () => {
    expect(rulesOf(load({}))).toEqual(DEFAULT_RULES);
    expect(rulesOf(load({ RECOMMEND_COLD_BOOST: '0' }))).toEqual({ filterSeen: true, boosts: [], diversityLambda: 1 });
    expect(rulesOf(load({ RECOMMEND_FILTER_SEEN: 'false', RECOMMEND_FRESH_BOOST: '0.3', RECOMMEND_FRESH_DAYS: '30', RECOMMEND_COLD_BOOST: '0.1', RECOMMEND_DIVERSITY_LAMBDA: '0.7' }))).toEqual({
      filterSeen: false,
      boosts: [{ name: 'fresh', add: 0.3, maxAgeDays: 30 }, { name: 'cold', add: 0.1, cold: true }],
      diversityLambda: 0.7,
    });
  });

  it('checks rules across variables under the one to fix', () => {
    expect(variablesOf(() => load({ RECOMMEND_DEFAULT_K: '20', RECOMMEND_MAX_K: '10' }))).toEqual(['RECOMMEND_DEFAULT_K']);
    expect(variablesOf(() => load({ RECOMMEND_MAX_K: '200', RECOMMEND_MAX_CANDIDATES: '100' }))).toEqual(['RECOMMEND_MAX_K']);
  });
});
