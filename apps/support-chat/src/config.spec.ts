import { ConfigError, loadConfig } from '@tuneline/platform';
import { DEFAULT_RETRIEVAL_MIN_SCORE, SAMPLE_RETRIEVAL_MIN_SCORE } from '@tuneline/support';
import { join } from 'node:path';
import { settingsOf, supportChatConfigSchema, withServiceDefaults } from './config';

const load = (env: Record<string, string>) => loadConfig(supportChatConfigSchema, withServiceDefaults(env));

describe('support-chat config', () => {
  it('defaults: service name, ports 8081/50061, English, support-intent in <cache>/repo, the library thresholds', () => {
    const config = load({ TUNELINE_CACHE: '/var/cache/tuneline' });
    expect(config).toMatchObject({ SERVICE_NAME: 'support-chat', HTTP_PORT: 8081, GRPC_PORT: 50061, SUPPORT_MAX_IN_FLIGHT: 64, SUPPORT_FOLLOW_MODELS: true });
    expect(config.REDIS_URL).toBeUndefined();
    const settings = settingsOf(config);
    expect(settings).toMatchObject({
      language: 'en',
      cacheRoot: '/var/cache/tuneline',
      repoRoot: join('/var/cache/tuneline', 'repo'),
      intentModel: 'support-intent',
      encoderModel: 'default',
      intentBaseModel: 'default',
    });
    expect(settings.options).toMatchObject({ confidenceThreshold: 0.6, retrievalMinScore: DEFAULT_RETRIEVAL_MIN_SCORE, maxMessageChars: 2000, sensitiveIntents: ['card_lost'] });
  });

  it('TUNELINE_MODEL=zh serves the Chinese pack with its own model name and retrieval minimum', () => {
    const settings = settingsOf(load({ TUNELINE_MODEL: 'zh' }));
    expect(settings).toMatchObject({ language: 'zh', intentModel: 'support-intent-zh', encoderModel: 'zh' });
    expect(settings.options.retrievalMinScore).toBe(SAMPLE_RETRIEVAL_MIN_SCORE.zh);
    expect(settingsOf(load({ SUPPORT_LANGUAGE: 'zh' })).encoderModel).toBe('zh');
  });

  it('maps SUPPORT_* onto libs/support options', () => {
    const settings = settingsOf(load({ SUPPORT_CONFIDENCE_THRESHOLD: '0.75', SUPPORT_RETRIEVAL_MIN_SCORE: '0.5', SUPPORT_MAX_MESSAGE_CHARS: '500', SUPPORT_SENSITIVE_INTENTS: 'card_lost, close_account' }));
    expect(settings.options).toMatchObject({ confidenceThreshold: 0.75, retrievalMinScore: 0.5, maxMessageChars: 500, sensitiveIntents: ['card_lost', 'close_account'] });
  });

  it('sentiment: off unless SUPPORT_SENTIMENT_GRPC_ADDR is set; timeout and threshold default to the library and map onto its options', () => {
    const off = load({});
    expect(off.SUPPORT_SENTIMENT_GRPC_ADDR).toBeUndefined();
    expect(settingsOf(off).options).toMatchObject({ sentimentTimeoutMs: 200, negativeSentimentThreshold: 0.85 });
    const on = load({ SUPPORT_SENTIMENT_GRPC_ADDR: 'sentiment-monitor:50071', SUPPORT_SENTIMENT_TIMEOUT_MS: '350', SUPPORT_NEGATIVE_SENTIMENT_THRESHOLD: '0.7' });
    expect(on.SUPPORT_SENTIMENT_GRPC_ADDR).toBe('sentiment-monitor:50071');
    expect(settingsOf(on).options).toMatchObject({ sentimentTimeoutMs: 350, negativeSentimentThreshold: 0.7 });
    expect(() => load({ SUPPORT_NEGATIVE_SENTIMENT_THRESHOLD: '2' })).toThrow(ConfigError);
    expect(() => load({ SUPPORT_SENTIMENT_TIMEOUT_MS: '0' })).toThrow(ConfigError);
  });

  it('response cache of the intent classifier: 16 MiB unless set, 0 turns it off, negatives refused', () => {
    expect(load({}).SUPPORT_RESPONSE_CACHE_BYTES).toBe(16 * 1024 * 1024);
    expect(load({ SUPPORT_RESPONSE_CACHE_BYTES: '0' }).SUPPORT_RESPONSE_CACHE_BYTES).toBe(0);
    expect(() => load({ SUPPORT_RESPONSE_CACHE_BYTES: '-1' })).toThrow(/SUPPORT_RESPONSE_CACHE_BYTES/);
  });

  it('refuses bad values, naming each variable', () => {
    let error: unknown;
    try {
      load({ SUPPORT_CONFIDENCE_THRESHOLD: '1.5', HTTP_PORT: 'eighty', SUPPORT_LANGUAGE: 'fr', SUPPORT_MAX_IN_FLIGHT: '0' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const variables = (error as ConfigError).issues.map((i) => i.variable).sort();
    expect(variables).toEqual(['HTTP_PORT', 'SUPPORT_CONFIDENCE_THRESHOLD', 'SUPPORT_LANGUAGE', 'SUPPORT_MAX_IN_FLIGHT']);
  });
});
