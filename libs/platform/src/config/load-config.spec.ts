import { envBool, envInt, envList, envNumber } from './env-fields';
import { loadConfig, loadConfigOrExit } from './load-config';
import { DEFAULT_GRPC_MAX_MESSAGE_BYTES, defineConfig } from './platform-config';
import { configIssues } from './testing/config-issues';

const schema = defineConfig({ MAX_BATCH: envInt({ def: 32, min: 1, max: 256 }), WARMUP: envBool(true) });
const base = { SERVICE_NAME: 'support-chat' };

const issuesOf = (env: Record<string, string>) => configIssues(schema, env);

describe('loadConfig', () => {
  it('applies documented defaults', () => {
    const cfg = loadConfig(schema, base);
    expect(cfg).toMatchObject({
      SERVICE_NAME: 'support-chat',
      LOG_LEVEL: 'info',
      BIND_HOST: '0.0.0.0',
      HTTP_PORT: 8080,
      GRPC_PORT: 50051,
      GRPC_MAX_MESSAGE_BYTES: DEFAULT_GRPC_MAX_MESSAGE_BYTES,
      SHUTDOWN_GRACE_MS: 10_000,
      AUTH_MODE: 'off',
      AUTH_API_KEYS: [],
      KAFKA_BROKERS: ['127.0.0.1:9092'],
      MAX_BATCH: 32,
      WARMUP: true,
    });
    expect(DEFAULT_GRPC_MAX_MESSAGE_BYTES).toBe(4 * 1024 * 1024);
  });

  it('parses typed values and treats empty strings as unset', () => {
    const cfg = loadConfig(schema, {
      ...base,
      GRPC_PORT: '0',
      KAFKA_BROKERS: 'k1:9092, k2:9093,',
      AUTH_MODE: 'api-key',
      AUTH_API_KEYS: 'aaaaaaaaaaaaaaaa,bbbbbbbbbbbbbbbb',
      WARMUP: 'no',
      HTTP_PORT: '',
    });
    expect(cfg.GRPC_PORT).toBe(0);
    expect(cfg.HTTP_PORT).toBe(8080);
    expect(cfg.KAFKA_BROKERS).toEqual(['k1:9092', 'k2:9093']);
    expect(cfg.AUTH_API_KEYS).toHaveLength(2);
    expect(cfg.WARMUP).toBe(false);
  });

  it('names each bad variable and says what is wrong', () => {
    const issues = issuesOf({ ...base, GRPC_PORT: 'abc', HTTP_PORT: '70000', LOG_LEVEL: 'loud', MAX_BATCH: '0', WARMUP: 'maybe' });
    expect(issues.GRPC_PORT).toBe('must be an integer between 0 and 65535 (got "abc")');
    expect(issues.HTTP_PORT).toContain('between 0 and 65535');
    expect(issues.LOG_LEVEL).toContain('must be one of fatal, error, warn, info');
    expect(issues.MAX_BATCH).toBe('must be an integer between 1 and 256 (got "0")');
    expect(issues.WARMUP).toContain('must be true or false');
  });

  it('reports a missing required variable', () => {
    expect(issuesOf({}).SERVICE_NAME).toBe('is required but not set');
  });

  it('rejects a message limit outside 1 KiB..256 MiB and malformed brokers', () => {
    const issues = issuesOf({ ...base, GRPC_MAX_MESSAGE_BYTES: '10', KAFKA_BROKERS: 'localhost' });
    expect(issues.GRPC_MAX_MESSAGE_BYTES).toContain('between 1024 and 268435456');
    expect(issues.KAFKA_BROKERS).toContain('host:port');
  });

  it('never echoes secret values', () => {
    const issues = issuesOf({ ...base, AUTH_API_KEYS: 'short-key' });
    expect(issues.AUTH_API_KEYS).toBe('every key must be at least 16 characters');
    expect(issues.AUTH_API_KEYS).not.toContain('short-key');
  });

  it.each([
    [{ AUTH_MODE: 'api-key' }, 'AUTH_API_KEYS', 'required when AUTH_MODE=api-key'],
    [{ AUTH_MODE: 'jwt' }, 'AUTH_JWT_PUBLIC_KEY_FILE', 'required when AUTH_MODE=jwt'],
    [{ TLS_CERT_FILE: '/c.pem' }, 'TLS_KEY_FILE', 'must be set together'],
    [{ TLS_CA_FILE: '/ca.pem' }, 'TLS_CERT_FILE', 'required when TLS_CA_FILE is set'],
  ])('cross-field rule %p is reported under %s', (env, variable, text) => {
    expect(issuesOf({ ...base, ...env })[variable]).toContain(text);
  });

  it('lists every issue in the error message, one per line', () => {
    expect(() => loadConfig(schema, { GRPC_PORT: 'x' })).toThrow(
      /Invalid configuration:\n {2}SERVICE_NAME: is required but not set\n {2}GRPC_PORT: must be an integer/,
    );
  });

  it('lets a service override a platform field, e.g. a default SERVICE_NAME', () => {
    const own = defineConfig({ SERVICE_NAME: envList(['x']).transform(() => 'recommender') });
    expect(loadConfig(own, {}).SERVICE_NAME).toBe('recommender');
  });
});

describe('loadConfigOrExit', () => {
  it('prints the error and exits with 1', () => {
    const written: string[] = [];
    const exit = jest.fn((code: number): never => {
      throw new Error(`exit ${code}`);
    });
    expect(() => loadConfigOrExit(schema, { GRPC_PORT: 'x' }, { exit, writeError: (t) => written.push(t) })).toThrow('exit 1');
    expect(exit).toHaveBeenCalledWith(1);
    expect(written.join('')).toContain('GRPC_PORT: must be an integer');
  });

  it('returns the config when valid', () => {
    const exit = jest.fn((): never => {
      throw new Error('should not exit');
    });
    expect(loadConfigOrExit(schema, base, { exit, writeError: () => undefined }).SERVICE_NAME).toBe('support-chat');
    expect(exit).not.toHaveBeenCalled();
  });
});

describe('envNumber', () => {
  const numbers = defineConfig({ THRESHOLD: envNumber({ def: 0.6, min: 0, max: 1 }), MIN_SCORE: envNumber({ min: -1, max: 1 }).optional() });
  const base = { SERVICE_NAME: 'svc' };

  it('parses decimals within [min, max]; unset gives the default or undefined', () => {
    const unset = loadConfig(numbers, base);
    expect(unset.THRESHOLD).toBe(0.6);
    expect(unset.MIN_SCORE).toBeUndefined();
    expect(loadConfig(numbers, { ...base, THRESHOLD: ' 0.85 ', MIN_SCORE: '-0.5' })).toMatchObject({ THRESHOLD: 0.85, MIN_SCORE: -0.5 });
    expect(loadConfig(numbers, { ...base, THRESHOLD: '1' }).THRESHOLD).toBe(1);
  });

  it('names what is wrong: not a number, or out of range', () => {
    expect(() => loadConfig(numbers, { ...base, THRESHOLD: 'high' })).toThrow(/THRESHOLD.*must be a number between 0 and 1/);
    expect(() => loadConfig(numbers, { ...base, THRESHOLD: '1.5' })).toThrow(/THRESHOLD.*must be between 0 and 1/);
    expect(() => loadConfig(numbers, { ...base, MIN_SCORE: '1e3' })).toThrow(/MIN_SCORE/);
  });

  it('is required without a default', () => {
    expect(() => loadConfig(defineConfig({ RATE: envNumber({ min: 0, max: 10 }) }), base)).toThrow(/RATE/);
  });
});
