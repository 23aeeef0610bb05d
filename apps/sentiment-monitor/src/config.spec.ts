import { join } from 'node:path';
import { ConfigError, loadConfig } from '@tuneline/platform';
import { DEFAULT_ALERTING_OPTIONS, SENTIMENT_SAMPLES_DIR } from '@tuneline/sentiment';
import { ALERTING_ENV, alertingOptionsOf, DEFAULT_MAX_FUTURE_MS, sentimentMonitorConfigSchema, settingsOf, withServiceDefaults } from './config';

const load = (env: Record<string, string>) => loadConfig(sentimentMonitorConfigSchema, withServiceDefaults(env));

function issuesOf(env: Record<string, string>): string[] {
  try {
    load(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.issues.map((i) => `${i.variable}: ${i.problem}`);
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('sentiment-monitor config', () => {
  it('defaults: service name, ports 8082/50062, financial-sentiment on the default encoder, the shipped samples, the library alerting defaults', () => {
    const config = load({ TUNELINE_CACHE: '/var/cache/tuneline' });
    expect(config).toMatchObject({
      SERVICE_NAME: 'sentiment-monitor',
      HTTP_PORT: 8082,
      GRPC_PORT: 50062,
      SENTIMENT_MODEL: 'financial-sentiment',
      SENTIMENT_BASE_MODEL: 'default',
      SENTIMENT_TRAIN_IF_MISSING: true,
      SENTIMENT_FOLLOW_MODELS: true,
      SENTIMENT_MAX_TEXT_CHARS: 2000,
      SENTIMENT_SCORE_BATCH_LIMIT: 64,
      SENTIMENT_STAGE_MAX_BATCH: 64,
    });
    const settings = settingsOf(config);
    expect(settings).toMatchObject({
      repoRoot: join('/var/cache/tuneline', 'repo'),
      model: 'financial-sentiment',
      trainFile: join(SENTIMENT_SAMPLES_DIR, 'financial-sentiment.jsonl'),
      watchListFile: join(SENTIMENT_SAMPLES_DIR, 'watchlist.json'),
      topicsFile: join(SENTIMENT_SAMPLES_DIR, 'topics.json'),
    });
    expect(settings.alerting).toEqual(DEFAULT_ALERTING_OPTIONS);
    expect(settings.instanceId).toMatch(/^[A-Za-z0-9._-]{1,100}$/);
    expect(settingsOf(config).instanceId).not.toBe(settings.instanceId);
  });

  it('maps every SENTIMENT_* alerting variable onto its AlertingOptions field', () => {
    expect(Object.keys(ALERTING_ENV).sort()).toEqual(Object.keys(DEFAULT_ALERTING_OPTIONS).sort());
    const config = load({ SENTIMENT_WINDOW_MS: '600000', SENTIMENT_HOP_MS: '300000', SENTIMENT_Z_THRESHOLD: '2.5', SENTIMENT_MIN_VOLUME: '5', SENTIMENT_COOLDOWN_MS: '0', SENTIMENT_SOURCE_IDLE_MS: '600000', SENTIMENT_MAX_FUTURE_MS: '300000' });
    expect(alertingOptionsOf(config)).toEqual({ ...DEFAULT_ALERTING_OPTIONS, windowMs: 600_000, hopMs: 300_000, zThreshold: 2.5, minVolume: 5, cooldownMs: 0, sourceIdleMs: 600_000 });
    expect(issuesOf({ SENTIMENT_SOURCE_IDLE_MS: '0' })[0]).toMatch(/^SENTIMENT_SOURCE_IDLE_MS: /);
  });

  it('checks the alerting rules across variables with the library, under the variable to fix', () => {
    const issues = issuesOf({ SENTIMENT_WINDOW_MS: '600000', SENTIMENT_HOP_MS: '420000' });
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^SENTIMENT_HOP_MS: /);
  });

  it('refuses a future-time allowance that reaches the idle-source limit (one partition ahead would idle the others), under SENTIMENT_MAX_FUTURE_MS', () => {
    expect(load({}).SENTIMENT_MAX_FUTURE_MS).toBe(DEFAULT_MAX_FUTURE_MS);
    // The old default pair: 1 h of future time against 30 min of idle-source time.
    const issues = issuesOf({ SENTIMENT_MAX_FUTURE_MS: '3600000' });
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^SENTIMENT_MAX_FUTURE_MS: .*must be below SENTIMENT_SOURCE_IDLE_MS \(1800000\)/);
    // Lateness counts too; a longer idle limit (a backlog replay) makes room.
    expect(issuesOf({ SENTIMENT_MAX_FUTURE_MS: '1680000' })).toHaveLength(1);
    expect(load({ SENTIMENT_MAX_FUTURE_MS: '1670000' }).SENTIMENT_MAX_FUTURE_MS).toBe(1_670_000);
    expect(load({ SENTIMENT_MAX_FUTURE_MS: '3600000', SENTIMENT_SOURCE_IDLE_MS: String(7 * 3_600_000) }).SENTIMENT_MAX_FUTURE_MS).toBe(3_600_000);
  });

  it('keeps a fixed instance id and refuses one that is not a safe group-name part', () => {
    expect(settingsOf(load({ SENTIMENT_INSTANCE_ID: 'pod-3' })).instanceId).toBe('pod-3');
    expect(issuesOf({ SENTIMENT_INSTANCE_ID: 'a/b' })[0]).toMatch(/^SENTIMENT_INSTANCE_ID: /);
  });

  it('refuses bad values, naming each variable', () => {
    const issues = issuesOf({ SENTIMENT_MAX_TEXT_CHARS: '0', SENTIMENT_SCORE_BATCH_LIMIT: '1000', SENTIMENT_EWMA_ALPHA: '2', SENTIMENT_MODEL: 'Bad Name', HTTP_PORT: 'x' });
    expect(issues.map((i) => i.split(':')[0]).sort()).toEqual(['HTTP_PORT', 'SENTIMENT_EWMA_ALPHA', 'SENTIMENT_MAX_TEXT_CHARS', 'SENTIMENT_MODEL', 'SENTIMENT_SCORE_BATCH_LIMIT']);
  });

  it('SENTIMENT_MAX_FUTURE_MS: 10 min by default, 0 to 7 days', () => {
    expect(load({}).SENTIMENT_MAX_FUTURE_MS).toBe(600_000);
    expect(load({ SENTIMENT_MAX_FUTURE_MS: '0' }).SENTIMENT_MAX_FUTURE_MS).toBe(0);
    expect(issuesOf({ SENTIMENT_MAX_FUTURE_MS: '-1' })[0]).toMatch(/^SENTIMENT_MAX_FUTURE_MS: /);
  });

  it('what the service sends the model must fit the model\'s TUNELINE_MAX_* limits, each reported under the SENTIMENT_* variable naming the limit', () => {
    const issues = issuesOf({ TUNELINE_MAX_BATCH_TEXTS: '32', TUNELINE_MAX_TEXT_CHARS: '1000' });
    expect(issues).toEqual([
      expect.stringMatching(/^SENTIMENT_STAGE_MAX_BATCH: .*64.*TUNELINE_MAX_BATCH_TEXTS \(32\)/),
      expect.stringMatching(/^SENTIMENT_SCORE_BATCH_LIMIT: .*64.*TUNELINE_MAX_BATCH_TEXTS \(32\)/),
      expect.stringMatching(/^SENTIMENT_MAX_TEXT_CHARS: .*2000.*TUNELINE_MAX_TEXT_CHARS \(1000\)/),
    ]);
    // Equal is fine, and lowering the SENTIMENT_* side fixes it.
    expect(load({ TUNELINE_MAX_BATCH_TEXTS: '64', TUNELINE_MAX_TEXT_CHARS: '2000' }).SENTIMENT_STAGE_MAX_BATCH).toBe(64);
    expect(load({ TUNELINE_MAX_BATCH_TEXTS: '32', SENTIMENT_STAGE_MAX_BATCH: '32', SENTIMENT_SCORE_BATCH_LIMIT: '16', TUNELINE_MAX_TEXT_CHARS: '1000', SENTIMENT_MAX_TEXT_CHARS: '1000' }).SENTIMENT_MAX_TEXT_CHARS).toBe(1000);
  });
});
