import { z } from 'zod';
import { envEnum, envOptionalString } from './env-fields';

// Kafka TLS/SASL variables (docs/configuration.md, ADR 0015). The same names and rules as
// @tuneline/events' kafkaSecurityFromConfig, which turns the parsed values into createKafka
// options; they are checked here too so a service lists every bad variable at start-up with
// the rest of its configuration. (libs/platform cannot import libs/events: it is the lower layer.)

export const KAFKA_SECURITY_PROTOCOL_VALUES = ['plaintext', 'ssl', 'sasl_plaintext', 'sasl_ssl'] as const;
export const KAFKA_SASL_MECHANISM_VALUES = ['scram-sha-512', 'scram-sha-256', 'plain'] as const;

export const kafkaSecurityConfigShape = {
  KAFKA_SECURITY_PROTOCOL: envEnum(KAFKA_SECURITY_PROTOCOL_VALUES, 'plaintext'),
  KAFKA_SASL_MECHANISM: z
    .string()
    .trim()
    .pipe(z.enum(KAFKA_SASL_MECHANISM_VALUES, { error: `must be one of ${KAFKA_SASL_MECHANISM_VALUES.join(', ')}` }))
    .optional(),
  KAFKA_SASL_USERNAME: envOptionalString(),
  KAFKA_SASL_PASSWORD: envOptionalString(),
  KAFKA_SASL_PASSWORD_FILE: envOptionalString(),
  KAFKA_SSL_CA_FILE: envOptionalString(),
  KAFKA_SSL_CERT_FILE: envOptionalString(),
  KAFKA_SSL_KEY_FILE: envOptionalString(),
};

export type KafkaSecuritySettings = z.output<z.ZodObject<typeof kafkaSecurityConfigShape>>;

const SASL_VARS = ['KAFKA_SASL_MECHANISM', 'KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD', 'KAFKA_SASL_PASSWORD_FILE'] as const;
const SSL_VARS = ['KAFKA_SSL_CA_FILE', 'KAFKA_SSL_CERT_FILE', 'KAFKA_SSL_KEY_FILE'] as const;

/**
 * A SASL protocol needs a mechanism, a username and one password source; variables the
 * chosen protocol would ignore are refused, since a forgotten KAFKA_SECURITY_PROTOCOL would
 * otherwise connect in clear without a word.
 */
export function checkKafkaSecurityRules(cfg: KafkaSecuritySettings, issue: (variable: string, message: string) => void): void {
  const protocol = cfg.KAFKA_SECURITY_PROTOCOL;
  const sasl = protocol === 'sasl_plaintext' || protocol === 'sasl_ssl';
  const ssl = protocol === 'ssl' || protocol === 'sasl_ssl';
  if (sasl) {
    const required = `required when KAFKA_SECURITY_PROTOCOL=${protocol}`;
    if (!cfg.KAFKA_SASL_MECHANISM) issue('KAFKA_SASL_MECHANISM', required);
    if (!cfg.KAFKA_SASL_USERNAME) issue('KAFKA_SASL_USERNAME', required);
    if (!cfg.KAFKA_SASL_PASSWORD && !cfg.KAFKA_SASL_PASSWORD_FILE) issue('KAFKA_SASL_PASSWORD', `${required} (or KAFKA_SASL_PASSWORD_FILE)`);
    if (cfg.KAFKA_SASL_PASSWORD && cfg.KAFKA_SASL_PASSWORD_FILE) {
      issue('KAFKA_SASL_PASSWORD_FILE', 'set KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE, not both');
    }
  } else {
    for (const name of SASL_VARS) {
      if (cfg[name]) issue(name, `is set but KAFKA_SECURITY_PROTOCOL=${protocol} does not use SASL (use sasl_plaintext or sasl_ssl)`);
    }
  }
  if (ssl) {
    if (Boolean(cfg.KAFKA_SSL_CERT_FILE) !== Boolean(cfg.KAFKA_SSL_KEY_FILE)) {
      issue(cfg.KAFKA_SSL_CERT_FILE ? 'KAFKA_SSL_KEY_FILE' : 'KAFKA_SSL_CERT_FILE', 'KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE must be set together');
    }
  } else {
    for (const name of SSL_VARS) {
      if (cfg[name]) issue(name, `is set but KAFKA_SECURITY_PROTOCOL=${protocol} does not use TLS (use ssl or sasl_ssl)`);
    }
  }
}
