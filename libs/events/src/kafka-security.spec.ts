import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asKafkaAuthError, errorCode, isRetriable, KafkaAuthError, KafkaConfigError } from './errors';
import { createKafka } from './kafka-client';
import { kafkaSecurityFromConfig, kafkaSecurityIssues } from './kafka-security';

const SCRAM = {
  KAFKA_SECURITY_PROTOCOL: 'sasl_plaintext',
  KAFKA_SASL_MECHANISM: 'scram-sha-512',
  KAFKA_SASL_USERNAME: 'support-chat',
  KAFKA_SASL_PASSWORD: 's3cret',
};

function configError(fn: () => unknown): KafkaConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof KafkaConfigError) return err;
    throw err;
  }
  throw new Error('expected a KafkaConfigError');
}

describe('kafkaSecurityFromConfig', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'kafka-security-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is PLAINTEXT (no ssl, no sasl) when nothing is set, and for blank values', () => {
    expect(kafkaSecurityFromConfig({})).toEqual({});
    expect(kafkaSecurityFromConfig({ KAFKA_SECURITY_PROTOCOL: ' ', KAFKA_SASL_USERNAME: '' })).toEqual({});
  });

  it('builds SCRAM credentials for sasl_plaintext, without TLS', () => {
    expect(kafkaSecurityFromConfig(SCRAM)).toEqual({ sasl: { mechanism: 'scram-sha-512', username: 'support-chat', password: 's3cret' } });
  });

  it('names the missing username, mechanism and password for a SASL protocol', () => {
    const err = configError(() => kafkaSecurityFromConfig({ KAFKA_SECURITY_PROTOCOL: 'sasl_ssl' }));
    expect(err.code).toBe('KAFKA_CONFIG');
    expect(err.retriable).toBe(false);
    expect(err.message).toContain('KAFKA_SASL_USERNAME: required when KAFKA_SECURITY_PROTOCOL=sasl_ssl');
    expect(err.message).toContain('KAFKA_SASL_MECHANISM: required');
    expect(err.message).toContain('KAFKA_SASL_PASSWORD: required');
    expect(kafkaSecurityIssues({ ...SCRAM, KAFKA_SASL_USERNAME: undefined }).map((i) => i.variable)).toEqual(['KAFKA_SASL_USERNAME']);
  });

  it('refuses an unknown protocol or mechanism, listing the valid ones', () => {
    expect(kafkaSecurityIssues({ KAFKA_SECURITY_PROTOCOL: 'SASL_SCRAM' })).toEqual([
      { variable: 'KAFKA_SECURITY_PROTOCOL', problem: 'must be one of plaintext, ssl, sasl_plaintext, sasl_ssl' },
    ]);
    expect(kafkaSecurityIssues({ ...SCRAM, KAFKA_SASL_MECHANISM: 'gssapi' })).toEqual([
      { variable: 'KAFKA_SASL_MECHANISM', problem: 'must be one of scram-sha-512, scram-sha-256, plain' },
    ]);
  });

  it('refuses credentials or TLS files the protocol would ignore, and both password sources', () => {
    expect(kafkaSecurityIssues({ KAFKA_SASL_USERNAME: 'u', KAFKA_SSL_CA_FILE: '/ca.crt' }).map((i) => i.variable)).toEqual([
      'KAFKA_SASL_USERNAME',
      'KAFKA_SSL_CA_FILE',
    ]);
    expect(kafkaSecurityIssues({ ...SCRAM, KAFKA_SASL_PASSWORD_FILE: '/run/pw' })).toEqual([
      { variable: 'KAFKA_SASL_PASSWORD_FILE', problem: 'set KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE, not both' },
    ]);
    expect(kafkaSecurityIssues({ KAFKA_SECURITY_PROTOCOL: 'ssl', KAFKA_SSL_CERT_FILE: '/c.pem' }).map((i) => i.variable)).toEqual(['KAFKA_SSL_KEY_FILE']);
  });

  it('reads the password file, dropping its final newline', () => {
    const file = join(dir, 'password');
    writeFileSync(file, 'from-a-secret\n');
    const { sasl } = kafkaSecurityFromConfig({ ...SCRAM, KAFKA_SASL_PASSWORD: undefined, KAFKA_SASL_PASSWORD_FILE: file });
    expect(sasl?.password).toBe('from-a-secret');
  });

  it('names the variable and the path of an unreadable password file', () => {
    const missing = join(dir, 'no-such-password');
    const err = configError(() => kafkaSecurityFromConfig({ ...SCRAM, KAFKA_SASL_PASSWORD: undefined, KAFKA_SASL_PASSWORD_FILE: missing }));
    expect(err.message).toMatch(new RegExp(`^KAFKA_SASL_PASSWORD_FILE: cannot read ${missing}: ENOENT`));
  });

  it('passes the TLS file paths on for sasl_ssl (the Strimzi tls listener)', () => {
    expect(kafkaSecurityFromConfig({ ...SCRAM, KAFKA_SECURITY_PROTOCOL: 'sasl_ssl', KAFKA_SSL_CA_FILE: '/etc/kafka/ca.crt' })).toEqual({
      ssl: { caFile: '/etc/kafka/ca.crt' },
      sasl: { mechanism: 'scram-sha-512', username: 'support-chat', password: 's3cret' },
    });
    expect(kafkaSecurityFromConfig({ KAFKA_SECURITY_PROTOCOL: 'ssl' })).toEqual({ ssl: {} });
  });
});

