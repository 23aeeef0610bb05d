import { readFileSync } from 'node:fs';
import { KafkaConfigError } from './errors';

// TLS and SASL for the Kafka client. Services take the KAFKA_* variables through their zod
// config (libs/platform checks them at start-up); CLIs and tools pass process.env. Both go
// through kafkaSecurityFromConfig, which repeats the checks so a tool gets the same errors.

export const KAFKA_SECURITY_PROTOCOLS = ['plaintext', 'ssl', 'sasl_plaintext', 'sasl_ssl'] as const;
export type KafkaSecurityProtocol = (typeof KAFKA_SECURITY_PROTOCOLS)[number];

export const KAFKA_SASL_MECHANISMS = ['scram-sha-512', 'scram-sha-256', 'plain'] as const;
export type KafkaSaslMechanism = (typeof KAFKA_SASL_MECHANISMS)[number];

export interface KafkaSaslOptions {
  readonly mechanism: KafkaSaslMechanism;
  readonly username: string;
  readonly password: string;
}

/**
 * TLS to the brokers. Paths are read once when the client is created. Without `caFile` the
 * system trust store is used; `certFile` + `keyFile` add a client certificate (mTLS).
 */
export interface KafkaSslOptions {
  readonly caFile?: string;
  readonly certFile?: string;
  readonly keyFile?: string;
}

/** What createKafka takes besides brokers; both absent = PLAINTEXT. */
export interface KafkaSecurityOptions {
  readonly ssl?: KafkaSslOptions;
  readonly sasl?: KafkaSaslOptions;
}

/** The KAFKA_* security variables as strings: process.env or a parsed service config. */
export interface KafkaSecurityConfig {
  readonly KAFKA_SECURITY_PROTOCOL?: string | undefined;
  readonly KAFKA_SASL_MECHANISM?: string | undefined;
  readonly KAFKA_SASL_USERNAME?: string | undefined;
  readonly KAFKA_SASL_PASSWORD?: string | undefined;
  readonly KAFKA_SASL_PASSWORD_FILE?: string | undefined;
  readonly KAFKA_SSL_CA_FILE?: string | undefined;
  readonly KAFKA_SSL_CERT_FILE?: string | undefined;
  readonly KAFKA_SSL_KEY_FILE?: string | undefined;
}

/** One bad variable; the same shape libs/platform's ConfigError reports. */
export interface KafkaSecurityIssue {
  readonly variable: keyof KafkaSecurityConfig;
  readonly problem: string;
}

const SASL_VARS = ['KAFKA_SASL_MECHANISM', 'KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD', 'KAFKA_SASL_PASSWORD_FILE'] as const;
const SSL_VARS = ['KAFKA_SSL_CA_FILE', 'KAFKA_SSL_CERT_FILE', 'KAFKA_SSL_KEY_FILE'] as const;

function value(config: KafkaSecurityConfig, name: keyof KafkaSecurityConfig): string | undefined {
  const v = config[name]?.trim();
  return v ? v : undefined;
}

function isOneOf<T extends string>(values: readonly T[], v: string): v is T {
  return (values as readonly string[]).includes(v);
}

/**
 * Every problem with the variables, without reading any file: a SASL protocol needs a
 * mechanism, a username and exactly one of password / password file; SASL or SSL variables
 * under a protocol that ignores them are refused (a forgotten protocol would otherwise
 * send credentials nowhere and connect in clear).
 */
