/**
 * The KAFKA_* security rules exist twice (ADR 0015): libs/platform checks them in the services'
 * config, libs/events' kafkaSecurityIssues for the CLIs (the trainer Job). The manifests give
 * both the same variables, so both must accept and refuse the same settings, naming the same
 * variables.
 */
import { kafkaSecurityIssues } from '@tuneline/events';
import { ConfigError, loadConfig } from '@tuneline/platform';
// eslint-disable-next-line @nx/enforce-module-boundaries -- a real service schema, as in service-config.spec.ts
import { supportChatConfigSchema } from '../../../apps/support-chat/src/config';

const BASE = { SERVICE_NAME: 'support-chat', REDIS_URL: 'redis://redis:6379' };
const SASL = { KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD_FILE: '/run/pw' };

const CASES: Array<[string, Record<string, string>]> = [
  ['nothing set (plaintext)', {}],
  ['the Strimzi tls listener set-up', { KAFKA_SECURITY_PROTOCOL: 'sasl_ssl', ...SASL, KAFKA_SSL_CA_FILE: '/run/ca.crt' }],
  ['sasl without mechanism, user or password', { KAFKA_SECURITY_PROTOCOL: 'sasl_ssl' }],
  ['password and password file', { KAFKA_SECURITY_PROTOCOL: 'sasl_plaintext', ...SASL, KAFKA_SASL_PASSWORD: 'p' }],
  ['an unknown mechanism', { KAFKA_SECURITY_PROTOCOL: 'sasl_plaintext', ...SASL, KAFKA_SASL_MECHANISM: 'gssapi' }],
  ['an unknown protocol', { KAFKA_SECURITY_PROTOCOL: 'SASL_SSL' }],
  ['SASL variables without a SASL protocol', { ...SASL }],
  ['a CA without a TLS protocol', { KAFKA_SECURITY_PROTOCOL: 'sasl_plaintext', ...SASL, KAFKA_SSL_CA_FILE: '/run/ca.crt' }],
  ['a client certificate without its key', { KAFKA_SECURITY_PROTOCOL: 'ssl', KAFKA_SSL_CERT_FILE: '/run/c.pem' }],
];

function platformIssues(env: Record<string, string>): string[] {
  try {
    loadConfig(supportChatConfigSchema, { ...BASE, ...env });
    return [];
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.issues.map((i) => i.variable);
  }
}

it.each(CASES)('services and CLIs agree on %s', (_name, env) => {
  const events = [...new Set(kafkaSecurityIssues(env).map((i) => i.variable))].sort();
  expect([...new Set(platformIssues(env))].sort()).toEqual(events);
});

it('the cases include accepted and refused settings (the comparison is not vacuous)', () => {
  const refused = CASES.filter(([, env]) => kafkaSecurityIssues(env).length > 0).length;
  expect([refused, CASES.length - refused]).toEqual([CASES.length - 2, 2]);
});