describe('createKafka security options', () => {
  it('reads the CA file at creation, naming the file when it cannot', () => {
    const err = configError(() => createKafka({ clientId: 't', brokers: '127.0.0.1:9093', ssl: { caFile: '/nonexistent/ca.crt' } }));
    expect(err.message).toMatch(/^ssl\.caFile: cannot read \/nonexistent\/ca\.crt: ENOENT/);
  });

  it('rejects an unknown SASL mechanism and an empty password', () => {
    const base = { clientId: 't', brokers: '127.0.0.1:9092' };
    // Cast: a caller bypassing the types (e.g. JavaScript) still gets a clear error.
    const mechanism = 'gssapi' as 'plain';
    expect(() => createKafka({ ...base, sasl: { mechanism, username: 'u', password: 'p' } })).toThrow(/sasl\.mechanism: expected one of/);
    expect(() => createKafka({ ...base, sasl: { mechanism: 'plain', username: 'u', password: '' } })).toThrow('sasl.password: expected a non-empty string');
  });
});

describe('asKafkaAuthError', () => {
  // The shape KafkaJS 2 throws when the broker refuses SASL credentials.
  const refused = Object.assign(new Error('SASL SCRAM SHA512 authentication failed: invalid credentials'), {
    name: 'KafkaJSSASLAuthenticationError',
    retriable: false,
  });

  it('turns the KafkaJS SASL failure into a non-retriable KAFKA_AUTH error that keeps the cause', () => {
    const err = asKafkaAuthError(refused);
    expect(err).toBeInstanceOf(KafkaAuthError);
    expect(err).toMatchObject({ code: 'KAFKA_AUTH', retriable: false, cause: refused });
    expect((err as Error).message).toContain('check KAFKA_SASL_USERNAME');
    expect(isRetriable(err)).toBe(false);
    expect(errorCode(refused)).toBe('KAFKA_AUTH');
  });

  it('finds it in a cause chain and leaves other errors alone', () => {
    const wrapped = Object.assign(new Error('retries exceeded'), { name: 'KafkaJSNumberOfRetriesExceeded', cause: refused });
    expect(asKafkaAuthError(wrapped)).toBeInstanceOf(KafkaAuthError);
    const refusedConnection = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(asKafkaAuthError(refusedConnection)).toBe(refusedConnection);
  });

  it('turns an untrusted broker certificate (after KafkaJS\'s retries) into KAFKA_AUTH pointing at the CA file', () => {
    const untrusted = Object.assign(new Error('Connection error: unable to verify the first certificate'), {
      name: 'KafkaJSConnectionError',
      code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      retriable: true,
    });
    const exhausted = Object.assign(new Error(untrusted.message), { name: 'KafkaJSNumberOfRetriesExceeded', retriable: false, cause: untrusted });
    const err = asKafkaAuthError(exhausted);
    expect(err).toMatchObject({ code: 'KAFKA_AUTH', retriable: false, cause: exhausted });
    expect((err as Error).message).toContain('check KAFKA_SSL_CA_FILE');
  });
});