export function kafkaSecurityIssues(config: KafkaSecurityConfig): KafkaSecurityIssue[] {
  const issues: KafkaSecurityIssue[] = [];
  const add = (variable: keyof KafkaSecurityConfig, problem: string) => issues.push({ variable, problem });
  const protocol = value(config, 'KAFKA_SECURITY_PROTOCOL') ?? 'plaintext';
  if (!isOneOf(KAFKA_SECURITY_PROTOCOLS, protocol)) {
    add('KAFKA_SECURITY_PROTOCOL', `must be one of ${KAFKA_SECURITY_PROTOCOLS.join(', ')}`);
    return issues;
  }
  const sasl = protocol.startsWith('sasl_');
  const ssl = protocol === 'ssl' || protocol === 'sasl_ssl';
  if (sasl) {
    const mechanism = value(config, 'KAFKA_SASL_MECHANISM');
    if (!mechanism) add('KAFKA_SASL_MECHANISM', `required when KAFKA_SECURITY_PROTOCOL=${protocol}`);
    else if (!isOneOf(KAFKA_SASL_MECHANISMS, mechanism)) add('KAFKA_SASL_MECHANISM', `must be one of ${KAFKA_SASL_MECHANISMS.join(', ')}`);
    if (!value(config, 'KAFKA_SASL_USERNAME')) add('KAFKA_SASL_USERNAME', `required when KAFKA_SECURITY_PROTOCOL=${protocol}`);
    const password = value(config, 'KAFKA_SASL_PASSWORD');
    const passwordFile = value(config, 'KAFKA_SASL_PASSWORD_FILE');
    if (!password && !passwordFile) add('KAFKA_SASL_PASSWORD', `required when KAFKA_SECURITY_PROTOCOL=${protocol} (or KAFKA_SASL_PASSWORD_FILE)`);
    if (password && passwordFile) add('KAFKA_SASL_PASSWORD_FILE', 'set KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE, not both');
  } else {
    for (const name of SASL_VARS) {
      if (value(config, name)) add(name, `is set but KAFKA_SECURITY_PROTOCOL=${protocol} does not use SASL (use sasl_plaintext or sasl_ssl)`);
    }
  }
  if (ssl) {
    if (Boolean(value(config, 'KAFKA_SSL_CERT_FILE')) !== Boolean(value(config, 'KAFKA_SSL_KEY_FILE'))) {
      add(value(config, 'KAFKA_SSL_CERT_FILE') ? 'KAFKA_SSL_KEY_FILE' : 'KAFKA_SSL_CERT_FILE', 'KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE must be set together');
    }
  } else {
    for (const name of SSL_VARS) {
      if (value(config, name)) add(name, `is set but KAFKA_SECURITY_PROTOCOL=${protocol} does not use TLS (use ssl or sasl_ssl)`);
    }
  }
  return issues;
}

/** Reads a secret or PEM file; the error names `what` (a variable or option) and the path. */
export function readSecurityFile(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    // fs errors may come from another realm (jest), so read the message field, not instanceof.
    const message = typeof err === 'object' && err !== null ? (err as { message?: unknown }).message : undefined;
    const reason = typeof message === 'string' ? message : String(err);
    throw new KafkaConfigError(`${what}: cannot read ${path}: ${reason}`, { cause: err });
  }
}

/**
 * createKafka's `ssl` and `sasl` options from the KAFKA_* variables. Throws KafkaConfigError
 * naming every bad variable, or the password file it cannot read. The SSL files are only
 * named here; createKafka reads them.
 */
export function kafkaSecurityFromConfig(config: KafkaSecurityConfig): KafkaSecurityOptions {
  const issues = kafkaSecurityIssues(config);
  if (issues.length > 0) {
    throw new KafkaConfigError(['invalid Kafka security settings:', ...issues.map((i) => `  ${i.variable}: ${i.problem}`)].join('\n'));
  }
  const protocol = (value(config, 'KAFKA_SECURITY_PROTOCOL') ?? 'plaintext') as KafkaSecurityProtocol;
  const result: { ssl?: KafkaSslOptions; sasl?: KafkaSaslOptions } = {};
  if (protocol === 'ssl' || protocol === 'sasl_ssl') {
    const caFile = value(config, 'KAFKA_SSL_CA_FILE');
    const certFile = value(config, 'KAFKA_SSL_CERT_FILE');
    const keyFile = value(config, 'KAFKA_SSL_KEY_FILE');
    result.ssl = { ...(caFile ? { caFile } : {}), ...(certFile ? { certFile } : {}), ...(keyFile ? { keyFile } : {}) };
  }
  if (protocol === 'sasl_plaintext' || protocol === 'sasl_ssl') {
    const passwordFile = value(config, 'KAFKA_SASL_PASSWORD_FILE');
    // Secret files usually end in a newline that is not part of the password.
    const password = passwordFile
      ? readSecurityFile(passwordFile, 'KAFKA_SASL_PASSWORD_FILE').replace(/\r?\n$/, '')
      : (value(config, 'KAFKA_SASL_PASSWORD') as string);
    if (!password) throw new KafkaConfigError(`KAFKA_SASL_PASSWORD_FILE: ${passwordFile} is empty`);
    result.sasl = {
      mechanism: value(config, 'KAFKA_SASL_MECHANISM') as KafkaSaslMechanism,
      username: value(config, 'KAFKA_SASL_USERNAME') as string,
      password,
    };
  }
  return result;
}
