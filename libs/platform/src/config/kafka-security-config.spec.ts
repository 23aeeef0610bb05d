import { loadConfig } from './load-config';
import { defineConfig } from './platform-config';
import { configIssues } from './testing/config-issues';

const schema = defineConfig();
const base = { SERVICE_NAME: 'support-chat' };
const scram = { ...base, KAFKA_SECURITY_PROTOCOL: 'sasl_ssl', KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'support-chat' };

const issuesOf = (env: Record<string, string>) => configIssues(schema, env);

describe('Kafka security variables', () => {
  it('default to PLAINTEXT with nothing else set', () => {
    const cfg = loadConfig(schema, base);
    expect(cfg.KAFKA_SECURITY_PROTOCOL).toBe('plaintext');
    expect(cfg.KAFKA_SASL_MECHANISM).toBeUndefined();
  });

  it('accept the Strimzi tls listener settings (SCRAM-SHA-512 over TLS, cluster CA, password file)', () => {
    const cfg = loadConfig(schema, { ...scram, KAFKA_SASL_PASSWORD_FILE: '/var/run/kafka/password', KAFKA_SSL_CA_FILE: '/var/run/kafka-ca/ca.crt' });
    expect(cfg).toMatchObject({
      KAFKA_SECURITY_PROTOCOL: 'sasl_ssl',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_PASSWORD_FILE: '/var/run/kafka/password',
      KAFKA_SSL_CA_FILE: '/var/run/kafka-ca/ca.crt',
    });
  });

  it('name each missing SASL variable', () => {
    const issues = issuesOf({ ...base, KAFKA_SECURITY_PROTOCOL: 'sasl_plaintext' });
    expect(issues).toEqual({
      KAFKA_SASL_MECHANISM: 'required when KAFKA_SECURITY_PROTOCOL=sasl_plaintext',
      KAFKA_SASL_USERNAME: 'required when KAFKA_SECURITY_PROTOCOL=sasl_plaintext',
      KAFKA_SASL_PASSWORD: 'required when KAFKA_SECURITY_PROTOCOL=sasl_plaintext (or KAFKA_SASL_PASSWORD_FILE)',
    });
    expect(Object.keys(issuesOf({ ...scram, KAFKA_SASL_USERNAME: '' }))).toContain('KAFKA_SASL_USERNAME');
  });

  it('refuse unknown values, variables the protocol ignores, and half a client certificate', () => {
    expect(issuesOf({ ...base, KAFKA_SECURITY_PROTOCOL: 'SCRAM' }).KAFKA_SECURITY_PROTOCOL).toContain('must be one of plaintext, ssl, sasl_plaintext, sasl_ssl');
    expect(issuesOf({ ...scram, KAFKA_SASL_PASSWORD: 'p', KAFKA_SASL_MECHANISM: 'gssapi' }).KAFKA_SASL_MECHANISM).toContain('must be one of scram-sha-512');
    // loadConfig appends the offending value to non-secret variables: `(got "u")`.
    expect(issuesOf({ ...base, KAFKA_SASL_USERNAME: 'u' }).KAFKA_SASL_USERNAME).toBe(
      'is set but KAFKA_SECURITY_PROTOCOL=plaintext does not use SASL (use sasl_plaintext or sasl_ssl) (got "u")',
    );
    expect(issuesOf({ ...base, KAFKA_SECURITY_PROTOCOL: 'sasl_plaintext', KAFKA_SSL_CA_FILE: '/ca.crt', KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' })).toEqual({
      KAFKA_SSL_CA_FILE: 'is set but KAFKA_SECURITY_PROTOCOL=sasl_plaintext does not use TLS (use ssl or sasl_ssl) (got "/ca.crt")',
    });
    expect(issuesOf({ ...base, KAFKA_SECURITY_PROTOCOL: 'ssl', KAFKA_SSL_KEY_FILE: '/k.pem' })).toEqual({
      KAFKA_SSL_CERT_FILE: 'KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE must be set together',
    });
  });

  it('never echo the password', () => {
    const issues = issuesOf({ ...scram, KAFKA_SASL_PASSWORD: 'hunter2-secret', KAFKA_SASL_PASSWORD_FILE: '/pw' });
    expect(issues.KAFKA_SASL_PASSWORD_FILE).toBe('set KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE, not both');
    expect(JSON.stringify(issues)).not.toContain('hunter2');
  });
});
